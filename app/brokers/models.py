"""Associate brokers: accredited, self-employed brokers trading inside a hub.

A broker's application has parts (business, accreditation, DBS, insurance, conflicts of
interest, profile). Each submission of a part is a `Verification` row the hub lead approves or
rejects with a reason; history is kept. A broker is listed as an *accredited associate broker*
only with an approved application, an approved accreditation, an approved in-date DBS check and
approved in-date insurance, in an active hub.

The brokerage bands live here too: a broker's fees are set per band, and the engagements
feature (above this one) agrees a band with each client.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.districts import district_key
from app.core.enums import LabelledEnum
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class Band(db.Model):
    """A brokerage band: the hours agreed for a piece of brokerage (admin-editable)."""

    __tablename__ = "bands"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    hours: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.hours} hours)"


class BrokerStatus(LabelledEnum):
    DRAFT = "draft", "Application not yet sent"  # registered or invited; application not yet submitted
    SUBMITTED = "submitted", "Application being checked by your hub"  # waiting for the hub lead
    APPROVED = "approved", "Approved associate broker"  # every part approved at least once


class BusinessType(LabelledEnum):
    SOLE_TRADER = "sole_trader", "Sole trader"
    COMPANY = "company", "Limited company"


class BrokerProfile(db.Model):
    __tablename__ = "broker_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable public id for open data (Open Referral UK organisation id).
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid_module.uuid4()))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hubs.id"), index=True)
    status: Mapped[BrokerStatus] = mapped_column(StrEnum(BrokerStatus), default=BrokerStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Business
    trading_name: Mapped[str] = mapped_column(String(160), default="")
    business_type: Mapped[BusinessType | None] = mapped_column(StrEnum(BusinessType))
    company_number: Mapped[str | None] = mapped_column(String(8))

    # Profile (in the broker's own words)
    specialisms: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    profile_text: Mapped[str] = mapped_column(Text, default="")
    lived_experience: Mapped[str] = mapped_column(Text, default="")
    hourly_fee_pence: Mapped[int | None] = mapped_column(Integer)

    # Conflicts of interest: either links listed in BrokerConflict, or none declared.
    no_conflicts_declared: Mapped[bool] = mapped_column(default=False)

    # Availability
    accepting_new_clients: Mapped[bool] = mapped_column(default=True)
    max_clients: Mapped[int] = mapped_column(default=10)

    user = relationship("User", back_populates="broker_profile")
    hub = relationship("Hub")
    districts = relationship("BrokerDistrict", back_populates="broker", cascade="all, delete-orphan",
                             order_by="BrokerDistrict.district")
    conflicts = relationship("BrokerConflict", back_populates="broker", cascade="all, delete-orphan",
                             order_by="BrokerConflict.id")
    fees = relationship("BrokerFee", back_populates="broker", cascade="all, delete-orphan")
    verifications = relationship("Verification", back_populates="broker", cascade="all, delete-orphan",
                                 order_by="Verification.id", foreign_keys="Verification.broker_id")
    acceptances = relationship("StandardsAcceptance", back_populates="broker", cascade="all, delete-orphan",
                               order_by="StandardsAcceptance.accepted_at")

    @property
    def display_name(self) -> str:
        return self.trading_name or self.user.name

    @property
    def is_draft(self) -> bool:
        """The application has not been sent to the hub lead yet."""
        return self.status == BrokerStatus.DRAFT

    @property
    def is_approved(self) -> bool:
        """Every part of the application has been approved at least once."""
        return self.status == BrokerStatus.APPROVED

    @property
    def district_codes(self) -> list[str]:
        return sorted((d.district for d in self.districts), key=district_key)

    def fee_for_band(self, band_id: int) -> int | None:
        for fee in self.fees:
            if fee.band_id == band_id:
                return fee.pence
        return None


class BrokerDistrict(db.Model):
    __tablename__ = "broker_districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id", ondelete="CASCADE"), index=True)
    district: Mapped[str] = mapped_column(String(8), index=True)

    broker = relationship("BrokerProfile", back_populates="districts")

    __table_args__ = (UniqueConstraint("broker_id", "district"),)


class BrokerFee(db.Model):
    """The broker's fee for a whole brokerage band, in pence."""

    __tablename__ = "broker_fees"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id", ondelete="CASCADE"))
    band_id: Mapped[int] = mapped_column(ForeignKey("bands.id"))
    pence: Mapped[int] = mapped_column(Integer)

    broker = relationship("BrokerProfile", back_populates="fees")
    band = relationship("Band")

    __table_args__ = (UniqueConstraint("broker_id", "band_id"),)


class ConflictKind(LabelledEnum):
    PROVIDER = "provider", "A care or support provider"
    FUNDER = "funder", "A funder (council or health body)"


class ConflictRelationship(LabelledEnum):
    EMPLOYMENT = "employment", "I work or worked for them"
    OWNERSHIP = "ownership", "I own or part-own it, or sit on its board"
    FAMILY = "family", "A family member works for or owns it"
    OTHER = "other", "Another link"


class BrokerConflict(db.Model):
    """A declared link with a provider or funder. Shown on the public profile."""

    __tablename__ = "broker_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(160))
    kind: Mapped[ConflictKind] = mapped_column(StrEnum(ConflictKind))
    relationship_type: Mapped[ConflictRelationship] = mapped_column(StrEnum(ConflictRelationship))
    details: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    broker = relationship("BrokerProfile", back_populates="conflicts")


class VerificationKind(LabelledEnum):
    BUSINESS = "business", "Business details"
    ACCREDITATION = "accreditation", "Accreditation"
    DBS = "dbs", "DBS check"
    INSURANCE = "insurance", "Professional indemnity insurance"
    CONFLICTS = "conflicts", "Conflicts of interest"
    PROFILE = "profile", "Profile, fees and areas"


class VerificationStatus(LabelledEnum):
    DRAFT = "draft", "Not sent yet"  # part of an application not yet sent
    PENDING = "pending", "Waiting to be checked"  # waiting for the hub lead
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Needs changes"
    SUPERSEDED = "superseded", "Replaced"  # replaced by a newer submission before it was checked


class Verification(db.Model):
    """One submission of one part of a broker's application, and the hub lead's decision."""

    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[VerificationKind] = mapped_column(StrEnum(VerificationKind))
    status: Mapped[VerificationStatus] = mapped_column(StrEnum(VerificationStatus))
    # Evidence: which fields are used depends on the kind.
    course_id: Mapped[int | None] = mapped_column(ForeignKey("accredited_courses.id"))
    reference: Mapped[str] = mapped_column(String(80), default="")  # certificate or policy number
    provider_name: Mapped[str] = mapped_column(String(160), default="")  # insurer
    issued_on: Mapped[date | None] = mapped_column(Date)  # award date, DBS issue date
    expires_on: Mapped[date | None] = mapped_column(Date)  # insurance expiry
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # what was checked
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was rejected (the applicant sees it)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expiry_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    broker = relationship("BrokerProfile", back_populates="verifications", foreign_keys=[broker_id])
    course = relationship("AccreditedCourse")
    reviewer = relationship("User")

    @property
    def is_draft(self) -> bool:
        return self.status == VerificationStatus.DRAFT

    @property
    def is_waiting(self) -> bool:
        """Sent, and waiting for the hub lead's check."""
        return self.status == VerificationStatus.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.status == VerificationStatus.REJECTED

    @property
    def is_decided(self) -> bool:
        return self.status in (VerificationStatus.APPROVED, VerificationStatus.REJECTED)


class AccreditedCourse(db.Model):
    """A brokerage course the centre accepts (e.g. accredited by the Open College Network)."""

    __tablename__ = "accredited_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    awarding_body: Mapped[str] = mapped_column(String(160))
    level: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("title", "awarding_body", "level"),)

    @property
    def label(self) -> str:
        return f"{self.title} ({self.awarding_body}, {self.level})"


class StandardsVersion(db.Model):
    """The broker standards, written by disabled people, as published versions."""

    __tablename__ = "standards_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    text: Mapped[str] = mapped_column(Text)
    summary_of_changes: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    published_by = relationship("User")


class StandardsAcceptance(db.Model):
    __tablename__ = "standards_acceptances"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id", ondelete="CASCADE"))
    standards_version_id: Mapped[int] = mapped_column(ForeignKey("standards_versions.id"))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    broker = relationship("BrokerProfile", back_populates="acceptances")
    version = relationship("StandardsVersion")

    __table_args__ = (UniqueConstraint("broker_id", "standards_version_id"),)
