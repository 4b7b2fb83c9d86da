"""Reviews: signing books the first one (a set number of weeks, 6 to 8, after support starts),
each review done books the next a year later, and anyone with a part in the plan can ask for an
early one. A review records notes and, for each outcome, met / partly met / not met."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.core import audit
from app.core.errors import DomainError, DomainErrors, PermissionDenied
from app.core.records import locked
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.plans.content import PlanContent
from app.plans.models import PlanReview, PlanStatus, PlanVersion, Rating, ReviewKind, SupportPlan
from app.plans.policies import PlanAccess, records_reviews
from app.plans.thread import event
from app.plans.workflow import check_move, move

NOTICE_DAYS = 14  # a review is "due" from two weeks before its date; after the date it is overdue


def a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def first_review_date(plan: SupportPlan, signed_on: date) -> date:
    """The review weeks after support starts (or after signing, when support started before it)."""
    start = max(plan.services_start_on or signed_on, signed_on)
    return start + timedelta(weeks=plan.review_weeks)


def _replace_open(plan: SupportPlan) -> None:
    for review in plan.reviews:
        if review.is_open:
            review.replaced_at = utcnow()
    db.session.flush()


def _book(plan: SupportPlan, version: PlanVersion, kind: ReviewKind, due_on: date, **extra) -> PlanReview:
    _replace_open(plan)
    review = PlanReview(plan=plan, version_id=version.id, kind=kind, due_on=due_on, **extra)
    db.session.add(review)
    db.session.flush()
    return review


def book_first_review(plan: SupportPlan, version: PlanVersion) -> PlanReview:
    return _book(plan, version, ReviewKind.FIRST, first_review_date(plan, today_in_london()))


def update_statuses(today: date | None = None) -> tuple[int, int]:
    """Signed plans whose support has started come into force; plans whose review is within
    NOTICE_DAYS become due for review. Returns (in force, due). Run by `flask scheduled run`."""
    today = today or today_in_london()
    started = due = 0
    starting = select(SupportPlan.id).where(SupportPlan.status == PlanStatus.SIGNED,
                                            SupportPlan.services_start_on <= today)
    for plan_id in list(db.session.scalars(starting)):
        plan = locked(SupportPlan, plan_id)  # a person starting a new version at this moment wins or waits
        if plan.status != PlanStatus.SIGNED:
            continue
        move(plan, "start")
        event(plan, None, f"Version {plan.in_force_version.number} is now in force.")
        started += 1
    waiting = select(SupportPlan.id).join(PlanReview, PlanReview.plan_id == SupportPlan.id).where(
        SupportPlan.status.in_([PlanStatus.ACTIVE, PlanStatus.REVIEWED]), PlanReview.done_at.is_(None),
        PlanReview.replaced_at.is_(None), PlanReview.due_on <= today + timedelta(days=NOTICE_DAYS))
    for plan_id in list(db.session.scalars(waiting)):
        plan = locked(SupportPlan, plan_id)
        if plan.status not in (PlanStatus.ACTIVE, PlanStatus.REVIEWED):
            continue
        move(plan, "review_comes_due")
        event(plan, None, f"The plan's {plan.open_review.kind.label.lower()} is due on "
                          f"{plan.open_review.due_on.strftime('%-d %B %Y')}.")
        due += 1
    return started, due


def ask_early_review(access: PlanAccess, plan: SupportPlan, reason: str) -> PlanReview:
    if not access.can_act:
        raise PermissionDenied("You can read this plan but not ask for a review.")
    plan = locked(SupportPlan, plan.id)
    check_move(plan, "review_comes_due")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why you want an early review", field="reason")
    review = _book(plan, plan.in_force_version, ReviewKind.EARLY, today_in_london(), requested_by_id=access.user.id,
                   reason=reason)
    move(plan, "review_comes_due")
    audit.record("plan.early_review_asked", actor=access.user, on_behalf_of=access.on_behalf_of, holder=plan.holder,
                 obj=plan)
    event(plan, access, f"{access.user.name} asked for an early review: {reason}",
          news=f"{access.user.name} asked for an early review. Sign in to read why.")
    return review


def outcomes_to_rate(plan: SupportPlan) -> list[str]:
    return PlanContent(plan.in_force_version.content).outcomes if plan.in_force_version else []


def record_review(access: PlanAccess, plan: SupportPlan, notes: str, ratings: list[str | None]) -> PlanReview:
    """The funder (or the person's broker) records the review that is due and books the next a year on."""
    if not records_reviews(access):
        raise PermissionDenied("The funder or the person's broker records a review.")
    plan = locked(SupportPlan, plan.id)
    check_move(plan, "record_review")
    outcomes = outcomes_to_rate(plan)
    errors = [DomainError(f"Say whether “{outcome}” was met", field=f"outcome_{n}")
              for n, outcome in enumerate(outcomes) if n >= len(ratings) or ratings[n] not in Rating.values()]
    notes = (notes or "").strip()
    if not notes:
        errors.append(DomainError("Write what the review found", field="notes"))
    if errors:
        raise DomainErrors(errors)
    review = plan.open_review
    review.done_at, review.done_by_id, review.notes = utcnow(), access.user.id, notes
    review.ratings = [{"outcome": outcome, "rating": ratings[n]} for n, outcome in enumerate(outcomes)]
    move(plan, "record_review")
    next_review = _book(plan, plan.in_force_version, ReviewKind.ANNUAL, a_year_after(today_in_london()))
    audit.record("plan.reviewed", actor=access.user, holder=plan.holder, obj=plan, review=review.id)
    event(plan, access, f"{access.user.name} recorded the review. The next review is booked for "
                        f"{next_review.due_on.strftime('%-d %B %Y')}.")
    return review
