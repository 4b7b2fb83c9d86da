"""The public list of accredited associate brokers: filters, profiles and comparison.

Only accredited brokers are shown (see rules.py), and never private contact details. Ratings
and reviews come from the engagements feature, through `caseload`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.brokers import caseload, rules
from app.brokers.models import BrokerDistrict, BrokerProfile, StandardsAcceptance, Verification, VerificationKind
from app.core.errors import DomainError, NotFound
from app.extensions import db

MAX_COMPARE = 3


@dataclass
class BrokerFilters:
    district: str | None = None
    specialism: str | None = None
    language: str | None = None
    accepting_only: bool = False
    hub_id: int | None = None


@dataclass
class BrokerCard:
    broker: BrokerProfile
    availability: rules.Availability
    rating: float | None
    review_count: int


def _cards(brokers: list[BrokerProfile]) -> list[BrokerCard]:
    ratings = caseload.ratings([b.id for b in brokers])
    availability = rules.availabilities(brokers)
    cards = []
    for broker in brokers:
        average, count = ratings.get(broker.id, (None, 0))
        cards.append(BrokerCard(broker, availability[broker.id], average, count))
    return cards


def search(filters: BrokerFilters) -> list[BrokerCard]:
    query = rules.accredited_brokers_query()
    if filters.district:
        query = query.where(BrokerProfile.districts.any(BrokerDistrict.district == filters.district))
    if filters.hub_id:
        query = query.where(BrokerProfile.hub_id == filters.hub_id)
    brokers = list(db.session.scalars(query))
    if filters.specialism:
        brokers = [b for b in brokers if filters.specialism in (b.specialisms or [])]
    if filters.language:
        brokers = [b for b in brokers if filters.language in (b.languages or [])]
    cards = _cards(brokers)
    if filters.accepting_only:
        cards = [c for c in cards if c.availability.can_take_new_clients]
    cards.sort(key=lambda c: (not c.availability.can_take_new_clients, -(c.rating or 0), c.broker.display_name))
    return cards


@dataclass
class VerifiedItem:
    label: str
    detail: str
    verified_on: date | None
    valid_until: date | None


@dataclass
class PublicProfile:
    card: BrokerCard
    verified: list[VerifiedItem]
    standards: StandardsAcceptance | None
    reviews: list[Any]  # the engagements feature's published reviews


def accredited_broker(broker_id: int) -> BrokerProfile:
    broker = db.session.get(BrokerProfile, broker_id)
    if broker is None or not rules.is_accredited(broker):
        raise NotFound()
    return broker


def _verified(broker: BrokerProfile) -> list[VerifiedItem]:
    items = []
    accreditation = rules.latest(broker, VerificationKind.ACCREDITATION, approved_only=True)
    dbs = rules.latest(broker, VerificationKind.DBS, approved_only=True)
    insurance = rules.latest(broker, VerificationKind.INSURANCE, approved_only=True)
    business = rules.latest(broker, VerificationKind.BUSINESS, approved_only=True)

    def day(row: Verification | None):
        return row.reviewed_at.date() if row and row.reviewed_at else None

    if accreditation:
        items.append(VerifiedItem("Accreditation", accreditation.course.label if accreditation.course else "",
                                  day(accreditation), None))
    if dbs:
        items.append(VerifiedItem("DBS check", f"Issued {dbs.issued_on:%d/%m/%Y}", day(dbs),
                                  rules.dbs_expiry(dbs.issued_on)))
    if insurance:
        items.append(VerifiedItem("Professional indemnity insurance", "", day(insurance), insurance.expires_on))
    if business:
        detail = broker.business_type.label if broker.business_type else ""
        if broker.company_number:
            detail += f", company number {broker.company_number}"
        items.append(VerifiedItem("Business", detail, day(business), None))
    return items


def public_profile(broker_id: int) -> PublicProfile:
    broker = accredited_broker(broker_id)
    card = _cards([broker])[0]
    return PublicProfile(card, _verified(broker), rules.accepted_version(broker), caseload.published_reviews(broker))


def compare(ids: list[int]) -> list[PublicProfile]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise DomainError("Choose at least one broker to compare")
    if len(ids) > MAX_COMPARE:
        raise DomainError(f"You can compare up to {MAX_COMPARE} brokers at a time")
    profiles = []
    for broker_id in ids:
        try:
            profiles.append(public_profile(broker_id))
        except NotFound:
            continue
    if not profiles:
        raise NotFound()
    return profiles


def hub_accredited(hub_id: int) -> list[BrokerCard]:
    return search(BrokerFilters(hub_id=hub_id))

