"""The reports' front door: a hub's performance for a period, every hub side by side, and the
lists behind each number. Every function checks who is asking (someone else's hub is 404).

The numbers are worked out from the records themselves (needs and their dates, gaps, offers,
agreements, engagements, reviews, the directory) in a fixed number of queries per page,
whatever the size of the hub; the rules of each are in the module that counts them:
`needs_stats`, `gaps_stats`, `providers_stats`, `people_stats`, `directory_stats`, `fees`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from app.accounts.models import User
from app.core.errors import NotFound
from app.core.permissions import ensure
from app.core.reference import QUALITY_ANSWERS, QUALITY_QUESTIONS
from app.core.timeutil import today_in_london, utcnow
from app.engagements.models import Review
from app.extensions import db
from app.hubs.models import Hub
from app.hubs.policies import hubs_led_by
from app.needs.models import Urgency
from app.reports import gaps_stats, needs_stats, people_stats, policies, providers_stats
from app.reports.directory_stats import directory_counts
from app.reports.fees import FeesDue, fees_due
from app.reports.gaps_stats import GapRow, GapStats
from app.reports.headline import Headline, headlines
from app.reports.needs_stats import NeedRow, NeedStats
from app.reports.people_stats import BrokerLine, Satisfaction
from app.reports.period import Period, default_period
from app.reports.providers_stats import ProviderLine

__all__ = ["Period", "default_period", "hub_report", "all_hubs_report", "hubs_for", "open_hub", "needs_behind",
           "gaps_behind", "provider_behind", "reviews_behind"]


@dataclass(frozen=True)
class HubReport:
    hub: Hub
    period: Period
    needs: NeedStats
    gaps: GapStats
    listed_brokers: int
    providers: list[ProviderLine] = field(default_factory=list)
    brokers: list[BrokerLine] = field(default_factory=list)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    stale_entries: int = 0
    waiting_suggestions: int = 0

    @property
    def discharge(self) -> NeedStats:
        return self.needs.only(Urgency.HOSPITAL_DISCHARGE)

    @property
    def offers_per_need(self) -> float | None:
        offers = sum(p.offers for p in self.providers)
        return round(offers / self.needs.posted, 1) if self.needs.posted else None

    @property
    def never_responded(self) -> list[ProviderLine]:
        return [p for p in self.providers if p.never_responded]


def hubs_for(user: User) -> list[Hub]:
    """The hubs whose report this user may choose: the ones they lead (every hub for an admin)."""
    if policies.can_see_all_hubs(user):
        return list(db.session.scalars(select(Hub).order_by(Hub.name)))
    return sorted(hubs_led_by(user), key=lambda hub: hub.name)


def open_hub(user: User, hub_id: int | None) -> Hub:
    """The hub asked for (the user's first hub when none is): 404 unless they may see it."""
    if hub_id is None:
        hubs = hubs_for(user) if not policies.can_see_all_hubs(user) else []
        hub = hubs[0] if hubs else None
    else:
        hub = db.session.get(Hub, hub_id)
    ensure(policies.can_see_hub_report, user, hub)
    return hub


def _full(hub: Hub, period: Period, now: datetime, today: date) -> HubReport:
    """One hub's whole report: needs, gaps, providers, brokers, what clients said and the directory."""
    trend_from = Period(gaps_stats.trend_start(today), today)
    gaps = GapStats(gaps_stats.gap_rows([hub.id], period.start, period.end),
                    gaps_stats.gap_rows([hub.id], trend_from.start, trend_from.end), now, today,
                    gaps_stats.overdue_rows([hub.id], now))
    said = people_stats.satisfaction(people_stats.review_rows([hub.id], period))
    stale, waiting = directory_counts([hub.id], today)[hub.id]
    return HubReport(
        hub, period, NeedStats(needs_stats.need_rows([hub.id], period, now), now), gaps,
        people_stats.listed_counts([hub.id], today)[hub.id],
        providers=sorted(providers_stats.provider_lines([hub.id], period).get(hub.id, {}).values(),
                         key=lambda p: p.name.lower()),
        brokers=people_stats.broker_lines([hub.id], today).get(hub.id, []),
        satisfaction=said.get(hub.id) or Satisfaction(), stale_entries=stale, waiting_suggestions=waiting)


def hub_report(user: User, hub_id: int | None, period: Period) -> HubReport:
    hub = open_hub(user, hub_id)
    return _full(hub, period, utcnow(), today_in_london())


@dataclass(frozen=True)
class HubSummary:
    hub: Hub
    headline: Headline
    fees: FeesDue


def all_hubs_report(user: User, period: Period) -> list[HubSummary]:
    """Every hub side by side, a closed one too (it may owe fees for the months it ran): platform admin only."""
    ensure(policies.can_see_all_hubs, user, None)
    hubs = list(db.session.scalars(select(Hub).order_by(Hub.name)))
    figures = headlines([hub.id for hub in hubs], period, utcnow(), today_in_london())
    fees = fees_due(hubs, period)
    return [HubSummary(hub, figures[hub.id], fees[hub.id]) for hub in hubs]


# --- The lists behind the numbers -----------------------------------------------------------------


def needs_behind(user: User, hub_id: int | None, period: Period, measure: str,
                 urgency: str | None) -> tuple[Hub, str, list[NeedRow]]:
    hub = open_hub(user, hub_id)
    if measure not in needs_stats.BEHIND or urgency not in (None, Urgency.HOSPITAL_DISCHARGE.value):
        raise NotFound()
    now = utcnow()
    stats = NeedStats(needs_stats.need_rows([hub.id], period, now, detail=True), now)
    if urgency:
        stats = stats.only(Urgency(urgency))
    title, rows = needs_stats.BEHIND[measure]
    return hub, title + (" (hospital discharge)" if urgency else ""), rows(stats)


def gaps_behind(user: User, hub_id: int | None, period: Period, *, category: str | None = None,
                district: str | None = None, waiting: bool = False, overdue: bool = False) -> tuple[Hub, list[GapRow]]:
    """The gaps recorded in the period (by service and district; only those without a response),
    or every gap still waiting for a response after 14 days, whenever it was recorded."""
    hub = open_hub(user, hub_id)
    if overdue:
        return hub, gaps_stats.overdue_rows([hub.id], utcnow())
    rows = gaps_stats.gap_rows([hub.id], period.start, period.end)
    return hub, [r for r in rows if (category is None or r.category == category)
                 and (district is None or r.district == district)
                 and (not waiting or r.waiting)]


def provider_behind(user: User, hub_id: int | None, period: Period, organisation_id: int) -> tuple[Hub, ProviderLine,
                                                                                                   list[NeedRow]]:
    """One provider's line, and the hub's needs of the period it was told about or offered on."""
    hub = open_hub(user, hub_id)
    line = providers_stats.provider_lines([hub.id], period).get(hub.id, {}).get(organisation_id)
    if line is None:
        raise NotFound()
    need_ids = providers_stats.needs_of(hub.id, period, organisation_id)
    return hub, line, [r for r in needs_stats.need_rows([hub.id], period, utcnow(), detail=True) if r.id in need_ids]


def reviews_behind(user: User, hub_id: int | None, period: Period, *, question: str | None = None,
                   answer: str | None = None, broker_id: int | None = None) -> tuple[Hub, list[Review]]:
    hub = open_hub(user, hub_id)
    if (question is not None or answer is not None) and (question not in QUALITY_QUESTIONS
                                                         or answer not in QUALITY_ANSWERS):
        raise NotFound()
    rows = people_stats.review_rows([hub.id], period)
    if question is not None:
        rows = [r for r in rows if (r.answers or {}).get(question) == answer]
    if broker_id is not None:
        rows = [r for r in rows if r.broker_id == broker_id]
    return hub, rows
