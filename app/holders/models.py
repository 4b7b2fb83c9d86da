"""The budget holder: a disabled or older person with a personal budget, and the people and
permissions around them.

The record can exist before the person has a login (a broker creates it with their recorded
consent and invites them to claim it later), so `user_id` is optional. The budget holder owns
their records: requests, engagements and, later, plans hang off this row, not off a broker.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class BudgetHolder(db.Model):
    __tablename__ = "budget_holders"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The postcode district the person lives in (never the full address here).
    district: Mapped[str | None] = mapped_column(String(8))
    communication_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_language: Mapped[str | None] = mapped_column(String(32))
    # For a record a broker created: where to send the invitation to claim it.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", back_populates="budget_holder", foreign_keys=[user_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    delegations = relationship("Delegation", back_populates="holder", order_by="Delegation.id")

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def has_login(self) -> bool:
        return self.user_id is not None

    @property
    def is_open(self) -> bool:
        """Not closed: a closed record answers as if it did not exist."""
        return self.closed_at is None


class DelegateAccess(LabelledEnum):
    VIEW = "view", "Can view"
    ACT = "act", "Can act"

    @property
    def description(self) -> str:
        return {
            "view": "can see your requests, your broker and your support, but cannot change anything",
            "act": "can also do things for you, such as asking a broker or accepting an offer",
        }[self.value]


class DelegationStatus(LabelledEnum):
    INVITED = "invited", "Invitation sent"
    ACTIVE = "active", "Active"
    REVOKED = "revoked", "Stopped"


class Delegation(db.Model):
    """A family member, friend or advocate the budget holder allows to view or act for them."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    relationship_to_holder: Mapped[str] = mapped_column(String(80), default="")
    access: Mapped[DelegateAccess] = mapped_column(StrEnum(DelegateAccess))
    status: Mapped[DelegationStatus] = mapped_column(StrEnum(DelegationStatus), default=DelegationStatus.INVITED)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    holder = relationship("BudgetHolder", back_populates="delegations")
    user = relationship("User", foreign_keys=[user_id])
    invited_by = relationship("User", foreign_keys=[invited_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    @property
    def is_active(self) -> bool:
        return self.status == DelegationStatus.ACTIVE

    @property
    def is_revoked(self) -> bool:
        return self.status == DelegationStatus.REVOKED

    @property
    def can_act(self) -> bool:
        """An active helper the person allowed to act for them (not only to view)."""
        return self.is_active and self.access == DelegateAccess.ACT


class ConsentMethod(LabelledEnum):
    ONLINE = "online", "Given online"
    VERBAL = "verbal", "Given verbally (for example by phone)"
    WRITTEN = "written", "Given in writing"
    # Needs published before OurChoice asked for agreement need by need (migration 0009): the broker
    # published them with the person's agreement to work with them, as the rules were then.
    EARLIER = "earlier", "Given to the broker before OurChoice asked for each need"


class Consent(db.Model):
    """Who agreed to share what with whom, when; and its withdrawal."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), index=True)
    broker_id: Mapped[int | None] = mapped_column(ForeignKey("broker_profiles.id"))
    purpose: Mapped[str] = mapped_column(String(64))
    method: Mapped[ConsentMethod] = mapped_column(StrEnum(ConsentMethod))
    note: Mapped[str] = mapped_column(Text, default="")
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    holder = relationship("BudgetHolder")
    broker = relationship("BrokerProfile")
    recorded_by = relationship("User")

    @property
    def is_current(self) -> bool:
        """Given and not withdrawn."""
        return self.withdrawn_at is None


class HolderClaim(db.Model):
    """An invitation to the person to take over a record a broker created for them."""

    __tablename__ = "holder_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    holder = relationship("BudgetHolder")
    invited_by = relationship("User")
