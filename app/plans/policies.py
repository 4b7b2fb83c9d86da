"""Who may see and do what with a support plan: `plan_access()` is the one gate, and the named
rules below are what services check and pages show (`actions()`).

- The person owns their plans. A helper who "can act" for them does what they can (recorded as
  on their behalf); a helper who can only view reads.
- Their broker (the one with an active engagement now) reads the plans, edits drafts, writes in
  the thread, asks for an early review and records a review; they cannot submit or sign: the
  person does, because they must agree.
- An officer of the funding body a plan is for sees it only once it has been submitted, and then
  the versions submitted (never the working draft). They ask for changes, approve, sign, record
  reviews and set the body's indicative budget.
- A former broker, a helper whose access was stopped, another body's officer and strangers are
  told the plan does not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.engagements.clients import active_engagement
from app.holders.models import BudgetHolder
from app.holders.policies import can_act_for, can_view, is_the_person
from app.ledger.policies import officer_body_ids
from app.plans.models import PlanStatus, SupportPlan

PERSON, HELPER, BROKER, FUNDER = "person", "helper", "broker", "funder"
EDITABLE = (PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED)
NEW_VERSION_FROM = (PlanStatus.APPROVED, PlanStatus.SIGNED, PlanStatus.ACTIVE, PlanStatus.REVIEW_DUE,
                    PlanStatus.REVIEWED)


@dataclass(frozen=True)
class PlanAccess:
    """What `user` may do with `holder`'s plans, and in which role."""

    holder: BudgetHolder
    user: Any
    role: str
    can_act: bool  # the person, a helper who can act, the broker, the funder; not a view-only helper

    @property
    def is_owner(self) -> bool:
        return self.role == PERSON

    @property
    def on_behalf_of(self):
        """For the audit log and signatures: the person a helper acts for."""
        return self.holder.user if self.role == HELPER else None

    @property
    def holder_side(self) -> bool:
        """The person or a helper who can act for them: they agree, submit and sign."""
        return self.role in (PERSON, HELPER) and self.can_act


def is_current_broker(user: Any, holder: BudgetHolder) -> bool:
    profile = getattr(user, "broker_profile", None)
    if profile is None or not holder.is_open:
        return False
    engagement = active_engagement(holder)
    return engagement is not None and engagement.broker_id == profile.id


def holder_role(user: Any, holder: BudgetHolder | None) -> PlanAccess | None:
    """The user's access to all of the person's plans (not a funder's, which is per plan)."""
    if holder is None or not getattr(user, "is_authenticated", False):
        return None
    if is_the_person(user, holder) and holder.is_open:
        return PlanAccess(holder, user, PERSON, True)
    if can_act_for(user, holder):
        return PlanAccess(holder, user, HELPER, True)
    if is_current_broker(user, holder):  # before view-only help: a broker who also helps still writes the plan
        return PlanAccess(holder, user, BROKER, True)
    if can_view(user, holder):
        return PlanAccess(holder, user, HELPER, False)
    return None


def funder_sees(user: Any, plan: SupportPlan | None) -> bool:
    """An officer of the plan's funding body, once the plan has been submitted to it."""
    return (plan is not None and plan.holder.is_open and bool(plan.versions)
            and plan.funding_body_id in officer_body_ids(user))


# Who may do a kind of thing at all (the services check these); the rules after them add the
# plan's state (what a page offers now).


def writes_plans(access: PlanAccess) -> bool:
    """The person, a helper who can act for them, or their broker."""
    return access.role in (PERSON, HELPER, BROKER) and access.can_act


def decides_plans(access: PlanAccess) -> bool:
    """An officer of the plan's funder: asks for changes, approves."""
    return access.role == FUNDER


def records_reviews(access: PlanAccess) -> bool:
    return access.role in (FUNDER, BROKER)


def can_edit(access: PlanAccess, plan: SupportPlan) -> bool:
    return writes_plans(access) and plan.status in EDITABLE


def can_submit(access: PlanAccess, plan: SupportPlan) -> bool:
    return access.holder_side and plan.status in EDITABLE


def can_decide(access: PlanAccess, plan: SupportPlan) -> bool:
    """Ask for changes or approve: the funder, while the plan waits for them."""
    return decides_plans(access) and plan.status == PlanStatus.SUBMITTED


def signing_side(access: PlanAccess) -> str | None:
    if access.holder_side:
        return "holder"
    return "funder" if access.role == FUNDER else None


def can_sign(access: PlanAccess, plan: SupportPlan) -> bool:
    side = signing_side(access)
    version = plan.latest_version
    return (side is not None and plan.status == PlanStatus.APPROVED and version is not None
            and version.signature(side) is None)


def can_start_new_version(access: PlanAccess, plan: SupportPlan) -> bool:
    return writes_plans(access) and plan.status in NEW_VERSION_FROM


def can_ask_early_review(access: PlanAccess, plan: SupportPlan) -> bool:
    return access.can_act and plan.status in (PlanStatus.ACTIVE, PlanStatus.REVIEWED)


def can_record_review(access: PlanAccess, plan: SupportPlan) -> bool:
    return records_reviews(access) and plan.status == PlanStatus.REVIEW_DUE


def can_write(access: PlanAccess, plan: SupportPlan) -> bool:
    """In the thread: anyone with a part in the plan except a helper who may only view."""
    return access.can_act


def actions(access: PlanAccess, plan: SupportPlan) -> dict[str, bool]:
    """What the page offers this user now."""
    return {"edit": can_edit(access, plan), "submit": can_submit(access, plan), "decide": can_decide(access, plan),
            "sign": can_sign(access, plan), "new_version": can_start_new_version(access, plan),
            "early_review": can_ask_early_review(access, plan), "review": can_record_review(access, plan),
            "write": can_write(access, plan)}
