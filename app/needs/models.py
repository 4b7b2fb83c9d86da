"""Needs (jobs a broker posts for a budget holder), offers, messages, agreements, gaps, need history.

Life cycles:
  Need:   draft -> open -> closed (deadline passed) -> filled | withdrawn; re-opened on hand back or by the broker.
  Offer:  submitted -> withdrawn | shortlisted -> proposed -> accepted -> handed back | not chosen.
  Agreement: active -> handed back (support continues until the notice ends) | ended.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime, unique_where
from app.extensions import db


class NeedStatus(LabelledEnum):
    DRAFT = "draft", "Draft, not published"
    OPEN = "open", "Open for offers"
    CLOSED = "closed", "Deadline passed: choosing"  # offers are being compared
    FILLED = "filled", "Filled"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @property
    def colour(self) -> str:
        """The colour of the need's status tag on the broker's page."""
        return {"draft": "grey", "open": "blue", "closed": "yellow", "filled": "green", "withdrawn": "grey"}[self.value]


class Urgency(LabelledEnum):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"
    HOSPITAL_DISCHARGE = "hospital_discharge", "Hospital discharge"


class Medication(LabelledEnum):
    NONE = "none", "No help with medication"
    PROMPTED = "prompted", "Medication prompted (reminders)"
    ADMINISTERED = "administered", "Medication administered by the worker"


class Visibility(LabelledEnum):
    ALL_VERIFIED = "all_verified", "Every verified provider serving this district and service"
    INVITED = "invited", "Only providers I invite"


class Need(db.Model):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), index=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("broker_profiles.id"), index=True)
    posted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[NeedStatus] = mapped_column(StrEnum(NeedStatus), default=NeedStatus.DRAFT)
    # Public part (never identifies the person)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"))
    district: Mapped[str] = mapped_column(String(8), index=True)
    schedule: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)  # [[day, part], ...]
    times_note: Mapped[str] = mapped_column(String(300), default="")
    minutes_per_week: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)  # None: ongoing
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    required_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    worker_gender: Mapped[str | None] = mapped_column(String(16))  # None: no preference
    double_up: Mapped[bool] = mapped_column(default=False)
    driver: Mapped[bool] = mapped_column(default=False)
    urgency: Mapped[Urgency] = mapped_column(StrEnum(Urgency), default=Urgency.ROUTINE)
    max_hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    travel_supplement_pence: Mapped[int] = mapped_column(Integer, default=0)  # per hour, on top of the rate
    public_description: Mapped[str] = mapped_column(Text)
    # Publishing
    visibility: Mapped[Visibility] = mapped_column(StrEnum(Visibility), default=Visibility.ALL_VERIFIED)
    response_hours: Mapped[int] = mapped_column(Integer, default=48)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # first publication (reports)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # When the first provider was told (kept in step by `events.tell_providers`; `flask reports
    # rebuild` recounts it from need_recipients): the 4-hour standard, without a subquery per need.
    first_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_offer_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shortlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    times_reopened: Mapped[int] = mapped_column(default=0)
    # The person's agreement to share this need's private details with the providers the broker
    # shortlists (a row in consents; withdrawn there). None until they agree.
    sharing_consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id"))

    holder = relationship("BudgetHolder")
    broker = relationship("BrokerProfile")
    posted_by = relationship("User")
    category = relationship("ServiceCategory")
    private = relationship("NeedPrivateDetails", back_populates="need", uselist=False, cascade="all, delete-orphan")
    offers = relationship("Offer", back_populates="need", order_by="Offer.id")
    invitations = relationship("NeedInvitation", back_populates="need", cascade="all, delete-orphan")
    events = relationship("NeedEvent", back_populates="need", order_by="NeedEvent.id")
    agreements = relationship("ServiceAgreement", back_populates="need", order_by="ServiceAgreement.id")
    gap = relationship("Gap", back_populates="need", uselist=False)
    sharing_consent = relationship("Consent")

    __table_args__ = (Index("ix_needs_status_deadline", "status", "deadline_at"),)

    @property
    def hours_per_week(self) -> float:
        return self.minutes_per_week / 60

    @property
    def invited_ids(self) -> set[int]:
        return {i.organisation_id for i in self.invitations}

    @property
    def is_draft(self) -> bool:
        return self.status == NeedStatus.DRAFT

    @property
    def is_open(self) -> bool:
        """Open for offers (until its deadline passes and the scheduled task closes it)."""
        return self.status == NeedStatus.OPEN

    @property
    def awaiting_choice(self) -> bool:
        """Published and not yet filled or withdrawn: offers are coming in, or being compared."""
        return self.status in (NeedStatus.OPEN, NeedStatus.CLOSED)

    @property
    def is_filled(self) -> bool:
        return self.status == NeedStatus.FILLED

    @property
    def is_finished(self) -> bool:
        """Filled or withdrawn: no longer needed from anyone else."""
        return self.status in (NeedStatus.FILLED, NeedStatus.WITHDRAWN)

    @property
    def has_offers_to_show(self) -> bool:
        """Published and not withdrawn: the broker's page shows its offers side by side."""
        return self.status in (NeedStatus.OPEN, NeedStatus.CLOSED, NeedStatus.FILLED)

    @property
    def is_urgent(self) -> bool:
        return self.urgency != Urgency.ROUTINE

    @property
    def offers_made(self) -> list[Offer]:
        """Every offer except those the providers withdrew."""
        return [offer for offer in self.offers if not offer.is_withdrawn]

    @property
    def shortlist(self) -> list[Offer]:  # the offers the person can choose from, the recommendation first
        return sorted((o for o in self.offers if o.status in (OfferStatus.SHORTLISTED, OfferStatus.PROPOSED)),
                      key=lambda o: (not o.is_proposed, o.id))

    @property
    def proposed_offer(self) -> Offer | None:
        """The offer the broker proposes to the person, if there is one."""
        return next((offer for offer in self.offers if offer.is_proposed), None)


class NeedPrivateDetails(db.Model):
    """Special category data: seen by the person, their broker, and only the providers the
    broker shortlists or chooses. Every view by a provider is audited."""

    __tablename__ = "need_private_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), unique=True)
    health_conditions: Mapped[str] = mapped_column(Text, default="")
    medication: Mapped[Medication] = mapped_column(StrEnum(Medication), default=Medication.NONE)
    medication_notes: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    access_arrangements: Mapped[str] = mapped_column(Text, default="")

    need = relationship("Need", back_populates="private")


class NeedInvitation(db.Model):
    """A provider the broker invited to apply (for invited-only needs, or to widen the search)."""

    __tablename__ = "need_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    need = relationship("Need", back_populates="invitations")
    organisation = relationship("ProviderOrganisation")

    __table_args__ = (UniqueConstraint("need_id", "organisation_id"),)


class NeedRecipient(db.Model):
    """A provider told about a need, so they can be told again when it is no longer needed."""

    __tablename__ = "need_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"))
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("need_id", "organisation_id"),)


class OfferStatus(LabelledEnum):
    SUBMITTED = "submitted", "Sent"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SHORTLISTED = "shortlisted", "Shortlisted"
    PROPOSED = "proposed", "Proposed to the person"
    ACCEPTED = "accepted", "Accepted"
    NOT_CHOSEN = "not_chosen", "Not chosen"
    HANDED_BACK = "handed_back", "Handed back"  # accepted, then the provider handed the support back


class Offer(db.Model):
    """A provider's application to meet a need. One per provider per need."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"), index=True)
    status: Mapped[OfferStatus] = mapped_column(StrEnum(OfferStatus), default=OfferStatus.SUBMITTED)
    hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    proposed_start: Mapped[date] = mapped_column(Date)
    requirements_met: Mapped[list[str]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text)
    worker_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    worker_gender: Mapped[str | None] = mapped_column(String(16))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shortlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_note: Mapped[str] = mapped_column(Text, default="")  # why the person turned a proposal down
    proposal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # why the broker recommends it

    need = relationship("Need", back_populates="offers")
    organisation = relationship("ProviderOrganisation")
    submitted_by = relationship("User")
    messages = relationship("OfferMessage", back_populates="offer", order_by="OfferMessage.id")

    __table_args__ = (
        UniqueConstraint("need_id", "organisation_id"),
        # At most one offer proposed to the person at a time.
        unique_where("uq_offers_one_proposed_per_need", "need_id", where="status = 'proposed'"),
        # At most one accepted offer per need: a handed-back offer leaves the accepted state.
        unique_where("uq_offers_one_accepted_per_need", "need_id", where="status = 'accepted'"),
    )

    @property
    def is_active(self) -> bool:
        """Still in the running: sent, shortlisted or proposed (the provider may withdraw it)."""
        return self.status in (OfferStatus.SUBMITTED, OfferStatus.SHORTLISTED, OfferStatus.PROPOSED)

    @property
    def is_withdrawn(self) -> bool:
        return self.status == OfferStatus.WITHDRAWN

    @property
    def is_proposed(self) -> bool:
        return self.status == OfferStatus.PROPOSED

    @property
    def is_accepted(self) -> bool:
        return self.status == OfferStatus.ACCEPTED

    @property
    def is_handed_back(self) -> bool:
        return self.status == OfferStatus.HANDED_BACK

    @property
    def is_above_maximum(self) -> bool:  # than the need's maximum rate (its travel supplement is paid on top)
        return self.hourly_rate_pence > self.need.max_hourly_rate_pence


class OfferMessage(db.Model):
    """A question and answer thread between the broker and a shortlisted provider."""

    __tablename__ = "offer_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_provider: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    offer = relationship("Offer", back_populates="messages")
    author = relationship("User")


class AgreementStatus(LabelledEnum):
    ACTIVE = "active", "Active"
    HANDED_BACK = "handed_back", "Handed back"
    ENDED = "ended", "Ended"


class ServiceAgreement(db.Model):
    """The budget holder and a provider agree the support: made when the person accepts an
    offer. Invoices are raised against it."""

    __tablename__ = "service_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), unique=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("provider_organisations.id"), index=True)
    status: Mapped[AgreementStatus] = mapped_column(StrEnum(AgreementStatus), default=AgreementStatus.ACTIVE)
    hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    travel_supplement_pence: Mapped[int] = mapped_column(Integer, default=0)
    minutes_per_week: Mapped[int] = mapped_column(Integer)
    schedule: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    times_note: Mapped[str] = mapped_column(String(300), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    handed_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hand_back_reason: Mapped[str] = mapped_column(Text, default="")
    notice_ends_on: Mapped[date | None] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # ended early (the person left OurChoice)
    end_reason: Mapped[str] = mapped_column(Text, default="")

    need = relationship("Need", back_populates="agreements")
    offer = relationship("Offer")
    holder = relationship("BudgetHolder")
    organisation = relationship("ProviderOrganisation")
    accepted_by = relationship("User")

    __table_args__ = (
        # One active agreement per need, however many people accept at once.
        unique_where("uq_service_agreements_one_active_per_need", "need_id", where="status = 'active'"),
    )

    @property
    def is_active(self) -> bool:
        return self.status == AgreementStatus.ACTIVE

    @property
    def is_handed_back(self) -> bool:
        return self.status == AgreementStatus.HANDED_BACK

    @property
    def weekly_cost_pence(self) -> int:
        return (self.hourly_rate_pence + self.travel_supplement_pence) * self.minutes_per_week // 60


class NeedEvent(db.Model):
    """The history of a need (published, offers, shortlist, acceptance, hand back...), kept
    when it re-opens, and used to report time to fill."""

    __tablename__ = "need_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    need = relationship("Need", back_populates="events")
    actor = relationship("User")


from app.needs.gap_model import Gap, GapReason  # noqa: E402,F401  (one of this feature's models)
