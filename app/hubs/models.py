"""Franchise hubs: a locality (a set of postcode districts) run by a hub lead."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.districts import district_key
from app.core.enums import LabelledEnum
from app.core.money import MoneyColumn
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class HubStatus(LabelledEnum):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"  # brokers hidden; may reopen
    CLOSED = "closed", "Closed"  # for good


class Hub(db.Model):
    __tablename__ = "hubs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[HubStatus] = mapped_column(StrEnum(HubStatus), default=HubStatus.ACTIVE)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_reason: Mapped[str | None] = mapped_column(Text)
    # The agency agreement between the hub (franchise) and the centre.
    agreement_start: Mapped[date | None] = mapped_column(Date)
    agreement_signed_on: Mapped[date | None] = mapped_column(Date)
    agreement_fee_arrangement: Mapped[str] = mapped_column(Text, default="")
    agreement_reference: Mapped[str] = mapped_column(String(120), default="")
    agreement_end: Mapped[date | None] = mapped_column(Date)  # None: runs until ended
    # The fees the hub owes the centre under the agreement: a fixed fee for each month it runs,
    # and a fee for each new client its brokers start working with.
    monthly_fee_pence: Mapped[int] = mapped_column(MoneyColumn, default=0, server_default="0")
    fee_per_new_client_pence: Mapped[int] = mapped_column(MoneyColumn, default=0, server_default="0")

    __table_args__ = (CheckConstraint("monthly_fee_pence >= 0 AND fee_per_new_client_pence >= 0",
                                      name="fees_not_negative"),)

    @property
    def is_active(self) -> bool:
        return self.status == HubStatus.ACTIVE

    @property
    def is_closed(self) -> bool:
        """Closed for good: no public page, and its status can no longer change."""
        return self.status == HubStatus.CLOSED

    @property
    def lead_users(self):
        return [membership.user for membership in self.leads]

    districts = relationship("HubDistrict", back_populates="hub", cascade="all, delete-orphan",
                             order_by="HubDistrict.district")
    leads = relationship("HubLead", back_populates="hub", cascade="all, delete-orphan")

    @property
    def district_codes(self) -> list[str]:
        return sorted((d.district for d in self.districts), key=district_key)


class HubDistrict(db.Model):
    """A postcode district (W9, NW8...) covered by a hub. A district belongs to one hub."""

    __tablename__ = "hub_districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"), index=True)
    district: Mapped[str] = mapped_column(String(8), unique=True)

    hub = relationship("Hub", back_populates="districts")


class HubLead(db.Model):
    __tablename__ = "hub_leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    hub = relationship("Hub", back_populates="leads")
    user = relationship("User", back_populates="hub_lead_memberships")

    __table_args__ = (UniqueConstraint("hub_id", "user_id"),)
