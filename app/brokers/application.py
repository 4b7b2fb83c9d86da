"""Applying to be an associate broker, part by part.

While the application is a draft, saving a part updates its draft submission. Once sent, every
change to a part is a new submission the hub lead checks; an earlier approval stays in force
until the new one is decided (so renewing insurance never hides a listed broker). Where each
part stands is in `parts.py`; the hub lead's checks are in `checks.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.brokers import rules
from app.brokers.bands import active_bands
from app.brokers.models import (
    AccreditedCourse,
    BrokerConflict,
    BrokerDistrict,
    BrokerFee,
    BrokerProfile,
    BrokerStatus,
    BusinessType,
    ConflictKind,
    ConflictRelationship,
    Verification,
    VerificationKind,
    VerificationStatus,
)
from app.brokers.parts import ready_to_submit, tell_leads
from app.brokers.policies import broker_of, can_remove_conflict
from app.core import audit
from app.core.codes import compact, is_code
from app.core.errors import DomainError
from app.core.permissions import ensure
from app.core.reference import LANGUAGES, SPECIALISMS
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.hubs.models import Hub, HubStatus

COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
DBS_NUMBER = re.compile(r"^\d{12}$")


normalise_company_number = compact  # 'sc 123456' -> 'SC123456'


def is_valid_company_number(value: str) -> bool:
    """Companies House numbers: 8 digits, or 2 letters and 6 digits (SC123456, NI012345...)."""
    return is_code(COMPANY_NUMBER, value)


# --- Saving parts --------------------------------------------------------------------------------


def _editable(user: User) -> BrokerProfile:
    broker = broker_of(user)
    if broker.hub_id is None:
        raise DomainError("Choose the hub you are applying to first")
    return broker


def _record_submission(broker: BrokerProfile, kind: VerificationKind, actor: User, **evidence: Any) -> Verification:
    """Save a part: updates the draft while the application is a draft, otherwise adds a
    submission for the hub lead (replacing one still waiting)."""
    snapshot = evidence.pop("snapshot", {})
    latest = rules.latest(broker, kind)
    now = utcnow()
    if broker.status == BrokerStatus.DRAFT:
        row = latest if latest is not None and latest.status == VerificationStatus.DRAFT else None
        if row is None:
            row = Verification(broker=broker, kind=kind, status=VerificationStatus.DRAFT)
            db.session.add(row)
    else:
        if latest is not None and latest.status == VerificationStatus.PENDING:
            latest.status = VerificationStatus.SUPERSEDED
        row = Verification(broker=broker, kind=kind, status=VerificationStatus.PENDING, submitted_at=now)
        db.session.add(row)
    row.course_id = evidence.get("course_id")
    row.reference = evidence.get("reference", "")
    row.provider_name = evidence.get("provider_name", "")
    row.issued_on = evidence.get("issued_on")
    row.expires_on = evidence.get("expires_on")
    row.snapshot = snapshot
    db.session.flush()
    audit.record("broker_application.part_saved", actor=actor, obj=row, part=kind.value, status=row.status.value)
    if row.status == VerificationStatus.PENDING:
        tell_leads(broker, f"{broker.display_name} updated their {kind.label.lower()}", "It needs checking.")
    return row


def choose_hub(user: User, hub_id: int) -> BrokerProfile:
    broker = broker_of(user)
    if broker.status != BrokerStatus.DRAFT:
        raise DomainError("You cannot change hub after sending your application. Contact your hub lead.")
    hub = db.session.get(Hub, hub_id)
    if hub is None or hub.status != HubStatus.ACTIVE:
        raise DomainError("Choose a hub from the list", field="hub_id")
    if broker.hub_id != hub.id:
        broker.hub_id = hub.id
        broker.districts = []  # districts must be in the new hub
    audit.record("broker_application.hub_chosen", actor=user, obj=broker, hub_id=hub.id)
    return broker


@dataclass
class Business:
    trading_name: str
    business_type: str
    company_number: str = ""


def save_business(user: User, details: Business) -> None:
    broker = _editable(user)
    kind = BusinessType(details.business_type)
    number = normalise_company_number(details.company_number)
    if kind == BusinessType.COMPANY:
        if not number:
            raise DomainError("Enter your company number", field="company_number")
        if not is_valid_company_number(number):
            raise DomainError("Enter a company number in the correct format: 8 digits, or 2 letters and 6 digits "
                              "(like 01234567 or SC123456)", field="company_number")
    broker.trading_name = details.trading_name.strip()
    broker.business_type = kind
    broker.company_number = number if kind == BusinessType.COMPANY else None
    _record_submission(broker, VerificationKind.BUSINESS, user, reference=broker.company_number or "", snapshot={
        "trading_name": broker.trading_name, "business_type": kind.value, "company_number": broker.company_number})


def active_courses() -> list[AccreditedCourse]:
    return list(db.session.scalars(select(AccreditedCourse).where(AccreditedCourse.active.is_(True))
                                   .order_by(AccreditedCourse.title)))


def save_accreditation(user: User, *, course_id: int, certificate_number: str, awarded_on: date) -> None:
    broker = _editable(user)
    course = db.session.get(AccreditedCourse, course_id)
    if course is None or not course.active:
        raise DomainError("Choose your course from the list", field="course_id")
    if awarded_on > today_in_london():
        raise DomainError("The award date must be today or in the past", field="awarded_on")
    _record_submission(broker, VerificationKind.ACCREDITATION, user, course_id=course.id,
                       reference=certificate_number.strip(), issued_on=awarded_on,
                       snapshot={"course": course.label})


def save_dbs(user: User, *, certificate_number: str, issued_on: date) -> None:
    broker = _editable(user)
    number = compact(certificate_number)
    if not DBS_NUMBER.match(number):
        raise DomainError("Enter the 12-digit DBS certificate number", field="certificate_number")
    today = today_in_london()
    if issued_on > today:
        raise DomainError("The issue date must be today or in the past", field="issued_on")
    if issued_on <= rules.dbs_cutoff(today):
        years = current_app.config["DBS_MAX_AGE_YEARS"]
        raise DomainError(f"DBS certificates must be less than {years} years old. Apply for a new check",
                          field="issued_on")
    _record_submission(broker, VerificationKind.DBS, user, reference=number, issued_on=issued_on)


def save_insurance(user: User, *, insurer: str, policy_number: str, expires_on: date) -> None:
    broker = _editable(user)
    if expires_on <= today_in_london():
        raise DomainError("The expiry date must be in the future", field="expires_on")
    _record_submission(broker, VerificationKind.INSURANCE, user, provider_name=insurer.strip(),
                       reference=policy_number.strip(), expires_on=expires_on)


@dataclass
class Conflict:
    organisation: str
    kind: str
    relationship_type: str
    details: str = ""


def _conflicts_snapshot(broker: BrokerProfile) -> dict:
    return {"no_conflicts": broker.no_conflicts_declared,
            "links": [{"organisation": c.organisation, "kind": c.kind.value, "relationship": c.relationship_type.value,
                       "details": c.details} for c in broker.conflicts]}


def add_conflict(user: User, conflict: Conflict) -> None:
    broker = _editable(user)
    broker.conflicts.append(BrokerConflict(
        organisation=conflict.organisation.strip(), kind=ConflictKind(conflict.kind),
        relationship_type=ConflictRelationship(conflict.relationship_type), details=conflict.details.strip()))
    broker.no_conflicts_declared = False
    db.session.flush()
    _record_submission(broker, VerificationKind.CONFLICTS, user, snapshot=_conflicts_snapshot(broker))


def remove_conflict(user: User, conflict_id: int) -> None:
    broker = _editable(user)
    conflict = db.session.get(BrokerConflict, conflict_id)
    ensure(can_remove_conflict, user, conflict)
    broker.conflicts.remove(conflict)
    db.session.flush()
    _record_submission(broker, VerificationKind.CONFLICTS, user, snapshot=_conflicts_snapshot(broker))


def declare_no_conflicts(user: User) -> None:
    broker = _editable(user)
    if broker.conflicts:
        raise DomainError("Remove the links you declared first, if they no longer apply")
    broker.no_conflicts_declared = True
    _record_submission(broker, VerificationKind.CONFLICTS, user, snapshot=_conflicts_snapshot(broker))


@dataclass
class Profile:
    specialisms: list[str]
    languages: list[str]
    districts: list[str]
    profile_text: str
    lived_experience: str = ""
    hourly_fee_pence: int | None = None
    band_fees: dict[int, int] = field(default_factory=dict)  # band id -> pence


def save_profile(user: User, profile: Profile) -> None:
    broker = _editable(user)
    if not profile.specialisms or set(profile.specialisms) - SPECIALISMS.keys():
        raise DomainError("Choose at least one specialism", field="specialisms")
    if not profile.languages or set(profile.languages) - LANGUAGES.keys():
        raise DomainError("Choose at least one language you work in", field="languages")
    hub_districts = set(broker.hub.district_codes)
    if not profile.districts or set(profile.districts) - hub_districts:
        raise DomainError("Choose at least one district your hub covers", field="districts")
    if not profile.profile_text.strip():
        raise DomainError("Write a short profile in your own words", field="profile_text")
    if profile.hourly_fee_pence is None and not profile.band_fees:
        raise DomainError("Enter your fee per band, your hourly fee, or both", field="hourly_fee")
    bands = {b.id: b for b in active_bands()}
    if set(profile.band_fees) - bands.keys():
        raise DomainError("Fees can only be for current bands", field="hourly_fee")
    broker.specialisms = [s for s in SPECIALISMS if s in profile.specialisms]
    broker.languages = [code for code in LANGUAGES if code in profile.languages]
    existing = {d.district: d for d in broker.districts}
    broker.districts = [existing.get(code) or BrokerDistrict(district=code) for code in sorted(profile.districts)]
    broker.profile_text = profile.profile_text.strip()
    broker.lived_experience = profile.lived_experience.strip()
    broker.hourly_fee_pence = profile.hourly_fee_pence
    current_fees = {f.band_id: f for f in broker.fees}
    broker.fees = []
    db.session.flush()
    for band_id, pence in profile.band_fees.items():
        fee = current_fees.get(band_id) or BrokerFee(band_id=band_id)
        fee.pence = pence
        broker.fees.append(fee)
    _record_submission(broker, VerificationKind.PROFILE, user, snapshot={
        "specialisms": broker.specialisms, "languages": broker.languages, "districts": profile.districts,
        "hourly_fee_pence": broker.hourly_fee_pence,
        "band_fees": {bands[b].code: p for b, p in profile.band_fees.items()},
    })


def submit(user: User) -> BrokerProfile:
    broker = broker_of(user)
    if broker.status != BrokerStatus.DRAFT:
        raise DomainError("Your application has already been sent")
    if not ready_to_submit(broker):
        raise DomainError("Complete every part of your application before sending it")
    now = utcnow()
    for row in broker.verifications:
        if row.status == VerificationStatus.DRAFT:
            row.status = VerificationStatus.PENDING
            row.submitted_at = now
    broker.status = BrokerStatus.SUBMITTED
    broker.submitted_at = now
    audit.record("broker_application.submitted", actor=user, obj=broker)
    tell_leads(broker, f"New broker application from {broker.display_name}", "Each part needs checking.")
    return broker


def update_availability(user: User, *, accepting: bool, max_clients: int) -> None:
    broker = broker_of(user)
    if not 0 <= max_clients <= 200:
        raise DomainError("Enter a number of places between 0 and 200", field="max_clients")
    broker.accepting_new_clients = accepting
    broker.max_clients = max_clients
    audit.record("broker.availability_changed", actor=user, obj=broker, accepting=accepting, max_clients=max_clients)
