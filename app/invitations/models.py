"""Invitations to roles that cannot be self-registered (hub lead, funder officer, admin,
and brokers invited by their hub lead)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.roles import Role
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class Invitation(db.Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(StrEnum(Role))
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hubs.id"))
    funding_body_id: Mapped[int | None] = mapped_column(ForeignKey("funding_bodies.id"))
    provider_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("provider_organisations.id"))
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    hub = relationship("Hub")
    funding_body = relationship("FundingBody")
    provider_organisation = relationship("ProviderOrganisation")
    invited_by = relationship("User", foreign_keys=[invited_by_id])
    accepted_by = relationship("User", foreign_keys=[accepted_by_id])

    def status(self, now: datetime) -> str:
        """Its state at `now`: pending, accepted, withdrawn or expired."""
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "withdrawn"
        if self.expires_at <= now:
            return "expired"
        return "pending"

    @property
    def is_pending(self) -> bool:
        """Its link still works: not accepted, withdrawn or expired."""
        return self.status(utcnow()) == "pending"

    @property
    def where(self) -> str:
        if self.hub is not None:
            return self.hub.name
        if self.funding_body is not None:
            return self.funding_body.name
        if self.provider_organisation is not None:
            return self.provider_organisation.name
        return "OurChoice"
