"""How providers answer a hub's needs. Told, offers and response time are about the needs
posted in the period; acceptances and hand-backs are those that happened in the period.

- Told: needs the provider was told about (it fitted them, or they were invited).
- Offers: offers made (including ones later withdrawn); needs offered on: distinct needs.
- Response time: for each need they offered on, from being told (or, if never told, from the
  need's publishing) to their first offer on it; the median of those.
- Accepted: service agreements started with them in the period. Hand-backs: agreements they
  handed back in the period.
- Never responded: told about at least one need posted in the period, and no offer on any.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select

from app.brokers.models import BrokerProfile
from app.extensions import db
from app.needs.models import Need, NeedRecipient, Offer, ServiceAgreement
from app.providers.models import ProviderOrganisation
from app.reports.period import Period
from app.reports.stats import hours, median


@dataclass
class ProviderLine:
    organisation_id: int
    name: str = ""
    told: set[int] = field(default_factory=set)  # need ids
    offers: int = 0
    offered_on: set[int] = field(default_factory=set)
    response_hours: list[float] = field(default_factory=list)
    accepted: int = 0
    handed_back: int = 0

    @property
    def median_response(self) -> float | None:
        return median(self.response_hours)

    @property
    def never_responded(self) -> bool:
        return bool(self.told) and not self.offered_on


def _in_period(hub_ids: list[int], period: Period):
    return (select(Need.id).join(BrokerProfile, BrokerProfile.id == Need.broker_id)
            .where(BrokerProfile.hub_id.in_(hub_ids), Need.published_at >= period.start,
                   Need.published_at < period.end))


def provider_lines(hub_ids: list[int], period: Period) -> dict[int, dict[int, ProviderLine]]:
    """hub id -> organisation id -> its line (four queries, whatever the number of providers)."""
    hub_of_need = {need_id: hub_id for need_id, hub_id in db.session.execute(
        select(Need.id, BrokerProfile.hub_id).join(BrokerProfile, BrokerProfile.id == Need.broker_id)
        .where(Need.id.in_(_in_period(hub_ids, period))))}
    published = dict(db.session.execute(select(Need.id, Need.published_at).where(Need.id.in_(list(hub_of_need)))).all()) \
        if hub_of_need else {}
    lines: dict[int, dict[int, ProviderLine]] = defaultdict(dict)

    def line(hub_id: int, organisation_id: int) -> ProviderLine:
        return lines[hub_id].setdefault(organisation_id, ProviderLine(organisation_id))

    told_at: dict[tuple[int, int], datetime] = {}
    for organisation_id, need_id, notified_at in db.session.execute(
            select(NeedRecipient.organisation_id, NeedRecipient.need_id, NeedRecipient.notified_at)
            .where(NeedRecipient.need_id.in_(_in_period(hub_ids, period)))):
        line(hub_of_need[need_id], organisation_id).told.add(need_id)
        told_at[(organisation_id, need_id)] = notified_at
    first_offer: dict[tuple[int, int], datetime] = {}
    for organisation_id, need_id, created_at in db.session.execute(
            select(Offer.organisation_id, Offer.need_id, Offer.created_at)
            .where(Offer.need_id.in_(_in_period(hub_ids, period)))):
        entry = line(hub_of_need[need_id], organisation_id)
        entry.offers += 1
        entry.offered_on.add(need_id)
        key = (organisation_id, need_id)
        first_offer[key] = min(created_at, first_offer.get(key, created_at))
    for (organisation_id, need_id), offered_at in first_offer.items():
        start = told_at.get((organisation_id, need_id), published[need_id])
        line(hub_of_need[need_id], organisation_id).response_hours.append(max(0.0, hours(offered_at - start)))
    _agreements(hub_ids, period, line)
    _names(lines)
    return lines


def _agreements(hub_ids: list[int], period: Period, line) -> None:
    for organisation_id, hub_id, created_at, handed_back_at in db.session.execute(
            select(ServiceAgreement.organisation_id, BrokerProfile.hub_id, ServiceAgreement.created_at,
                   ServiceAgreement.handed_back_at)
            .join(Need, Need.id == ServiceAgreement.need_id).join(BrokerProfile, BrokerProfile.id == Need.broker_id)
            .where(BrokerProfile.hub_id.in_(hub_ids),
                   or_(ServiceAgreement.created_at.between(period.start, period.end),
                       ServiceAgreement.handed_back_at.between(period.start, period.end)))):
        entry = line(hub_id, organisation_id)
        entry.accepted += created_at in period
        entry.handed_back += handed_back_at in period


def _names(lines: dict[int, dict[int, ProviderLine]]) -> None:
    ids = {organisation_id for per_hub in lines.values() for organisation_id in per_hub}
    if not ids:
        return
    names = dict(db.session.execute(select(ProviderOrganisation.id, ProviderOrganisation.name)
                                    .where(ProviderOrganisation.id.in_(ids))).all())
    for per_hub in lines.values():
        for organisation_id, entry in per_hub.items():
            entry.name = names.get(organisation_id, "")
