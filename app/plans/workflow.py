"""How a plan moves: every move is in `MOVES` (from which states, to which), and anything else is
refused here, in the service, with a message that says why.

    draft -> submitted (the person agrees) -> changes asked for -> submitted ...
    submitted -> approved -> signed (both sides sign the approved version) -> in force
    in force -> review due -> reviewed -> review due ...
    approved, signed, in force, review due, reviewed -> draft (a new version)
"""

from __future__ import annotations

from app.core.errors import DomainError
from app.core.timeutil import utcnow
from app.plans.models import PlanStatus, SupportPlan

S = PlanStatus
MOVES: dict[str, tuple[frozenset[PlanStatus], PlanStatus, str]] = {
    # move: (from, to, what it is called in a refusal)
    "submit": (frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED, "submitted"),
    "ask_for_changes": (frozenset({S.SUBMITTED}), S.CHANGES_REQUESTED, "sent back for changes"),
    "approve": (frozenset({S.SUBMITTED}), S.APPROVED, "approved"),
    "sign": (frozenset({S.APPROVED}), S.SIGNED, "signed"),
    "start": (frozenset({S.SIGNED}), S.ACTIVE, "put in force"),
    "review_comes_due": (frozenset({S.ACTIVE, S.REVIEWED}), S.REVIEW_DUE, "made due for review"),
    "record_review": (frozenset({S.REVIEW_DUE}), S.REVIEWED, "reviewed"),
    "new_version": (frozenset({S.APPROVED, S.SIGNED, S.ACTIVE, S.REVIEW_DUE, S.REVIEWED}), S.DRAFT,
                    "given a new version"),
}


def allowed_moves(status: PlanStatus) -> list[str]:
    return [name for name, (sources, _, _) in MOVES.items() if status in sources]


def check_move(plan: SupportPlan, name: str) -> PlanStatus:
    """The state the move leads to, or a DomainError saying why the plan cannot make it now."""
    sources, target, words = MOVES[name]
    if plan.status not in sources:
        raise DomainError(f"This plan is {plan.status.label.lower()}, so it cannot be {words} now.")
    return target


def move(plan: SupportPlan, name: str) -> None:
    plan.status = check_move(plan, name)
    plan.updated_at = utcnow()
