"""How providers answer a hub's needs. Every number is about the needs posted in the
period, as they stand today.

- Told: needs the provider was told about (it fitted them, or they were invited).
- Offers: offers made (including ones later withdrawn); needs offered on: distinct needs.
- Response time: for each need they offered on, from being told (or, if never told, from the
  need's publishing) to their first offer on it; the median of those.
- Accepted: service agreements started with them on those needs. Hand-backs: those agreements
  they have handed back since. (So a provider's list of needs shows every need counted.)
- Never responded: told about at least one need posted in the period whose time to apply is
  over (its deadline passed, or it is no longer open), and no offer on any.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from app.brokers.models import BrokerProfile
from app.core.timeutil import utcnow
from app.extensions import db
from app.needs.models import Need, NeedRecipient, NeedStatus, Offer, ServiceAgreement
from app.providers.models import ProviderOrganisation
from app.reports.period import Period
from app.reports.sql import hours_of, median_rows, seconds_between
from app.reports.stats import median


@dataclass
class ProviderLine:
    organisation_id: int
    name: str = ""
    told: int = 0  # needs
    told_and_closed: int = 0  # of those, the ones whose time to apply is over
    offers: int = 0
    offered_on: int = 0  # needs
    middle_hours: list[float] = field(default_factory=list)  # the middle one or two response times
    accepted: int = 0
    handed_back: int = 0

    @property
    def median_response(self) -> float | None:
        return median(self.middle_hours)

    @property
    def never_responded(self) -> bool:
        """Told about needs whose time to apply is over, and no offer on any need."""
        return self.told_and_closed > 0 and self.offered_on == 0


def _period_needs(hub_ids: list[int], period: Period, now: datetime | None = None):
    """(need id, hub id, whether its time to apply is over) of the needs first published in the
    period by these hubs' brokers."""
    closed = or_(Need.status != NeedStatus.OPEN, Need.deadline_at <= (now or utcnow()))
    return (select(Need.id.label("need_id"), BrokerProfile.hub_id.label("hub_id"),
                   case((closed, 1), else_=0).label("closed"))
            .join(BrokerProfile, BrokerProfile.id == Need.broker_id)
            .where(BrokerProfile.hub_id.in_(hub_ids), Need.published_at >= period.start,
                   Need.published_at < period.end).subquery())


def provider_lines(hub_ids: list[int], period: Period) -> dict[int, dict[int, ProviderLine]]:
    """hub id -> organisation id -> its line. Counted by the database (five queries, whatever
    the number of needs and providers, each answering a row or two per provider)."""
    needs = _period_needs(hub_ids, period)
    lines: dict[int, dict[int, ProviderLine]] = defaultdict(dict)

    def line(hub_id: int, organisation_id: int) -> ProviderLine:
        return lines[hub_id].setdefault(organisation_id, ProviderLine(organisation_id))

    for hub_id, organisation_id, told, closed in db.session.execute(
            select(needs.c.hub_id, NeedRecipient.organisation_id, func.count(),  # one row per need and provider
                   func.sum(needs.c.closed))
            .join(needs, needs.c.need_id == NeedRecipient.need_id).group_by(needs.c.hub_id, NeedRecipient.organisation_id)):
        entry = line(hub_id, organisation_id)
        entry.told, entry.told_and_closed = told, int(closed or 0)
    for hub_id, organisation_id, offers, offered_on in db.session.execute(
            select(needs.c.hub_id, Offer.organisation_id, func.count(Offer.id), func.count(func.distinct(Offer.need_id)))
            .join(needs, needs.c.need_id == Offer.need_id).group_by(needs.c.hub_id, Offer.organisation_id)):
        entry = line(hub_id, organisation_id)
        entry.offers, entry.offered_on = offers, offered_on
    for hub_id, organisation_id, seconds in db.session.execute(
            median_rows(_response_times(needs), ["hub_id", "organisation_id"], "seconds")):
        line(hub_id, organisation_id).middle_hours.append(max(0.0, hours_of(seconds)))
    _agreements(needs, line)
    _names(lines)
    return lines


def _response_times(needs):
    """(hub, provider, seconds) for each need a provider offered on: from being told (or the
    need's publishing, if never told) to their first offer on it. Only the middle rows of each
    provider's come back (`sql.median_rows`)."""
    first = (select(Offer.need_id, Offer.organisation_id, func.min(Offer.created_at).label("first_at"))
             .join(needs, needs.c.need_id == Offer.need_id)
             .group_by(Offer.need_id, Offer.organisation_id).subquery())
    told = aliased(NeedRecipient)
    return (select(needs.c.hub_id.label("hub_id"), first.c.organisation_id.label("organisation_id"),
                   seconds_between(func.coalesce(told.notified_at, Need.published_at), first.c.first_at)
                   .label("seconds"))
            .join(needs, needs.c.need_id == first.c.need_id).join(Need, Need.id == first.c.need_id)
            .outerjoin(told, and_(told.need_id == first.c.need_id, told.organisation_id == first.c.organisation_id)))


def needs_of(hub_id: int, period: Period, organisation_id: int) -> set[int]:
    """The hub's needs of the period one provider was told about or offered on."""
    needs = _period_needs([hub_id], period)
    told = select(NeedRecipient.need_id).join(needs, needs.c.need_id == NeedRecipient.need_id).where(
        NeedRecipient.organisation_id == organisation_id)
    offered = select(Offer.need_id).join(needs, needs.c.need_id == Offer.need_id).where(
        Offer.organisation_id == organisation_id)
    return set(db.session.scalars(told.union(offered)))


def _agreements(needs, line) -> None:
    handed_back = func.coalesce(func.sum(case((ServiceAgreement.handed_back_at.is_not(None), 1), else_=0)), 0)
    for organisation_id, hub_id, accepted, back in db.session.execute(
            select(ServiceAgreement.organisation_id, needs.c.hub_id, func.count(ServiceAgreement.id), handed_back)
            .join(needs, needs.c.need_id == ServiceAgreement.need_id)
            .group_by(ServiceAgreement.organisation_id, needs.c.hub_id)):
        entry = line(hub_id, organisation_id)
        entry.accepted, entry.handed_back = int(accepted), int(back)


def _names(lines: dict[int, dict[int, ProviderLine]]) -> None:
    ids = {organisation_id for per_hub in lines.values() for organisation_id in per_hub}
    if not ids:
        return
    names = dict(db.session.execute(select(ProviderOrganisation.id, ProviderOrganisation.name)
                                    .where(ProviderOrganisation.id.in_(ids))).all())
    for per_hub in lines.values():
        for organisation_id, entry in per_hub.items():
            entry.name = names.get(organisation_id, "")
