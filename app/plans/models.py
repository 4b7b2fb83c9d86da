"""A person's support plan for one funder, its costed lines, the versions submitted, the funder's
change requests, the two signatures, the reviews, the thread, and the funder's indicative budget.

The working plan (sections and lines) is what the person, their helpers and their broker edit.
Each submission freezes it into a `PlanVersion` (canonical JSON and its SHA-256), which is what the
funder reads, approves and signs; a signature keeps the hash of the exact text signed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.money import MoneyColumn
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime, unique_where
from app.extensions import db


class PlanStatus(LabelledEnum):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes asked for"
    APPROVED = "approved", "Approved, waiting for signatures"
    SIGNED = "signed", "Signed"
    ACTIVE = "active", "In force"
    REVIEW_DUE = "review_due", "Review due"
    REVIEWED = "reviewed", "Reviewed"


class MoneyArrangement(LabelledEnum):
    DIRECT_PAYMENT = "direct_payment", "A direct payment: the money is paid to me and I arrange my support"
    MANAGED_ACCOUNT = "managed_account", "A managed account: someone holds and pays the money for me"
    MY_COMPANY = "my_company", "My company: my own small company receives the money and pays for support"


class GivenBy(LabelledEnum):
    SERVICE_AGREEMENT = "service_agreement", "A service already agreed on OurChoice"
    PROVIDER = "provider", "A care or support provider"
    FAMILY = "family", "Family or friends"
    COMMUNITY = "community", "A community group or service"
    EQUIPMENT = "equipment", "Equipment or adaptations"


class PaidBy(LabelledEnum):
    STREAM = "stream", "A funding stream"
    INDICATIVE = "indicative", "The funder's budget, not yet set up as a stream"
    UNPAID = "unpaid", "Nobody: it is unpaid or free"


class SupportPlan(db.Model):
    __tablename__ = "support_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), index=True)
    funding_body_id: Mapped[int] = mapped_column(ForeignKey("funding_bodies.id"), index=True)
    status: Mapped[PlanStatus] = mapped_column(StrEnum(PlanStatus), default=PlanStatus.DRAFT)
    # section key -> text (see app.plans.sections); the lines are the "needs" section
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    money_arrangement: Mapped[MoneyArrangement | None] = mapped_column(StrEnum(MoneyArrangement))
    services_start_on: Mapped[date | None] = mapped_column(Date)
    review_weeks: Mapped[int] = mapped_column(Integer, default=6)
    over_budget_explanation: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    holder = relationship("BudgetHolder")
    funding_body = relationship("FundingBody")
    lines = relationship("PlanLine", back_populates="plan", order_by="PlanLine.id", cascade="all, delete-orphan")
    versions = relationship("PlanVersion", back_populates="plan", order_by="PlanVersion.number")
    messages = relationship("PlanMessage", back_populates="plan", order_by="PlanMessage.id")
    reviews = relationship("PlanReview", back_populates="plan", order_by="PlanReview.id")
    edits = relationship("PlanEdit", back_populates="plan", order_by="PlanEdit.id")

    __table_args__ = (
        UniqueConstraint("holder_id", "funding_body_id", name="uq_support_plans_one_per_funder"),
        CheckConstraint("review_weeks BETWEEN 6 AND 8", name="review_weeks_6_to_8"),
    )

    @property
    def latest_version(self) -> PlanVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def in_force_version(self) -> PlanVersion | None:
        """The latest version both sides signed: what is in force (or will be, once support starts),
        even while a newer version is being written."""
        return next((v for v in reversed(self.versions) if v.is_signed), None)

    @property
    def open_review(self) -> PlanReview | None:
        return next((r for r in self.reviews if r.is_open), None)


class PlanLine(db.Model):
    """One eligible need and how it is met: the support, who gives it, how much, what it costs a
    year (integer pence) and what pays for it."""

    __tablename__ = "plan_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"), index=True)
    need: Mapped[str] = mapped_column(Text)
    support: Mapped[str] = mapped_column(Text)
    given_by: Mapped[GivenBy] = mapped_column(StrEnum(GivenBy))
    given_by_name: Mapped[str] = mapped_column(String(160), default="")
    quantity: Mapped[str] = mapped_column(String(160))
    cost_pence: Mapped[int] = mapped_column(MoneyColumn, default=0)
    paid_by: Mapped[PaidBy] = mapped_column(StrEnum(PaidBy))
    funding_stream_id: Mapped[int | None] = mapped_column(ForeignKey("funding_streams.id"))

    plan = relationship("SupportPlan", back_populates="lines")
    funding_stream = relationship("FundingStream")

    __table_args__ = (
        CheckConstraint("cost_pence >= 0", name="line_cost_not_negative"),
        CheckConstraint("paid_by <> 'unpaid' OR cost_pence = 0", name="unpaid_line_costs_nothing"),
        CheckConstraint("paid_by = 'unpaid' OR cost_pence > 0", name="paid_line_has_a_cost"),
        CheckConstraint("(paid_by = 'stream') = (funding_stream_id IS NOT NULL)", name="stream_line_names_stream"),
    )


class PlanEdit(db.Model):
    """Who changed which part of the working plan, and when."""

    __tablename__ = "plan_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan = relationship("SupportPlan", back_populates="edits")
    user = relationship("User", foreign_keys=[user_id])


class PlanVersion(db.Model):
    """The plan exactly as submitted: frozen content and the SHA-256 of its canonical JSON."""

    __tablename__ = "plan_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    plan = relationship("SupportPlan", back_populates="versions")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    signatures = relationship("PlanSignature", back_populates="version", order_by="PlanSignature.id")
    change_requests = relationship("PlanChangeRequest", back_populates="version", order_by="PlanChangeRequest.id")

    __table_args__ = (
        UniqueConstraint("plan_id", "number", name="uq_plan_versions_number"),
        CheckConstraint("number >= 1", name="version_number_positive"),
    )

    @property
    def is_signed(self) -> bool:
        return self.signature("holder") is not None and self.signature("funder") is not None

    def signature(self, role: str) -> PlanSignature | None:
        return next((s for s in self.signatures if s.role == role), None)


class PlanChangeRequest(db.Model):
    """A funder officer's request for changes to named sections of a submitted version."""

    __tablename__ = "plan_change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    sections: Mapped[list] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version = relationship("PlanVersion", back_populates="change_requests")
    by = relationship("User")

    __table_args__ = (CheckConstraint("length(reason) > 0", name="change_request_has_reason"),)


class PlanSignature(db.Model):
    """One signature of one version: by the budget holder's side or the funder's, with the hash of
    the exact content signed."""

    __tablename__ = "plan_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))

    version = relationship("PlanVersion", back_populates="signatures")
    user = relationship("User", foreign_keys=[user_id])
    on_behalf_of = relationship("User", foreign_keys=[on_behalf_of_id])

    __table_args__ = (
        UniqueConstraint("version_id", "role", name="uq_plan_signatures_one_per_side"),
        CheckConstraint("role IN ('holder', 'funder')", name="signature_role_known"),
    )


class ReviewKind(LabelledEnum):
    FIRST = "first", "First review"
    ANNUAL = "annual", "Yearly review"
    EARLY = "early", "Early review"


class Rating(LabelledEnum):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


class PlanReview(db.Model):
    """A booked review: when it is due, and once done, the notes and each outcome's rating."""

    __tablename__ = "plan_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"))
    kind: Mapped[ReviewKind] = mapped_column(StrEnum(ReviewKind))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    ratings: Mapped[list] = mapped_column(JSON, default=list)  # [{"outcome": text, "rating": "met"}, ...]
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a newer signed version booked its own

    plan = relationship("SupportPlan", back_populates="reviews")
    version = relationship("PlanVersion")
    done_by = relationship("User", foreign_keys=[done_by_id])
    requested_by = relationship("User", foreign_keys=[requested_by_id])

    __table_args__ = (
        unique_where("uq_plan_reviews_one_open", "plan_id", where="done_at IS NULL AND replaced_at IS NULL"),
    )

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.replaced_at is None


class PlanMessage(db.Model):
    """The plan's thread: messages between the funder, the person, their helpers and their broker,
    and a line for each move of the plan."""

    __tablename__ = "plan_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("support_plans.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_role: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    is_event: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan = relationship("SupportPlan", back_populates="messages")
    author = relationship("User", foreign_keys=[author_id])


class IndicativeBudget(db.Model):
    """What a funding body expects to spend on one person in a year, set by its officer."""

    __tablename__ = "indicative_budgets"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"))
    funding_body_id: Mapped[int] = mapped_column(ForeignKey("funding_bodies.id"), index=True)
    amount_pence: Mapped[int] = mapped_column(MoneyColumn)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    holder = relationship("BudgetHolder")
    set_by = relationship("User")

    __table_args__ = (
        UniqueConstraint("holder_id", "funding_body_id", name="uq_indicative_budgets_one_per_funder"),
        CheckConstraint("amount_pence > 0", name="indicative_budget_positive"),
    )
