"""What a hub owes the centre under its agency agreement for a period: the monthly fee for each
month that begins in the period while the agreement runs (from its start, to its end if it has
one), and the fee for each new client: an engagement started in the period, while the agreement
runs, by one of the hub's brokers. No agreement start date: nothing is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.brokers.models import BrokerProfile
from app.core.timeutil import london_date
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
    """Each hub's fees for the period (one query for the new clients of every hub)."""
    running = {hub.id: _running(hub, period) for hub in hubs}
    started: dict[int, list[date]] = {hub.id: [] for hub in hubs}
    if any(running.values()):
        for hub_id, started_at in db.session.execute(
                select(BrokerProfile.hub_id, Engagement.started_at)
                .join(BrokerProfile, BrokerProfile.id == Engagement.broker_id)
                .where(BrokerProfile.hub_id.in_([hub_id for hub_id, days in running.items() if days]),
                       Engagement.started_at >= period.start, Engagement.started_at < period.end)):
            started[hub_id].append(london_date(started_at))
    result = {}
    for hub in hubs:
        days = running[hub.id]
        months = months_beginning(*days) if days else 0
        new_clients = sum(1 for day in started[hub.id] if days and days[0] <= day <= days[1])
        result[hub.id] = FeesDue(months, hub.monthly_fee_pence, new_clients, hub.fee_per_new_client_pence)
    return result
