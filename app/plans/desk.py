"""The funder officer's desk: plans submitted to their body (oldest first), plans waiting for
their signature, reviews due in the next 30 days and overdue, and the people their body funds
with the indicative budgets they set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.money import format_pence
from app.core.records import locked
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.holders.models import BudgetHolder
from app.ledger.models import Company, FundingStream
from app.ledger.policies import officer_body_ids
from app.plans.content import indicative_budget
from app.plans.models import IndicativeBudget, PlanReview, PlanStatus, PlanVersion, SupportPlan
from app.plans.thread import tell

SOON_DAYS = 30


@dataclass(frozen=True)
class Desk:
    queue: list[tuple[SupportPlan, int]]  # (plan, days waiting), oldest first
    to_sign: list[SupportPlan]  # approved, waiting for the funder's signature or the person's
    sent_back: list[SupportPlan]  # changes asked for, waiting for the person
    reviews: list[tuple[PlanReview, bool]]  # (review, overdue), soonest first
    people: list[tuple[BudgetHolder, object, IndicativeBudget | None]]  # (person, body, budget)


def _submitted_plans(body_ids: set[int]):
    return select(SupportPlan).join(BudgetHolder).where(
        SupportPlan.funding_body_id.in_(body_ids), BudgetHolder.closed_at.is_(None),
        SupportPlan.versions.any())


def _with_what_the_desk_reads(query):
    """Each plan with its person, versions (and their signatures and change requests) and reviews, in
    a fixed number of queries however many plans there are."""
    return query.options(
        joinedload(SupportPlan.holder),
        selectinload(SupportPlan.versions).selectinload(PlanVersion.signatures),
        selectinload(SupportPlan.versions).selectinload(PlanVersion.change_requests),
        selectinload(SupportPlan.reviews))


def _budgets(body_ids: set[int]) -> dict[tuple[int, int], IndicativeBudget]:
    rows = db.session.scalars(select(IndicativeBudget).where(IndicativeBudget.funding_body_id.in_(body_ids)))
    return {(budget.holder_id, budget.funding_body_id): budget for budget in rows}


def funded_people(body_ids: set[int]) -> list[tuple[BudgetHolder, int]]:
    """(person, body id) for everyone a body funds: a stream from it, or a plan submitted to it."""
    by_stream = db.session.execute(select(BudgetHolder, FundingStream.funding_body_id).join(
        Company, Company.holder_id == BudgetHolder.id).join(FundingStream, FundingStream.company_id == Company.id)
        .where(FundingStream.funding_body_id.in_(body_ids), BudgetHolder.closed_at.is_(None))).all()
    by_plan = db.session.execute(_submitted_plans(body_ids).with_only_columns(
        BudgetHolder, SupportPlan.funding_body_id)).all()
    pairs = {(holder.id, body_id): holder for holder, body_id in [*by_stream, *by_plan]}
    return sorted(((holder, body_id) for (_, body_id), holder in pairs.items()), key=lambda p: (p[0].name, p[1]))


def desk(user, today: date | None = None) -> Desk:
    today = today or today_in_london()
    body_ids = officer_body_ids(user)
    plans = list(db.session.scalars(_with_what_the_desk_reads(_submitted_plans(body_ids))).unique())
    waiting = sorted((p for p in plans if p.status == PlanStatus.SUBMITTED),
                     key=lambda p: p.latest_version.submitted_at)
    queue = [(p, (today - p.latest_version.submitted_at.date()).days) for p in waiting]
    to_sign = sorted((p for p in plans if p.status == PlanStatus.APPROVED), key=lambda p: p.latest_version.approved_at)
    sent_back = [p for p in plans if p.status == PlanStatus.CHANGES_REQUESTED]
    reviews = [r for p in plans for r in p.reviews if r.is_open and r.due_on <= today + timedelta(days=SOON_DAYS)]
    reviews.sort(key=lambda r: r.due_on)
    bodies = {membership.funding_body_id: membership.funding_body for membership in user.funder_memberships}
    budgets = _budgets(body_ids)
    people = [(holder, bodies[body_id], budgets.get((holder.id, body_id)))
              for holder, body_id in funded_people(body_ids)]
    return Desk(queue, to_sign, sent_back, [(r, r.due_on < today) for r in reviews], people)


def funded_person(user, holder_id: int, body_id: int) -> BudgetHolder:
    """A person the officer's body funds (404 for anyone else)."""
    if body_id not in officer_body_ids(user):
        raise NotFound()
    for holder, funded_by in funded_people({body_id}):
        if holder.id == holder_id and funded_by == body_id:
            return holder
    raise NotFound()


def set_indicative_budget(user, holder_id: int, body_id: int, amount_pence: int | None) -> IndicativeBudget:
    holder = funded_person(user, holder_id, body_id)
    locked(BudgetHolder, holder.id)  # two officers saving at once: one after the other, one row
    if not amount_pence or amount_pence <= 0:
        raise DomainError("Enter the indicative budget for a year, more than £0", field="amount")
    budget = indicative_budget(holder.id, body_id)
    before = budget.amount_pence if budget else None
    if budget is None:
        budget = IndicativeBudget(holder_id=holder.id, funding_body_id=body_id, amount_pence=amount_pence,
                                  set_by_id=user.id)
        db.session.add(budget)
    budget.amount_pence, budget.set_by_id, budget.set_at = amount_pence, user.id, utcnow()
    db.session.flush()
    audit.record("plan.indicative_budget_set", actor=user, holder=holder, obj=budget, amount_pence=amount_pence,
                 before_pence=before)
    for plan in db.session.scalars(select(SupportPlan).where(SupportPlan.holder_id == holder.id,
                                                             SupportPlan.funding_body_id == body_id)):
        tell(plan, user, f"Indicative budget for {holder.name}: {format_pence(amount_pence)} a year",
             f"{user.name} set the indicative budget at {format_pence(amount_pence)} a year.")
    return budget

