"""What a hub owes the centre under its agency agreement for a period: the monthly fee for each
month that begins in the period while the agreement runs (from its start, to its end if it has
one), and the fee for each new client: an engagement started in the period, while the agreement
runs, by one of the hub's brokers. No agreement start date: nothing is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.brokers.models import BrokerProfile
from app.core.timeutil import london_day_bounds
from app.engagements.models import Engagement
from app.extensions import db
from app.hubs.models import Hub
from app.reports.period import Period, month_after


@dataclass(frozen=True)
class FeesDue:
    months: int
    monthly_fee_pence: int
    new_clients: int
    fee_per_new_client_pence: int

    @property
    def total_pence(self) -> int:
        return self.months * self.monthly_fee_pence + self.new_clients * self.fee_per_new_client_pence


def _running(hub: Hub, period: Period) -> tuple[date, date] | None:
    """The days of the period the agreement runs on (first, last), if any."""
    if hub.agreement_start is None:
        return None
    first = max(period.first_day, hub.agreement_start)
    last = min(period.last_day, hub.agreement_end) if hub.agreement_end else period.last_day
    return (first, last) if first <= last else None


def months_beginning(first: date, last: date) -> int:
    """How many first days of a month fall from `first` to `last`, both included."""
    month = date(first.year, first.month, 1)
    if month < first:
        month = month_after(month)
    count = 0
    while month <= last:
        count += 1
        month = month_after(month)
    return count


def fees_due(hubs: list[Hub], period: Period) -> dict[int, FeesDue]:
    result = {}
    for hub in hubs:
        running = _running(hub, period)
        months = new_clients = 0
        if running is not None:
            months = months_beginning(*running)
            start, end = london_day_bounds(running[0])[0], london_day_bounds(running[1])[1]
            new_clients = db.session.scalar(
                select(func.count(Engagement.id)).join(BrokerProfile, BrokerProfile.id == Engagement.broker_id)
                .where(BrokerProfile.hub_id == hub.id, Engagement.started_at >= start, Engagement.started_at < end))
        result[hub.id] = FeesDue(months, hub.monthly_fee_pence, new_clients or 0, hub.fee_per_new_client_pence)
    return result
