"""The hub lead's checks of broker applications: each part approved, or sent back with a
reason the applicant sees; the application is approved once every part has been."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.brokers import rules
from app.brokers.models import BrokerProfile, BrokerStatus, Verification, VerificationKind, VerificationStatus
from app.brokers.parts import APPLICATIONS, every_part_approved
from app.brokers.policies import checks_broker
from app.core import audit
from app.core.errors import DomainError
from app.core.notifications import notify
from app.core.permissions import ensure
from app.core.timeutil import today_in_london, utcnow
from app.core.urls import path_for
from app.extensions import db
from app.hubs.policies import led_hub_ids


def hub_brokers(user: User) -> list[BrokerProfile]:
    """Every broker who applied to a hub the user leads."""
    return list(db.session.scalars(
        select(BrokerProfile).where(BrokerProfile.hub_id.in_(led_hub_ids(user)))
        .order_by(BrokerProfile.status, BrokerProfile.id)
    ))


def broker_for_lead(user: User, broker_id: int) -> BrokerProfile:
    """A broker of one of the user's hubs (404 otherwise)."""
    broker = db.session.get(BrokerProfile, broker_id)
    ensure(checks_broker, user, broker)
    return broker


def verification_for_lead(user: User, verification_id: int) -> Verification:
    """One submitted part of an application to one of the user's hubs (404 otherwise)."""
    row = db.session.get(Verification, verification_id)
    ensure(checks_broker, user, row.broker if row is not None else None)
    return row


def decide(user: User, verification_id: int, *, approve: bool, reason: str) -> Verification:
    row = verification_for_lead(user, verification_id)
    broker = row.broker
    if row.status != VerificationStatus.PENDING:
        raise DomainError("This part has already been checked, or replaced by a newer version")
    if not approve and not reason.strip():
        raise DomainError("Give the reason, which the applicant will see", field="reason")
    if row.kind == VerificationKind.DBS and approve and row.issued_on <= rules.dbs_cutoff(today_in_london()):
        raise DomainError("This DBS certificate is now too old to approve")
    if row.kind == VerificationKind.INSURANCE and approve and row.expires_on < today_in_london():
        raise DomainError("This insurance has expired")
    row.status = VerificationStatus.APPROVED if approve else VerificationStatus.REJECTED
    row.reviewed_at = utcnow()
    row.reviewer_id = user.id
    row.reason = reason.strip()
    audit.record("broker_application.part_decided", actor=user, obj=row, part=row.kind.value,
                 decision=row.status.value)
    if approve:
        notify(broker.user, APPLICATIONS.key, f"Your {row.kind.label.lower()} has been approved",
               link=path_for("brokers.application"))
    else:
        notify(broker.user, APPLICATIONS.key, f"Your {row.kind.label.lower()} needs changes",
               f"Your hub lead says: {row.reason}", path_for("brokers.application"))
    if broker.status == BrokerStatus.SUBMITTED and every_part_approved(broker):
        broker.status = BrokerStatus.APPROVED
        broker.approved_at = utcnow()
        audit.record("broker_application.approved", actor=user, obj=broker)
        notify(broker.user, APPLICATIONS.key, "You are now an approved associate broker",
               "Accept the broker standards and set your availability to start taking clients.",
               path_for("home.index"))
    return row
