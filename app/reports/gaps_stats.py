"""Gaps in local provision: the ones recorded in the period by service category and district,
the last 12 months month by month, and each gap's response. A gap still without a response 14
days after it was recorded (and not closed) is highlighted."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.core.timeutil import london_date
from app.extensions import db
from app.needs.models import Gap, GapReason
from app.reports.period import months_back
from app.reports.sql import broker_name
from app.taxonomy.models import ServiceCategory

RESPONSE_DUE = timedelta(days=14)
TREND_MONTHS = 12


@dataclass(frozen=True)
class GapRow:
    id: int
    hub_id: int
    category: str
    district: str
    reason: GapReason
    flagged_at: datetime
    broker: str
    response: str
    responded_at: datetime | None
    closed_at: datetime | None

    @property
    def waiting(self) -> bool:
        """No response yet, and not closed."""
        return not self.response and self.closed_at is None

    def overdue(self, now: datetime) -> bool:
        """Still waiting for a response 14 days after it was recorded."""
        return self.waiting and self.flagged_at <= now - RESPONSE_DUE

    @property
    def month(self) -> date:
        day = london_date(self.flagged_at)
        return date(day.year, day.month, 1)


def _query():
    return (select(Gap.id, Gap.hub_id, ServiceCategory.name, Gap.district, Gap.reason, Gap.flagged_at, broker_name,
                    Gap.response, Gap.responded_at, Gap.closed_at)
             .join(ServiceCategory, ServiceCategory.id == Gap.category_id)
             .join(BrokerProfile, BrokerProfile.id == Gap.broker_id).join(User, User.id == BrokerProfile.user_id)
             .order_by(Gap.flagged_at.desc(), Gap.id.desc()))


def gap_rows(hub_ids: list[int], start: datetime, end: datetime) -> list[GapRow]:
    query = _query().where(Gap.hub_id.in_(hub_ids), Gap.flagged_at >= start, Gap.flagged_at < end)
    return [GapRow(*row) for row in db.session.execute(query)]


def overdue_rows(hub_ids: list[int], now: datetime) -> list[GapRow]:
    """Every gap still without a response 14 days after it was recorded (and not closed),
    whenever it was recorded: an old one left waiting matters most."""
    query = _query().where(Gap.hub_id.in_(hub_ids), Gap.response == "", Gap.closed_at.is_(None),
                           Gap.flagged_at <= now - RESPONSE_DUE)
    return [GapRow(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class Place:
    category: str
    district: str
    count: int
    waiting: int  # without a response yet


@dataclass(frozen=True)
class GapStats:
    rows: list[GapRow]  # recorded in the period
    year: list[GapRow]  # recorded in the last 12 months
    now: datetime
    today: date
    overdue: list[GapRow] = field(default_factory=list)  # waiting for a response after 14 days, from any time

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def places(self) -> list[Place]:
        """Service category and district, the most gaps first."""
        counts: Counter[tuple[str, str]] = Counter()
        waiting: Counter[tuple[str, str]] = Counter()
        for row in self.rows:
            counts[(row.category, row.district)] += 1
            waiting[(row.category, row.district)] += row.waiting
        return [Place(category, district, n, waiting[(category, district)])
                for (category, district), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]

    @property
    def trend(self) -> list[tuple[date, int]]:
        """(first day of the month, gaps recorded that month), the last 12 months, oldest first."""
        per_month = Counter(row.month for row in self.year)
        return [(first, per_month[first]) for first in months_back(TREND_MONTHS, self.today)]


    @property
    def trend_by_service(self) -> list[tuple[str, list[int]]]:
        """(service, gaps recorded in each of the last 12 months), the most gaps first."""
        months = months_back(TREND_MONTHS, self.today)
        per: dict[str, Counter] = defaultdict(Counter)
        for row in self.year:
            per[row.category][row.month] += 1
        return sorted(((category, [counts[m] for m in months]) for category, counts in per.items()),
                      key=lambda item: (-sum(item[1]), item[0]))


def trend_start(today: date) -> date:
    return months_back(TREND_MONTHS, today)[0]
