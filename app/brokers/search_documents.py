"""Accredited brokers in search: one document per broker listed publicly (until their DBS check
or insurance runs out), and the changes that affect it. Ratings come from whichever feature
holds the reviews (`search.rates`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.brokers import rules
from app.brokers.models import (
    BrokerConflict,
    BrokerDistrict,
    BrokerFee,
    BrokerProfile,
    BrokerStatus,
    StandardsAcceptance,
    StandardsVersion,
    Verification,
    VerificationKind,
)
from app.core.reference import SPECIALISMS
from app.extensions import db
from app.hubs.models import Hub, HubStatus
from app.search import services as search
from app.search.services import FOREVER, Doc, document, end_of_day
from app.taxonomy.models import ServiceCategory

KIND = "broker"


def _listed_until(broker: BrokerProfile) -> datetime | None:
    """None when the broker is not listed at all; otherwise when their DBS or insurance runs out."""
    if broker.status != BrokerStatus.APPROVED or broker.hub is None or broker.hub.status != HubStatus.ACTIVE:
        return None
    if broker.user.closed_at is not None:
        return None
    accreditation = rules.latest(broker, VerificationKind.ACCREDITATION, approved_only=True)
    dbs = rules.latest(broker, VerificationKind.DBS, approved_only=True)
    insurance = rules.latest(broker, VerificationKind.INSURANCE, approved_only=True)
    if not (accreditation and dbs and insurance and dbs.issued_on and insurance.expires_on):
        return None
    dbs_end = rules.dbs_expiry(dbs.issued_on) - timedelta(days=1)
    return end_of_day(min(dbs_end, insurance.expires_on))


def broker_doc(broker: BrokerProfile) -> Doc | None:
    listed_until = _listed_until(broker)
    if listed_until is None:
        return None
    availability = rules.availability(broker)
    average, review_count = search.rating(KIND, broker.id)
    approved = [v.reviewed_at for v in broker.verifications if v.reviewed_at]
    specialisms = [SPECIALISMS.get(s, s) for s in broker.specialisms or []]
    brokerage = db.session.scalar(select(ServiceCategory).where(ServiceCategory.slug == "brokerage"))
    return document(
        doc_id=f"{KIND}:{broker.id}", kind=KIND, name=broker.display_name,
        description=broker.profile_text, categories=[brokerage] if brokerage else [],
        tags=["support broker", "brokerage", "support planning", *specialisms],
        districts=broker.district_codes, languages=list(broker.languages or []), accessibility=[], free=False,
        rating=average, last_verified=max(approved) if approved else None, verified_until=FOREVER,
        accepting_until=listed_until if availability.can_take_new_clients else None, listed_until=listed_until,
        display={"url": f"/brokers/{broker.id}", "summary": broker.profile_text[:300],
                 "cost": "Fees on the broker's profile", "specialisms": specialisms,
                 "review_count": review_count, "hub": broker.hub.name},
    )


def every_broker() -> Iterator[Doc]:
    for broker in db.session.scalars(select(BrokerProfile).where(BrokerProfile.status == BrokerStatus.APPROVED)):
        doc = broker_doc(broker)
        if doc:
            yield doc


def approved_count() -> int:
    return db.session.scalar(select(func.count()).select_from(BrokerProfile).where(
        BrokerProfile.status == BrokerStatus.APPROVED)) or 0


def _brokers(session: Session, *conditions) -> set[str]:
    return search.doc_ids(KIND, *session.scalars(select(BrokerProfile.id).where(*conditions)))


def _brokers_of_hub(session: Session, hub_id: int) -> set[str]:
    return _brokers(session, BrokerProfile.hub_id == hub_id)


def _brokers_of_user(session: Session, user_id: int) -> set[str]:
    return _brokers(session, BrokerProfile.user_id == user_id)


def _every_broker(session: Session, _value) -> set[str]:
    return _brokers(session)


search.register_kind(KIND, label="Support brokers", model=BrokerProfile, document=broker_doc,
                       every=every_broker, count=approved_count, position=30)
search.affects(BrokerProfile, lambda broker: search.doc_ids(KIND, broker.id))
for _part in (BrokerDistrict, BrokerFee, BrokerConflict, Verification, StandardsAcceptance):
    search.affects(_part, lambda row: search.doc_ids(KIND, row.broker_id))
search.affects(Hub, lambda hub: {search.Group(_brokers_of_hub, hub.id)})
search.affects(StandardsVersion, lambda _version: {search.Group(_every_broker, 0)})
# A broker's name is their account's, and closing the account takes them off the directory.
search.affects(User, lambda user: {search.Group(_brokers_of_user, user.id)}, attributes=("closed_at", "name"))
