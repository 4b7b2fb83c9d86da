"""A hub's brokers as they stand today (status, caseload, band hours, checks expiring within
30 days) and what their clients said: the council's quality questions, answered Yes / No /
Partly / Don't know, and the review ratings, for reviews submitted in the period (including
those the hub lead has not checked yet, but not those they chose not to publish)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.brokers import rules, standing
from app.brokers.expiry import expiry_date
from app.brokers.models import BrokerProfile, VerificationStatus
from app.core.reference import QUALITY_ANSWERS, QUALITY_QUESTIONS
from app.engagements.models import Engagement, EngagementStatus, Review, ReviewStatus, TimeEntry
from app.extensions import db
from app.reports.period import Period

EXPIRING_WITHIN = timedelta(days=30)


@dataclass(frozen=True)
class BrokerLine:
    broker: BrokerProfile
    status: str
    caseload: int
    minutes_used: int
    minutes_allocated: int
    expiring: list[str]
    expired: list[str]


def broker_lines(hub_ids: list[int], today: date) -> dict[int, list[BrokerLine]]:
    """hub id -> its brokers, by name (a fixed number of queries)."""
    brokers = list(db.session.scalars(
        select(BrokerProfile).where(BrokerProfile.hub_id.in_(hub_ids))
        .options(selectinload(BrokerProfile.user), selectinload(BrokerProfile.verifications))))
    ids = [b.id for b in brokers]
    active = (Engagement.status == EngagementStatus.ACTIVE, Engagement.broker_id.in_(ids))
    caseload = dict(db.session.execute(select(Engagement.broker_id, func.count()).where(*active)
                                       .group_by(Engagement.broker_id)).all())
    allocated = dict(db.session.execute(select(Engagement.broker_id, func.sum(Engagement.allocated_minutes))
                                        .where(*active).group_by(Engagement.broker_id)).all())
    used = dict(db.session.execute(select(Engagement.broker_id, func.sum(TimeEntry.minutes))
                                   .join(TimeEntry, TimeEntry.engagement_id == Engagement.id)
                                   .where(*active).group_by(Engagement.broker_id)).all())
    listed = standing.standings(brokers, today)
    lines: dict[int, list[BrokerLine]] = defaultdict(list)
    for broker in sorted(brokers, key=lambda b: b.display_name.lower()):
        status = "Accredited and listed" if listed[broker.id].listed else broker.status.label
        lines[broker.hub_id].append(BrokerLine(broker, status, caseload.get(broker.id, 0), int(used.get(broker.id) or 0),
                                               int(allocated.get(broker.id) or 0), *_checks(broker, today)))
    return lines


def listed_counts(hub_ids: list[int], today: date) -> dict[int, int]:
    """hub id -> how many of its brokers are accredited and listed today (two queries)."""
    brokers = dict(db.session.execute(select(BrokerProfile.id, BrokerProfile.hub_id)
                                      .where(BrokerProfile.hub_id.in_(hub_ids))).all())
    counts: Counter[int] = Counter(brokers[broker_id] for broker_id in
                                   db.session.scalars(rules.accredited_brokers_query(today)
                                                      .where(BrokerProfile.hub_id.in_(hub_ids))
                                                      .with_only_columns(BrokerProfile.id)))
    return {hub_id: counts[hub_id] for hub_id in hub_ids}


def _checks(broker: BrokerProfile, today: date) -> tuple[list[str], list[str]]:
    """(expiring within 30 days, already expired): "DBS check on 3 January 2027", for each
    check's newest approved one (a later one already in place takes over)."""
    latest: dict = {}
    for row in broker.verifications:
        expires = expiry_date(row) if row.status == VerificationStatus.APPROVED else None
        if expires is not None and expires > latest.get(row.kind, date.min):
            latest[row.kind] = expires
    expiring, expired = [], []
    for kind, expires in sorted(latest.items(), key=lambda item: item[1]):
        if kind not in standing.EXPIRING_PARTS:
            continue
        part = standing.LISTING_PARTS[kind]
        part = part[0].upper() + part[1:]
        if expires < today:
            expired.append(f"{part} expired on {expires.day} {expires:%B %Y}")
        elif expires <= today + EXPIRING_WITHIN:
            expiring.append(f"{part} on {expires.day} {expires:%B %Y}")
    return expiring, expired


@dataclass
class Satisfaction:
    answers: dict[str, Counter] = field(default_factory=lambda: {key: Counter() for key in QUALITY_QUESTIONS})
    ratings: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # broker id -> ratings
    names: dict[int, str] = field(default_factory=dict)

    def count(self, question: str, answer: str) -> int:
        return self.answers[question][answer]

    def answered(self, question: str) -> int:
        return sum(self.answers[question][answer] for answer in QUALITY_ANSWERS)

    @property
    def reviews(self) -> int:
        return sum(len(r) for r in self.ratings.values())


def review_rows(hub_ids: list[int], period: Period) -> list[Review]:
    return list(db.session.scalars(
        select(Review).join(BrokerProfile, BrokerProfile.id == Review.broker_id)
        .where(BrokerProfile.hub_id.in_(hub_ids), Review.submitted_at >= period.start,
               Review.submitted_at < period.end, Review.status != ReviewStatus.REJECTED)
        .options(selectinload(Review.broker).selectinload(BrokerProfile.user))
        .order_by(Review.submitted_at.desc())))


def satisfaction(reviews: list[Review]) -> dict[int, Satisfaction]:
    """hub id -> what the clients of its brokers said."""
    result: dict[int, Satisfaction] = defaultdict(Satisfaction)
    for review in reviews:
        entry = result[review.broker.hub_id]
        for question in QUALITY_QUESTIONS:
            answer = (review.answers or {}).get(question)
            if answer in QUALITY_ANSWERS:
                entry.answers[question][answer] += 1
        entry.ratings[review.broker_id].append(review.rating)
        entry.names[review.broker_id] = review.broker.display_name
    return result
