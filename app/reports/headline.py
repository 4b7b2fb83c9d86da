"""Every hub side by side: the same headline measures as each hub's page (`needs_stats`,
`gaps_stats`), counted by the database in a handful of grouped queries, so the page costs the
same for ten hubs as for one whatever their size. The rules are the same ones, written in SQL:
the tests check both against the same hand-built history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select

from app.brokers.models import BrokerProfile
from app.extensions import db
from app.holders.models import Consent
from app.needs.models import Gap, Need, NeedStatus
from app.reports.gaps_stats import RESPONSE_DUE
from app.reports.needs_stats import FILL_STANDARD, FILL_STANDARD_HOURS, TELL_STANDARD_HOURS, ready_at
from app.reports.people_stats import listed_counts
from app.reports.period import Period
from app.reports.sql import hours_of, median_rows, seconds_between
from app.reports.stats import median, share


@dataclass(frozen=True)
class Headline:
    posted: int = 0
    filled: int = 0
    filled_median: float | None = None  # hours
    fill_counted: int = 0
    filled_in_time: int = 0
    told_in_time: int = 0
    tell_counted: int = 0
    gaps: int = 0
    gaps_overdue: int = 0
    listed_brokers: int = 0

    @property
    def filled_in_30_days(self) -> int | None:
        return share(self.filled_in_time, self.fill_counted)

    @property
    def told_in_4_hours(self) -> int | None:
        return share(self.told_in_time, self.tell_counted)


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _needs(hub_ids: list[int], period: Period, now: datetime):
    first_told = Need.first_told_at
    to_filled = seconds_between(Need.published_at, Need.accepted_at)
    filled = and_(Need.status == NeedStatus.FILLED, Need.accepted_at.is_not(None))
    in_time = and_(filled, to_filled <= FILL_STANDARD_HOURS * 3600)
    fill_known = and_(Need.status != NeedStatus.WITHDRAWN, or_(in_time, Need.published_at <= now - FILL_STANDARD))
    told_in_time = seconds_between(ready_at(), first_told) <= TELL_STANDARD_HOURS * 3600
    tell_known = or_(told_in_time, ready_at() <= now - timedelta(hours=TELL_STANDARD_HOURS))
    rows = select(BrokerProfile.hub_id, func.count(Need.id), _count(filled), _count(fill_known), _count(in_time),
                  _count(and_(tell_known, told_in_time)), _count(tell_known))
    where = (BrokerProfile.hub_id.in_(hub_ids), Need.published_at >= period.start, Need.published_at < period.end)
    counts = db.session.execute(rows.join(BrokerProfile, BrokerProfile.id == Need.broker_id)
                                .outerjoin(Consent, Consent.id == Need.sharing_consent_id).where(*where)
                                .group_by(BrokerProfile.hub_id)).all()
    middles: dict[int, list[float]] = {}
    filled_times = (select(BrokerProfile.hub_id.label("hub_id"), to_filled.label("seconds"))
                    .join(BrokerProfile, BrokerProfile.id == Need.broker_id).where(*where, filled))
    for hub_id, seconds in db.session.execute(median_rows(filled_times, ["hub_id"], "seconds")):
        middles.setdefault(hub_id, []).append(hours_of(seconds))
    return counts, middles


def headlines(hub_ids: list[int], period: Period, now: datetime, today: date) -> dict[int, Headline]:
    counts, middles = _needs(hub_ids, period, now)
    in_period = and_(Gap.flagged_at >= period.start, Gap.flagged_at < period.end)
    overdue = and_(Gap.response == "", Gap.closed_at.is_(None), Gap.flagged_at <= now - RESPONSE_DUE)  # any time
    gaps = {hub_id: (n, late) for hub_id, n, late in db.session.execute(
        select(Gap.hub_id, _count(in_period), _count(overdue)).where(Gap.hub_id.in_(hub_ids), or_(in_period, overdue))
        .group_by(Gap.hub_id))}
    listed = listed_counts(hub_ids, today)
    needs = {hub_id: tuple(int(n) for n in numbers) for hub_id, *numbers in counts}
    result = {}
    for hub_id in hub_ids:
        posted, filled, counted, in_time, told, tell_counted = needs.get(hub_id, (0, 0, 0, 0, 0, 0))
        n_gaps, overdue = gaps.get(hub_id, (0, 0))
        result[hub_id] = Headline(posted, filled, median(middles.get(hub_id, [])), counted, in_time, told, tell_counted,
                                  int(n_gaps), int(overdue), listed[hub_id])
    return result
