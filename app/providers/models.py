"""Provider organisations (care agencies, personal assistants, community enterprises), their
staff logins, services, areas and spare capacity."""

from __future__ import annotations

import uuid as uuid_module
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.districts import district_key
from app.core.enums import LabelledEnum
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class ProviderKind(LabelledEnum):
    CARE_AGENCY = "care_agency", "Care agency"
    PERSONAL_ASSISTANT = "personal_assistant", "Self-employed personal assistant"
    COMMUNITY_ENTERPRISE = "community_enterprise", "Community or user-led enterprise"


class ProviderOrganisation(db.Model):
    __tablename__ = "provider_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable public id for open data (Open Referral UK organisation id).
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=lambda: str(uuid_module.uuid4()))
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[ProviderKind] = mapped_column(StrEnum(ProviderKind))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    description: Mapped[str] = mapped_column(Text, default="")
    # Regulated personal care needs a CQC registration (number then required and checked).
    regulated_personal_care: Mapped[bool] = mapped_column(default=False)
    cqc_number: Mapped[str | None] = mapped_column(String(16))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    worker_genders: Mapped[list[str]] = mapped_column(JSON, default=list)
    double_up: Mapped[bool] = mapped_column(default=False)
    drivers: Mapped[bool] = mapped_column(default=False)
    rate_from_pence: Mapped[int | None] = mapped_column(Integer)
    rate_to_pence: Mapped[int | None] = mapped_column(Integer)
    # Set by a hub lead after checking registration and insurance.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verification_note: Mapped[str] = mapped_column(Text, default="")
    capacity_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    capacity_reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff = relationship("ProviderStaff", back_populates="organisation", cascade="all, delete-orphan")
    services = relationship("ProviderService", back_populates="organisation", cascade="all, delete-orphan")
    districts = relationship("ProviderDistrict", back_populates="organisation", cascade="all, delete-orphan")
    capacity = relationship("CapacitySlot", back_populates="organisation", cascade="all, delete-orphan")
    verified_by = relationship("User", foreign_keys=[verified_by_id])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def district_codes(self) -> list[str]:
        """Every district the provider lists (some may still wait for a hub lead's check)."""
        return sorted((d.district for d in self.districts), key=district_key)

    @property
    def category_ids(self) -> set[int]:
        return {s.category_id for s in self.services}

    @property
    def served_district_codes(self) -> list[str]:
        """Districts a hub lead has checked: the only ones needs are matched in."""
        return sorted((d.district for d in self.districts if d.verified_at is not None), key=district_key)

    @property
    def served_services(self) -> list[ProviderService]:
        """Services a hub lead has checked: the only ones needs are matched for, and published."""
        return [s for s in self.services if s.verified_at is not None]

    @property
    def served_category_ids(self) -> set[int]:
        return {s.category_id for s in self.served_services}

    @property
    def pending_districts(self) -> list[str]:
        return sorted((d.district for d in self.districts if d.verified_at is None), key=district_key)

    @property
    def pending_services(self) -> list[ProviderService]:
        return [s for s in self.services if s.verified_at is None]

    @property
    def has_pending_changes(self) -> bool:
        return self.is_verified and bool(self.pending_districts or self.pending_services)

    @property
    def available_slots(self) -> set[tuple[int, str]]:
        return {(slot.day, slot.part) for slot in self.capacity if slot.available}

    @property
    def owners(self):
        return [s.user for s in self.staff if s.is_owner]


class ProviderStaff(db.Model):
    """A user's login to a provider organisation. The owner can add and remove staff."""

    __tablename__ = "provider_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_owner: Mapped[bool] = mapped_column(default=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("ProviderOrganisation", back_populates="staff")
    user = relationship("User", back_populates="provider_memberships")

    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)


class ProviderService(db.Model):
    __tablename__ = "provider_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id", ondelete="CASCADE"),
                                                 index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"), index=True)
    # Checked by a hub lead; a service added (or a CQC number changed) after that waits for a new check.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation = relationship("ProviderOrganisation", back_populates="services")
    category = relationship("ServiceCategory")

    __table_args__ = (UniqueConstraint("organisation_id", "category_id"),)


class ProviderDistrict(db.Model):
    __tablename__ = "provider_districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id", ondelete="CASCADE"),
                                                 index=True)
    district: Mapped[str] = mapped_column(String(8), index=True)
    # Checked by the lead of the hub covering this district; a district added later waits for them.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation = relationship("ProviderOrganisation", back_populates="districts")

    __table_args__ = (UniqueConstraint("organisation_id", "district"),)


class CapacitySlot(db.Model):
    """Whether the provider can take new work on one day at one part of the day."""

    __tablename__ = "capacity_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id", ondelete="CASCADE"),
                                                 index=True)
    day: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    part: Mapped[str] = mapped_column(String(16))
    available: Mapped[bool] = mapped_column(default=True)

    organisation = relationship("ProviderOrganisation", back_populates="capacity")

    __table_args__ = (UniqueConstraint("organisation_id", "day", "part"),)
