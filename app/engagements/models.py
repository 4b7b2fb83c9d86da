"""Requests, engagements, time entries, band changes and reviews.

The `Band` model is the brokers feature's (a broker's fees are set per band); it is imported
here because every engagement is agreed in one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.brokers.models import Band
from app.core.enums import LabelledEnum
from app.core.money import MoneyColumn
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime, unique_where
from app.extensions import db

__all__ = ["Band", "BandChangeRequest", "BandChangeStatus", "BrokerRequest", "Engagement", "EngagementStatus",
           "RequestStatus", "Review", "ReviewStatus", "TimeEntry"]


class RequestStatus(LabelledEnum):
    PENDING = "pending", "Waiting for the broker"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    LAPSED = "lapsed", "No answer in time"

    @property
    def to_broker(self) -> str:
        """The status as the broker reads it on their own screens."""
        return {"pending": "Waiting for your answer", "lapsed": "You did not answer in time"}.get(self.value, self.label)


class BrokerRequest(db.Model):
    """A budget holder asking a broker to work with them. It belongs to the budget holder."""

    __tablename__ = "broker_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), index=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id"), index=True)
    status: Mapped[RequestStatus] = mapped_column(StrEnum(RequestStatus), default=RequestStatus.PENDING)
    message: Mapped[str] = mapped_column(Text, default="")
    help_wanted: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    respond_by: Mapped[datetime] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    # Who pressed the button: the person, or someone acting for them.
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    holder = relationship("BudgetHolder")
    broker = relationship("BrokerProfile")
    sent_by = relationship("User")
    consent = relationship("Consent")
    engagement = relationship("Engagement", back_populates="request", uselist=False)

    __table_args__ = (
        Index("ix_broker_requests_status_respond_by", "status", "respond_by"),
        # A person waits for one broker at a time (enforced by the database, even under races).
        unique_where("uq_broker_requests_one_pending_per_holder", "holder_id", where="status = 'pending'"),
    )

    @property
    def is_pending(self) -> bool:
        """Still waiting for the broker's answer."""
        return self.status == RequestStatus.PENDING

    @property
    def started_engagement(self):
        """The engagement this request started, once the broker accepted it (else None)."""
        return self.engagement if self.status == RequestStatus.ACCEPTED else None


class EngagementStatus(LabelledEnum):
    ACTIVE = "active", "Working together"
    ENDED = "ended", "Ended"


class Engagement(db.Model):
    """A budget holder working with a broker, from acceptance until either ends it."""

    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), index=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("broker_requests.id"), unique=True)
    status: Mapped[EngagementStatus] = mapped_column(StrEnum(EngagementStatus), default=EngagementStatus.ACTIVE)
    band_id: Mapped[int] = mapped_column(ForeignKey("bands.id"))
    allocated_minutes: Mapped[int] = mapped_column(Integer)
    # What the person agreed to pay, fixed when the work starts (and when a higher band is
    # approved), ready for invoicing: the broker's fee for the band and/or their hourly fee.
    # A broker changing their fees later does not change a price already agreed.
    agreed_band_fee_pence: Mapped[int | None] = mapped_column(MoneyColumn)
    agreed_hourly_fee_pence: Mapped[int | None] = mapped_column(MoneyColumn)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    end_reason: Mapped[str] = mapped_column(Text, default="")

    holder = relationship("BudgetHolder")
    broker = relationship("BrokerProfile")
    band = relationship("Band")
    request = relationship("BrokerRequest", back_populates="engagement")
    ended_by = relationship("User")
    time_entries = relationship("TimeEntry", back_populates="engagement", order_by="TimeEntry.worked_on.desc(), TimeEntry.id.desc()")
    band_changes = relationship("BandChangeRequest", back_populates="engagement", order_by="BandChangeRequest.id")
    review = relationship("Review", back_populates="engagement", uselist=False)

    __table_args__ = (
        # A person works with one broker at a time.
        unique_where("uq_engagements_one_active_per_holder", "holder_id", where="status = 'active'"),
    )

    @property
    def minutes_used(self) -> int:
        return sum(entry.minutes for entry in self.time_entries)

    @property
    def is_active(self) -> bool:
        return self.status == EngagementStatus.ACTIVE

    @property
    def has_agreed_price(self) -> bool:
        return self.agreed_band_fee_pence is not None or self.agreed_hourly_fee_pence is not None


class TimeEntry(db.Model):
    __tablename__ = "time_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    worked_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    function: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    engagement = relationship("Engagement", back_populates="time_entries")


class BandChangeStatus(LabelledEnum):
    PENDING = "pending", "Waiting for the hub lead"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class BandChangeRequest(db.Model):
    __tablename__ = "band_change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    from_band_id: Mapped[int] = mapped_column(ForeignKey("bands.id"))
    to_band_id: Mapped[int] = mapped_column(ForeignKey("bands.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[BandChangeStatus] = mapped_column(StrEnum(BandChangeStatus), default=BandChangeStatus.PENDING)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str] = mapped_column(Text, default="")

    engagement = relationship("Engagement", back_populates="band_changes")
    from_band = relationship("Band", foreign_keys=[from_band_id])
    to_band = relationship("Band", foreign_keys=[to_band_id])
    decided_by = relationship("User")

    __table_args__ = (
        # At most one band change waiting for the hub lead per engagement.
        unique_where("uq_band_change_requests_one_pending_per_engagement", "engagement_id", where="status = 'pending'"),
    )

    @property
    def is_pending(self) -> bool:
        """Waiting for the hub lead's decision."""
        return self.status == BandChangeStatus.PENDING


class ReviewStatus(LabelledEnum):
    PENDING = "pending", "Waiting to be checked"  # waiting for hub lead moderation
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"


class Review(db.Model):
    """The budget holder's answers to the quality questions, rating and comment at the end of
    an engagement. Shown on the broker's profile once the hub lead has checked it."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"))
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReviewStatus] = mapped_column(StrEnum(ReviewStatus), default=ReviewStatus.PENDING)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderation_note: Mapped[str] = mapped_column(Text, default="")
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The broker's public reply goes through the same moderation as the review (None: no reply).
    reply_status: Mapped[ReviewStatus | None] = mapped_column(StrEnum(ReviewStatus))
    reply_moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply_moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reply_moderation_note: Mapped[str] = mapped_column(Text, default="")

    engagement = relationship("Engagement", back_populates="review")
    broker = relationship("BrokerProfile")

    __table_args__ = (UniqueConstraint("engagement_id"),)

    @property
    def is_waiting(self) -> bool:
        """The review waits for the hub lead's check."""
        return self.status == ReviewStatus.PENDING

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED

    @property
    def reply_is_waiting(self) -> bool:
        """The broker's reply waits for the hub lead's check."""
        return bool(self.reply) and self.reply_status == ReviewStatus.PENDING

    @property
    def reply_was_refused(self) -> bool:
        return bool(self.reply) and self.reply_status == ReviewStatus.REJECTED

    @property
    def reply_is_public(self) -> bool:
        return bool(self.reply) and self.reply_status == ReviewStatus.PUBLISHED

    @property
    def can_reply(self) -> bool:
        """The broker may reply once; a reply the hub lead did not publish can be written again."""
        return self.status == ReviewStatus.PUBLISHED and (not self.reply or self.reply_status == ReviewStatus.REJECTED)
