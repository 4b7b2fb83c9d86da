"""Writing a plan: starting one for a funder, changing its parts and its costed lines (each change
records who made it), and starting a new version of a plan already submitted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from app.core import audit
from app.core.errors import DomainError, DomainErrors, NotFound, PermissionDenied
from app.core.records import locked
from app.core.timeutil import utcnow
from app.extensions import db
from app.funders.models import FundingBody
from app.holders.models import BudgetHolder
from app.ledger import services as ledger
from app.plans.models import GivenBy, MoneyArrangement, PaidBy, PlanEdit, PlanLine, SupportPlan
from app.plans.policies import EDITABLE, PlanAccess, writes_plans
from app.plans.sections import BY_KEY
from app.plans.thread import event
from app.plans.workflow import move

TEXT_LIMIT = 6000


def _may_write(access: PlanAccess) -> None:
    if not writes_plans(access):
        raise PermissionDenied("Only the person, someone who can act for them, or their broker writes their plan.")


def _editable(access: PlanAccess, plan: SupportPlan) -> None:
    """Only a draft is changed; the plan's row is locked first, so a change never lands after the
    plan was submitted, and two people saving parts at once both keep theirs."""
    _may_write(access)
    locked(SupportPlan, plan.id)
    if plan.status not in EDITABLE:
        raise DomainError(f"This plan is {plan.status.label.lower()}, so it cannot be changed now. "
                          "Start a new version to change it.")


def _edited(access: PlanAccess, plan: SupportPlan, section: str) -> None:
    db.session.add(PlanEdit(plan=plan, section=section, user_id=access.user.id,
                            on_behalf_of_id=getattr(access.on_behalf_of, "id", None), at=utcnow()))
    plan.updated_at = utcnow()
    audit.record("plan.edited", actor=access.user, on_behalf_of=access.on_behalf_of, holder=plan.holder, obj=plan,
                 section=section)


def _checked_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_LIMIT:
        raise DomainError(f"This must be {TEXT_LIMIT} characters or fewer", field="text")
    return text


def create_plan(access: PlanAccess, funding_body_id: int | None) -> SupportPlan:
    _may_write(access)
    body = db.session.get(FundingBody, funding_body_id) if funding_body_id else None
    locked(BudgetHolder, access.holder.id)  # a double-clicked "start" waits here, then finds the first plan
    if body is None:
        raise DomainError("Choose the funder the plan is for", field="funding_body")
    if db.session.scalar(select(SupportPlan).where(SupportPlan.holder_id == access.holder.id,
                                                   SupportPlan.funding_body_id == body.id)):
        raise DomainError(f"There is already a plan for {body.name}. Open it to change it.", field="funding_body")
    plan = SupportPlan(holder=access.holder, funding_body=body, sections={}, created_by_id=access.user.id,
                       review_weeks=current_app.config["PLAN_FIRST_REVIEW_WEEKS"])
    db.session.add(plan)
    db.session.flush()
    _edited(access, plan, "started")
    event(plan, access, f"{access.user.name} started the plan for {body.name}.")
    return plan


def save_section(access: PlanAccess, plan: SupportPlan, key: str, text: str) -> None:
    _editable(access, plan)
    section = BY_KEY.get(key)
    if section is None or not section.is_text or key == "money":
        raise DomainError("That is not a part of the plan")
    plan.sections = {**(plan.sections or {}), key: _checked_text(text)}
    _edited(access, plan, key)


def save_money(access: PlanAccess, plan: SupportPlan, arrangement: str | None, text: str) -> None:
    _editable(access, plan)
    if arrangement not in MoneyArrangement.values():
        raise DomainError("Choose how the money is paid and managed", field="arrangement")
    text = _checked_text(text)
    plan.money_arrangement = MoneyArrangement(arrangement)
    plan.sections = {**(plan.sections or {}), "money": text}
    _edited(access, plan, "money")


def save_start(access: PlanAccess, plan: SupportPlan, starts_on: date | None, review_weeks: int | None) -> None:
    _editable(access, plan)
    errors = []
    if starts_on is None:
        errors.append(DomainError("Enter the date the support starts", field="starts_on"))
    if review_weeks not in (6, 7, 8):
        errors.append(DomainError("Choose 6, 7 or 8 weeks", field="review_weeks"))
    if errors:
        raise DomainErrors(errors)
    plan.services_start_on, plan.review_weeks = starts_on, review_weeks
    _edited(access, plan, "start")


@dataclass(frozen=True)
class LineDetails:
    need: str
    support: str
    given_by: str
    given_by_name: str
    quantity: str
    cost_pence: int | None
    paid_by: str
    funding_stream_id: int | None = None


def _check_line(access: PlanAccess, details: LineDetails) -> None:
    errors = []
    for name, value, message in (("need", details.need, "Say which need this meets"),
                                 ("support", details.support, "Describe the support"),
                                 ("quantity", details.quantity, "Say how many hours, or how much")):
        if not (value or "").strip():
            errors.append(DomainError(message, field=name))
    if details.given_by not in GivenBy.values():
        errors.append(DomainError("Choose who gives the support", field="given_by"))
    if details.paid_by not in PaidBy.values():
        errors.append(DomainError("Choose what pays for it", field="paid_by"))
    elif details.paid_by == PaidBy.UNPAID.value and details.cost_pence:
        errors.append(DomainError("Unpaid support costs nothing: leave the cost empty, or choose what pays for it",
                                  field="cost"))
    elif details.paid_by != PaidBy.UNPAID.value and not details.cost_pence:
        errors.append(DomainError("Enter what it costs a year, or choose that nobody pays for it", field="cost"))
    if details.paid_by == PaidBy.STREAM.value:
        company = ledger.company_of(access.holder)
        ids = {s.id for s in company.streams} if company else set()
        if details.funding_stream_id not in ids:
            errors.append(DomainError("Choose one of the person's funding streams", field="paid_by"))
    if errors:
        raise DomainErrors(errors)


def _apply_line(line: PlanLine, details: LineDetails) -> None:
    line.need, line.support = details.need.strip(), details.support.strip()
    line.given_by, line.given_by_name = GivenBy(details.given_by), (details.given_by_name or "").strip()
    line.quantity, line.paid_by = details.quantity.strip(), PaidBy(details.paid_by)
    line.cost_pence = details.cost_pence or 0
    line.funding_stream_id = details.funding_stream_id if line.paid_by == PaidBy.STREAM else None


def add_line(access: PlanAccess, plan: SupportPlan, details: LineDetails) -> PlanLine:
    _editable(access, plan)
    _check_line(access, details)
    line = PlanLine(plan=plan)
    _apply_line(line, details)
    db.session.add(line)
    db.session.flush()
    _edited(access, plan, "needs")
    return line


def plan_line(plan: SupportPlan, line_id: int) -> PlanLine:
    line = db.session.get(PlanLine, line_id)
    if line is None or line.plan_id != plan.id:
        raise NotFound()
    return line


def change_line(access: PlanAccess, plan: SupportPlan, line_id: int, details: LineDetails) -> PlanLine:
    _editable(access, plan)
    line = plan_line(plan, line_id)
    _check_line(access, details)
    _apply_line(line, details)
    db.session.flush()
    _edited(access, plan, "needs")
    return line


def remove_line(access: PlanAccess, plan: SupportPlan, line_id: int) -> None:
    _editable(access, plan)
    line = plan_line(plan, line_id)
    plan.lines.remove(line)
    db.session.flush()
    _edited(access, plan, "needs")


def start_new_version(access: PlanAccess, plan: SupportPlan) -> None:
    """Change a plan already submitted and decided: it goes back to draft (what was signed stays in
    force until the new version is signed; old signatures never carry over)."""
    _may_write(access)
    locked(SupportPlan, plan.id)
    move(plan, "new_version")
    audit.record("plan.new_version_started", actor=access.user, on_behalf_of=access.on_behalf_of,
                 holder=plan.holder, obj=plan)
    event(plan, access, f"{access.user.name} started a new version. It must be submitted, approved and signed again.")


def last_edits(plan: SupportPlan) -> dict[str, PlanEdit]:
    """section key -> its latest change."""
    latest: dict[str, PlanEdit] = {}
    for edit in plan.edits:
        latest[edit.section] = edit
    return latest
