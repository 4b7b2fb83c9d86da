"""Reviews at the end of an engagement: the council's quality questions, a 1-5 rating and a
comment. Published on the broker's profile after the hub lead checks them; the broker may
reply once, and the reply is checked by the hub lead in the same way before it is shown. Only
the person who had the engagement (or someone acting for them) can review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.brokers import services as brokers
from app.brokers.models import BrokerProfile
from app.core import audit, unit_of_work
from app.core.errors import DomainError, NotFound, PermissionDenied
from app.core.notifications import notify
from app.core.permissions import ensure
from app.core.records import locked
from app.core.reference import QUALITY_ANSWERS, QUALITY_QUESTIONS
from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.engagements import policies
from app.engagements.clients import holder_engagement
from app.engagements.kinds import ENGAGEMENTS
from app.engagements.models import Engagement, EngagementStatus, Review, ReviewStatus
from app.extensions import db
from app.holders.services import HolderAccess
from app.hubs.policies import led_hub_ids

MAX_COMMENT = 2000


def submit_review(acting: HolderAccess, engagement_id: int, *, answers: dict[str, str], rating: int,
                  comment: str) -> Review:
    if not acting.can_act:
        raise PermissionDenied()
    holder_engagement(acting, engagement_id)
    # Locked, so the same review sent several times at once is saved once and the rest are told.
    engagement = locked(Engagement, engagement_id)
    db.session.refresh(engagement, ["review"])
    if engagement.status != EngagementStatus.ENDED:
        raise DomainError("You can review your broker when your work together has ended")
    if engagement.review is not None:
        raise DomainError("You have already reviewed this broker for this piece of work")
    missing = [key for key in QUALITY_QUESTIONS if answers.get(key) not in QUALITY_ANSWERS]
    if missing:
        raise DomainError("Answer every question (choose \u201cDon\u2019t know\u201d if you are not sure)", field=missing[0])
    if rating not in range(1, 6):
        raise DomainError("Choose a rating from 1 to 5", field="rating")
    if len(comment) > MAX_COMMENT:
        raise DomainError(f"Your comment must be {MAX_COMMENT} characters or fewer", field="comment")
    review = Review(engagement=engagement, broker_id=engagement.broker_id,
                    answers={k: answers[k] for k in QUALITY_QUESTIONS}, rating=rating, comment=comment.strip(),
                    submitted_by_id=acting.user.id)
    db.session.add(review)
    try:
        db.session.flush()
    except IntegrityError as exc:  # another copy of the same review was saved at the same moment
        unit_of_work.discard()
        raise DomainError("You have already reviewed this broker for this piece of work") from exc
    audit.record("review.submitted", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder,
                 obj=review, rating=rating)
    for lead in engagement.broker.hub.lead_users:
        notify(lead, ENGAGEMENTS.key, f"A new review of {engagement.broker.display_name} needs checking",
               link=path_for("engagements.hub_reviews"))
    return review


def hub_reviews(user: User) -> list[Review]:
    return list(db.session.scalars(
        select(Review).join(BrokerProfile, BrokerProfile.id == Review.broker_id)
        .where(BrokerProfile.hub_id.in_(led_hub_ids(user)))
        # coalesce: with no reply the comparison is NULL, which PostgreSQL would sort first.
        .order_by(func.coalesce((Review.status == ReviewStatus.PENDING)
                                | (Review.reply_status == ReviewStatus.PENDING), False).desc(),
                  Review.submitted_at.desc())
    ))


def _check(status: ReviewStatus | None, user: User, publish: bool, note: str, already: str,
           why: str) -> tuple[ReviewStatus, datetime, int, str]:
    """The same rule for a review and for a reply: checked once; not publishing needs a reason.
    Gives what the check records: the new status, when, by whom and the note."""
    if status != ReviewStatus.PENDING:
        raise DomainError(already)
    if not publish and not note.strip():
        raise DomainError(why, field="note")
    return ReviewStatus.PUBLISHED if publish else ReviewStatus.REJECTED, utcnow(), user.id, note.strip()


def moderate(user: User, review_id: int, *, publish: bool, note: str) -> Review:
    review = locked(Review, review_id)  # two leads deciding at once: the second sees the first's decision
    ensure(policies.checks_reviews_of, user, review)
    review.status, review.moderated_at, review.moderated_by_id, review.moderation_note = _check(
        review.status, user, publish, note, "This review has already been checked",
        "Give the reason it is not published (for example, it names someone)")
    audit.record("review.moderated", actor=user, obj=review, decision=review.status.value)
    if publish:
        notify(review.broker.user, ENGAGEMENTS.key, "A new review is on your profile",
               "You can reply to it once.", path_for("engagements.broker_reviews"))
    return review


def broker_reviews(user: User) -> list[Review]:
    return published_reviews(brokers.broker_of(user))


def reply(user: User, review_id: int, text: str) -> Review:
    brokers.broker_of(user)
    # Locked: a double-clicked reply is saved once, and the hub lead asked once.
    review = locked(Review, review_id)
    ensure(policies.sees_own_review, user, review)
    if not review.can_reply:
        raise DomainError("You have already replied to this review. Each review can have one reply")
    if not text.strip():
        raise DomainError("Enter your reply", field="reply")
    if len(text) > MAX_COMMENT:
        raise DomainError(f"Your reply must be {MAX_COMMENT} characters or fewer", field="reply")
    review.reply = text.strip()
    review.replied_at = utcnow()
    review.reply_status = ReviewStatus.PENDING
    review.reply_moderated_at = review.reply_moderated_by_id = None
    review.reply_moderation_note = ""
    audit.record("review.replied", actor=user, obj=review)
    for lead in review.broker.hub.lead_users:
        notify(lead, ENGAGEMENTS.key, f"{review.broker.display_name}'s reply to a review needs checking",
               link=path_for("engagements.hub_reviews"))
    return review


def moderate_reply(user: User, review_id: int, *, publish: bool, note: str) -> Review:
    """The hub lead checks a broker's reply before it appears under the review."""
    review = locked(Review, review_id)
    ensure(policies.checks_reviews_of, user, review)
    if not review.reply:
        raise NotFound()
    review.reply_status, review.reply_moderated_at, review.reply_moderated_by_id, review.reply_moderation_note = _check(
        review.reply_status, user, publish, note, "This reply has already been checked",
        "Give the reason it is not published, so the broker can write it again")
    audit.record("review.reply_moderated", actor=user, obj=review, decision=review.reply_status.value)
    notify(review.broker.user, ENGAGEMENTS.key,
           "Your reply to a review is now on your profile" if publish else "Your reply to a review was not published",
           note.strip(), path_for("engagements.broker_reviews"))
    return review


def published_reviews(broker: BrokerProfile) -> list[Review]:
    return list(db.session.scalars(
        select(Review).where(Review.broker_id == broker.id, Review.status == ReviewStatus.PUBLISHED)
        .order_by(Review.submitted_at.desc())
    ))


def rating_summary(broker_ids: Sequence[int]) -> dict[int, tuple[float, int]]:
    """broker id -> (average published rating, number of published reviews)."""
    if not broker_ids:
        return {}
    rows = db.session.execute(
        select(Review.broker_id, func.avg(Review.rating), func.count())
        .where(Review.broker_id.in_(list(broker_ids)), Review.status == ReviewStatus.PUBLISHED)
        .group_by(Review.broker_id)
    ).all()
    return {broker_id: (round(float(avg), 1), count) for broker_id, avg, count in rows}


def awaiting_review(holder_id: int) -> list[Engagement]:
    return list(db.session.scalars(
        select(Engagement).outerjoin(Review, Review.engagement_id == Engagement.id)
        .where(Engagement.holder_id == holder_id, Engagement.status == EngagementStatus.ENDED, Review.id.is_(None))
    ))
