"""Engagements: who works with whom. Starting one (with the price agreed), a broker's client
records, the person's own view, and the hub lead's oversight; every view of a client record by a
broker or a hub lead is audit-logged.

A person works with one broker at a time (a partial unique index keeps it so under races).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.accounts.models import User
from app.brokers import services as brokers
from app.brokers.models import Band, BrokerProfile
from app.core import audit
from app.core.districts import is_valid_district, normalise_district
from app.core.errors import DomainError, NotFound
from app.core.permissions import ensure
from app.core.timeutil import utcnow
from app.engagements import policies
from app.engagements.bands import default_band
from app.engagements.models import BrokerRequest, Engagement, EngagementStatus
from app.extensions import db
from app.holders import services as holders
from app.holders.models import BudgetHolder, ConsentMethod
from app.hubs.policies import led_hub_ids


def active_engagement(holder: BudgetHolder) -> Engagement | None:
    return db.session.scalar(
        select(Engagement).where(Engagement.holder_id == holder.id, Engagement.status == EngagementStatus.ACTIVE)
    )


def current_broker_of(holder: BudgetHolder) -> BrokerProfile | None:
    """The broker who works with the person now (their active engagement), if any."""
    engagement = active_engagement(holder)
    return engagement.broker if engagement is not None else None


def active_client_counts(broker_ids: Sequence[int]) -> dict[int, int]:
    """broker id -> how many people each works with now (one query for the whole list)."""
    rows = db.session.execute(
        select(Engagement.broker_id, func.count()).where(
            Engagement.broker_id.in_(list(broker_ids)), Engagement.status == EngagementStatus.ACTIVE)
        .group_by(Engagement.broker_id)
    ).all()
    return {broker_id: count for broker_id, count in rows}


# --- Starting ----------------------------------------------------------------------------------------


def lock_broker(broker: BrokerProfile) -> BrokerProfile:
    """Lock the broker's row, so two new clients at once count each other against the places."""
    # FOR NO KEY UPDATE: serialises acceptances without blocking rows that merely reference the broker.
    return db.session.scalar(select(BrokerProfile).where(BrokerProfile.id == broker.id)
                             .with_for_update(key_share=True).execution_options(populate_existing=True))


BROKER_SIDE_REASONS = {
    "accredited": "You cannot take new clients while you are not listed as an accredited broker.",
    "standards": "Accept the latest broker standards before taking new clients.",
    "accepting": "Switch on 'accepting new clients' in your availability before accepting.",
    "places": "You have no places left. Raise your number of places in your availability first.",
}


def broker_side_reason(availability: brokers.Availability) -> str:
    """Why a broker cannot take a new client, said to the broker."""
    return BROKER_SIDE_REASONS[availability.missing or "places"]


def start_engagement(holder: BudgetHolder, broker: BrokerProfile, band: Band, *, request: BrokerRequest | None = None,
                     started_at: datetime | None = None) -> Engagement:
    """A new engagement in `band`, with the price agreed now: the broker's fee for that band and
    their hourly fee as they stand today (a later change of fees does not reach it)."""
    engagement = Engagement(holder=holder, broker=broker, request=request, band=band,
                            allocated_minutes=band.hours * 60, started_at=started_at or utcnow(),
                            agreed_band_fee_pence=broker.fee_for_band(band.id),
                            agreed_hourly_fee_pence=broker.hourly_fee_pence)
    db.session.add(engagement)
    return engagement


@dataclass
class NewClient:
    name: str
    district: str
    email: str
    consent_method: str
    consent_note: str


def create_client_record(user: User, new: NewClient) -> Engagement:
    """A broker creates a record for someone without a login (after a phone call, say), with
    their recorded consent, and starts working with them."""
    broker = lock_broker(brokers.broker_of(user))
    availability = brokers.availability(broker)
    if not availability.can_take_new_clients:
        raise DomainError(broker_side_reason(availability))
    if new.consent_method not in (ConsentMethod.VERBAL.value, ConsentMethod.WRITTEN.value):
        raise DomainError("Say how the person gave their consent", field="consent_method")
    if not new.consent_note.strip():
        raise DomainError("Record when and how the person agreed", field="consent_note")
    if new.district and not is_valid_district(new.district):
        raise DomainError("Enter a postcode district, like W9 or NW8", field="district")
    holder = BudgetHolder(name=new.name.strip(), district=normalise_district(new.district) if new.district else None,
                          contact_email=new.email.strip().lower() or None, created_by_id=user.id)
    db.session.add(holder)
    db.session.flush()
    holders.record_consent(holder, purpose="share_with_broker", recorded_by=user,
                           method=ConsentMethod(new.consent_method), broker=broker, note=new.consent_note)
    band = default_band()
    engagement = start_engagement(holder, broker, band)
    db.session.flush()
    audit.record("holder.created_by_broker", actor=user, holder=holder, obj=holder)
    audit.record("engagement.started", actor=user, holder=holder, obj=engagement, band=band.code)
    if new.email.strip():
        holders.invite_to_claim(user, holder, new.email)
    return engagement


# --- Seeing an engagement ------------------------------------------------------------------------------


def holder_engagements(holder: BudgetHolder) -> list[Engagement]:
    return list(db.session.scalars(
        select(Engagement).where(Engagement.holder_id == holder.id).order_by(Engagement.started_at.desc())
    ))


def holder_engagement(acting: holders.HolderAccess, engagement_id: int) -> Engagement:
    """One of the person's own engagements (404 otherwise)."""
    engagement = db.session.get(Engagement, engagement_id)
    if not policies.belongs_to(acting, engagement):
        raise NotFound()
    return engagement


def broker_clients(user: User, *, include_ended: bool = False) -> list[Engagement]:
    broker = brokers.broker_of(user)
    query = select(Engagement).where(Engagement.broker_id == broker.id)
    if not include_ended:
        query = query.where(Engagement.status == EngagementStatus.ACTIVE)
    return list(db.session.scalars(query.order_by(Engagement.status, Engagement.started_at.desc())))


def broker_engagement(user: User, engagement_id: int, *, audit_view: bool = True) -> Engagement:
    """One of this broker's engagements; anyone else's answers 404. Viewing is audited."""
    brokers.broker_of(user)
    engagement = db.session.get(Engagement, engagement_id)
    ensure(policies.works_with, user, engagement)
    if audit_view:
        audit.record("client_record.viewed", actor=user, holder=engagement.holder, obj=engagement)
    return engagement


def invite_client_to_claim(user: User, engagement_id: int, email: str):
    engagement = broker_engagement(user, engagement_id, audit_view=False)
    if not engagement.is_active:
        raise DomainError("This engagement has ended")
    return holders.invite_to_claim(user, engagement.holder, email)


def hub_engagements(user: User) -> list[Engagement]:
    return list(db.session.scalars(
        select(Engagement).join(BrokerProfile, BrokerProfile.id == Engagement.broker_id)
        .where(BrokerProfile.hub_id.in_(led_hub_ids(user)))
        .order_by(Engagement.status, Engagement.started_at.desc())
    ))


def hub_engagement(user: User, engagement_id: int) -> Engagement:
    """An engagement in one of the user's hubs (404 otherwise). Viewing is audited."""
    engagement = db.session.get(Engagement, engagement_id)
    ensure(policies.oversees, user, engagement)
    audit.record("client_record.viewed", actor=user, holder=engagement.holder, obj=engagement, as_role="hub_lead")
    return engagement
