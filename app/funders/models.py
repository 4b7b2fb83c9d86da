"""Funding bodies (councils, health bodies, the Independent Living Fund, Access to Work) and
their officers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class FundingBodyKind(LabelledEnum):
    COUNCIL = "council", "Council (adult social care)"
    HEALTH = "health", "Health (personal health budget)"
    INDEPENDENT_LIVING_FUND = "independent_living_fund", "Independent Living Fund"
    ACCESS_TO_WORK = "access_to_work", "Access to Work"
    OTHER = "other", "Other funder"


class FundingBody(db.Model):
    __tablename__ = "funding_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[FundingBodyKind] = mapped_column(StrEnum(FundingBodyKind))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    officers = relationship("FundingOfficer", back_populates="funding_body", cascade="all, delete-orphan")


class FundingOfficer(db.Model):
    __tablename__ = "funding_officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    funding_body_id: Mapped[int] = mapped_column(ForeignKey("funding_bodies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    funding_body = relationship("FundingBody", back_populates="officers")
    user = relationship("User", back_populates="funder_memberships")

    __table_args__ = (UniqueConstraint("funding_body_id", "user_id"),)
