"""Opening a person's plans: `plans_for()` and `open_plan()` are the gate every service and view
goes through (404 for anyone without a current reason), and every view of a plan by anyone but
its owner is audit-logged."""

from __future__ import annotations

from typing import Any

from app.core import audit
from app.core.errors import NotFound, PermissionDenied
from app.extensions import db
from app.holders.models import BudgetHolder
from app.plans.content import PlanContent, working_content
from app.plans.models import PlanVersion, SupportPlan
from app.plans.policies import FUNDER, PERSON, PlanAccess, funder_sees, holder_role


def _holder(holder_id: int) -> BudgetHolder:
    holder = db.session.get(BudgetHolder, holder_id)
    if holder is None or not holder.is_open:
        raise NotFound()
    return holder


def _audit_view(access: PlanAccess, record, viewing: str | None) -> None:
    """A page showing the person's plans (`viewing` names it) to anyone but the person is audit-logged."""
    if viewing and access.role != PERSON:
        audit.record("client_record.viewed", actor=access.user, on_behalf_of=access.on_behalf_of, holder=access.holder,
                     obj=record, as_role=access.role, view=viewing)


def plans_of(holder: BudgetHolder) -> list[SupportPlan]:
    """Every plan of the person, for pages that have already checked who is looking."""
    return list(db.session.scalars(db.select(SupportPlan).where(SupportPlan.holder_id == holder.id)
                                   .order_by(SupportPlan.id)))


def plans_for(user: Any, holder_id: int, *, viewing: str | None = None) -> tuple[PlanAccess, list[SupportPlan]]:
    """The person's plans that the user may see: all of them for the person, their helpers and
    their broker; for a funder officer, those submitted to their body (404 if none). As for
    `open_plan`, a list shown (`viewing`) to anyone but the owner is audit-logged."""
    holder = _holder(holder_id)
    access = holder_role(user, holder)
    plans = plans_of(holder)
    if access is None:
        plans = [plan for plan in plans if funder_sees(user, plan)]
        if not plans:
            raise NotFound()
        access = PlanAccess(holder, user, FUNDER, True)
    _audit_view(access, holder, viewing)
    return access, plans


def open_plan(user: Any, holder_id: int, plan_id: int, *, viewing: str | None = None) -> tuple[PlanAccess, SupportPlan]:
    """The user's access to one plan of the person's. `viewing` names the page when the plan is
    being shown (not only acted on): a view by anyone but the owner is then audit-logged."""
    holder = _holder(holder_id)
    plan = db.session.get(SupportPlan, plan_id)
    if plan is None or plan.holder_id != holder.id:
        raise NotFound()
    access = holder_role(user, holder)
    if access is None:
        if not funder_sees(user, plan):
            raise NotFound()
        access = PlanAccess(holder, user, FUNDER, True)
    _audit_view(access, plan, viewing)
    return access, plan


def acting_on(user: Any, holder_id: int, plan_id: int, *, viewing: str | None = None) -> tuple[PlanAccess, SupportPlan]:
    """As `open_plan`, for changing something: a helper who may only view is refused (403)."""
    access, plan = open_plan(user, holder_id, plan_id, viewing=viewing)
    if not access.can_act:
        raise PermissionDenied(f"You can read {access.holder.name}'s plans but not change them.")
    return access, plan


def shown_content(access: PlanAccess, plan: SupportPlan) -> PlanContent:
    """What the user reads as "the plan": the working draft for the person's side and their
    broker; for the funder, the version last submitted to them (never a draft)."""
    if access.role == FUNDER:
        return PlanContent(plan.latest_version.content)
    return working_content(plan)


def version_of(plan: SupportPlan, number: int) -> PlanVersion:
    version = next((v for v in plan.versions if v.number == number), None)
    if version is None:
        raise NotFound()
    return version
