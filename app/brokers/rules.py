"""When is a broker an *accredited associate broker*, and can they take a new client?

Accredited (listed publicly): application approved, hub active, account open, and an approved
accreditation, an approved DBS check issued within the configured age limit (3 years by
default) and approved insurance that has not expired.

Taking new clients also needs: the current broker standards accepted, "accepting new clients"
switched on, and places left. The number of clients a broker has comes from the engagements
feature, through `caseload`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import Select, and_, exists, select

from app.accounts.models import User
from app.brokers import caseload
from app.brokers.models import (
    BrokerProfile,
    BrokerStatus,
    StandardsAcceptance,
    StandardsVersion,
    Verification,
    VerificationKind,
    VerificationStatus,
)
from app.core.timeutil import today_in_london
from app.extensions import db
from app.hubs.models import Hub, HubStatus


def dbs_cutoff(today: date) -> date:
    """DBS certificates issued on or before this date are too old."""
    years = current_app.config["DBS_MAX_AGE_YEARS"]
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def dbs_expiry(issued_on: date) -> date:
    years = current_app.config["DBS_MAX_AGE_YEARS"]
    try:
        return issued_on.replace(year=issued_on.year + years)
    except ValueError:
        return issued_on.replace(year=issued_on.year + years, day=28)


def _approved(kind: VerificationKind, *conditions):
    return exists().where(
        Verification.broker_id == BrokerProfile.id,
        Verification.kind == kind,
        Verification.status == VerificationStatus.APPROVED,
        *conditions,
    )


def accredited_condition(today: date):
    """A SQL condition on BrokerProfile (joined to Hub and User) for 'accredited'."""
    return and_(
        BrokerProfile.status == BrokerStatus.APPROVED,
        Hub.status == HubStatus.ACTIVE,
        User.closed_at.is_(None),
        _approved(VerificationKind.ACCREDITATION),
        _approved(VerificationKind.DBS, Verification.issued_on > dbs_cutoff(today)),
        _approved(VerificationKind.INSURANCE, Verification.expires_on >= today),
    )


def accredited_brokers_query(today: date | None = None) -> Select:
    today = today or today_in_london()
    return (
        select(BrokerProfile)
        .join(Hub, Hub.id == BrokerProfile.hub_id)
        .join(User, User.id == BrokerProfile.user_id)
        .where(accredited_condition(today))
    )


def accredited_ids(broker_ids: Sequence[int], today: date | None = None) -> set[int]:
    """Which of these brokers are accredited now, in one query."""
    if not broker_ids:
        return set()
    query = accredited_brokers_query(today).where(BrokerProfile.id.in_(list(broker_ids)))
    return set(db.session.scalars(query.with_only_columns(BrokerProfile.id)))


def is_accredited(broker: BrokerProfile, today: date | None = None) -> bool:
    return broker.id in accredited_ids([broker.id], today)


def latest(broker: BrokerProfile, kind: VerificationKind, *, approved_only: bool = False) -> Verification | None:
    """The newest submission of one part (or the newest approved one)."""
    rows = [v for v in broker.verifications if v.kind == kind and v.status != VerificationStatus.SUPERSEDED]
    if approved_only:
        rows = [v for v in rows if v.status == VerificationStatus.APPROVED]
    return max(rows, key=lambda v: v.id) if rows else None


def current_standards() -> StandardsVersion | None:
    return db.session.scalar(select(StandardsVersion).order_by(StandardsVersion.number.desc()).limit(1))


def accepted_version(broker: BrokerProfile) -> StandardsAcceptance | None:
    return max(broker.acceptances, key=lambda a: a.version.number) if broker.acceptances else None


def has_accepted_current_standards(broker: BrokerProfile) -> bool:
    current = current_standards()
    if current is None:
        return True  # nothing published yet
    return any(a.standards_version_id == current.id for a in broker.acceptances)


def _accepted_current_ids(broker_ids: Sequence[int]) -> set[int]:
    current = current_standards()
    if current is None:
        return set(broker_ids)  # nothing published yet
    return set(db.session.scalars(select(StandardsAcceptance.broker_id).where(
        StandardsAcceptance.standards_version_id == current.id, StandardsAcceptance.broker_id.in_(list(broker_ids)))))


def active_client_count(broker: BrokerProfile) -> int:
    return caseload.active_client_counts([broker.id]).get(broker.id, 0)


def places_left(broker: BrokerProfile) -> int:
    return max(0, broker.max_clients - active_client_count(broker))


@dataclass(frozen=True)
class Availability:
    accredited: bool
    accepted_standards: bool
    accepting: bool
    places_left: int

    @property
    def missing(self) -> str | None:
        """The first thing that stops a new client, as a key of `PUBLIC_REASONS` (None: nothing)."""
        for what, met in (("accredited", self.accredited), ("standards", self.accepted_standards),
                          ("accepting", self.accepting), ("places", self.places_left > 0)):
            if not met:
                return what
        return None

    @property
    def can_take_new_clients(self) -> bool:
        return self.missing is None

    @property
    def reason_not_available(self) -> str | None:
        return PUBLIC_REASONS.get(self.missing)


PUBLIC_REASONS = {
    "accredited": "This broker is not listed as an accredited associate broker at the moment.",
    "standards": "This broker needs to accept the latest broker standards before taking new clients.",
    "accepting": "This broker is not taking new clients at the moment.",
    "places": "This broker has no places left at the moment.",
}


def availabilities(brokers: Sequence[BrokerProfile]) -> dict[int, Availability]:
    """broker id -> whether they can take a new client, for a whole list in a few queries."""
    ids = [b.id for b in brokers]
    if not ids:
        return {}
    accredited, accepted = accredited_ids(ids), _accepted_current_ids(ids)
    clients = caseload.active_client_counts(ids)
    return {
        b.id: Availability(accredited=b.id in accredited, accepted_standards=b.id in accepted,
                           accepting=b.accepting_new_clients,
                           places_left=max(0, b.max_clients - clients.get(b.id, 0)))
        for b in brokers
    }


def availability(broker: BrokerProfile) -> Availability:
    return availabilities([broker])[broker.id]
