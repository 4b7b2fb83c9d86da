"""Invoices from providers (against a service agreement) and brokers (against an engagement),
the person's approval policy, and the payments that settle approved invoices."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.money import MoneyColumn
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime, unique_where
from app.extensions import db


class InvoiceKind(LabelledEnum):
    PROVIDER = "provider", "Support"
    BROKER = "broker", "Brokerage"


class InvoiceStatus(LabelledEnum):
    SUBMITTED = "submitted", "Waiting for approval"
    QUERIED = "queried", "Queried"
    REPLACED = "replaced", "Replaced by a corrected invoice"
    APPROVED = "approved", "Approved, not yet paid"
    PAID = "paid", "Paid"


# Invoices still in play (a replaced one is history): at most one per agreement and period start.
LIVE_STATUSES = "status IN ('submitted', 'queried', 'approved', 'paid')"


class Invoice(db.Model):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("budget_holders.id"), index=True)
    kind: Mapped[InvoiceKind] = mapped_column(StrEnum(InvoiceKind))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("service_agreements.id"), index=True)
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagements.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("provider_organisations.id"), index=True)
    broker_id: Mapped[int | None] = mapped_column(ForeignKey("broker_profiles.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)  # hours delivered (or logged), in minutes
    rate_pence: Mapped[int] = mapped_column(MoneyColumn)  # the hourly rate charged
    total_pence: Mapped[int] = mapped_column(MoneyColumn)
    # What the agreement allows for the period (its hours a week and rate); the difference is shown.
    agreed_minutes: Mapped[int] = mapped_column(Integer)
    agreed_rate_pence: Mapped[int] = mapped_column(MoneyColumn)
    agreed_total_pence: Mapped[int] = mapped_column(MoneyColumn)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[InvoiceStatus] = mapped_column(StrEnum(InvoiceStatus), default=InvoiceStatus.SUBMITTED)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Standing approval: approved without a person at this time, unless it exceeds its agreement.
    approve_after: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"), unique=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), unique=True)

    holder = relationship("BudgetHolder")
    agreement = relationship("ServiceAgreement")
    engagement = relationship("Engagement")
    organisation = relationship("ProviderOrganisation")
    broker = relationship("BrokerProfile")
    category = relationship("ServiceCategory")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    lines = relationship("InvoiceLine", back_populates="invoice", order_by="InvoiceLine.id")
    events = relationship("InvoiceEvent", back_populates="invoice", order_by="InvoiceEvent.id")
    replaces = relationship("Invoice", remote_side=[id], foreign_keys=[replaces_id], back_populates="replaced_by")
    replaced_by = relationship("Invoice", foreign_keys=[replaces_id], back_populates="replaces", uselist=False)
    payments = relationship("Payment", back_populates="invoice", order_by="Payment.id")
    checkouts = relationship("CardCheckout", back_populates="invoice", order_by="CardCheckout.id")

    __table_args__ = (
        CheckConstraint("total_pence > 0", name="total_positive"),
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        CheckConstraint("(agreement_id IS NULL) <> (engagement_id IS NULL)", name="one_basis"),
        unique_where("uq_invoices_one_live_per_agreement_period", "agreement_id", "period_start", where=LIVE_STATUSES),
        unique_where("uq_invoices_one_live_per_engagement_period", "engagement_id", "period_start", where=LIVE_STATUSES),
    )

    @property
    def number(self) -> str:
        return f"OC-{self.id:06d}"

    @property
    def payee_name(self) -> str:
        return self.organisation.name if self.organisation is not None else self.broker.display_name

    @property
    def support_pence(self) -> int:
        """The hours of support (and their travel supplement), without the extra lines."""
        return sum(line.amount_pence for line in self.lines if line.kind in (LineKind.HOURS, LineKind.TRAVEL))

    @property
    def over_agreement_pence(self) -> int:
        """How much more than the agreement allows for the period's hours (0 when within it).
        Extra lines (agreed mileage, an entry fee) are shown on their own, not counted as over."""
        return max(0, self.support_pence - self.agreed_total_pence)

    @property
    def exceeds_agreement(self) -> bool:
        return self.minutes > self.agreed_minutes or self.rate_pence > self.agreed_rate_pence or self.over_agreement_pence > 0

    @property
    def live_payment(self):
        return next((p for p in self.payments if p.is_live), None)

    @property
    def latest_checkout(self):
        """The card or Direct Debit payment started last through Stripe (None: never)."""
        return self.checkouts[-1] if self.checkouts else None


class LineKind(LabelledEnum):
    HOURS = "hours", "Hours of support"
    TRAVEL = "travel", "Travel supplement"
    MILEAGE = "mileage", "Mileage"
    OTHER = "other", "Other agreed cost"


class InvoiceLine(db.Model):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    kind: Mapped[LineKind] = mapped_column(StrEnum(LineKind))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)  # minutes for hours and travel, miles for mileage, 1 otherwise
    unit_pence: Mapped[int] = mapped_column(MoneyColumn)  # per hour, per mile, or the amount
    amount_pence: Mapped[int] = mapped_column(MoneyColumn)

    invoice = relationship("Invoice", back_populates="lines")

    __table_args__ = (CheckConstraint("amount_pence >= 0", name="amount_not_negative"),)


# What each event is called on the invoice's page.
EVENT_LABELS = {
    "submitted": "Sent", "queried": "Queried", "answered": "Answered", "corrected": "Corrected",
    "approved": "Approved", "approved_automatically": "Approved automatically (standing approval)",
    "paid": "Paid", "payment_reversed": "Payment reversed", "card_started": "Payment through Stripe started",
    "card_pending": "Payment pending (Direct Debit)", "card_failed": "Payment failed",
    "payment_refunded": "Payment refunded",
}


class InvoiceEvent(db.Model):
    """What happened to an invoice, with any message: the invoice's thread."""

    __tablename__ = "invoice_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    # submitted | queried | answered | corrected | approved | approved_automatically | paid | payment_reversed
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invoice = relationship("Invoice", back_populates="events")
    actor = relationship("User", foreign_keys=[actor_id])


class StandingApproval(db.Model):
    """The person's choice for one service agreement: its invoices are approved without them
    after a waiting period (unless an invoice exceeds the agreement)."""

    __tablename__ = "standing_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("service_agreements.id"), index=True)
    waiting_days: Mapped[int] = mapped_column(Integer, default=7)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    agreement = relationship("ServiceAgreement")

    __table_args__ = (
        unique_where("uq_standing_approvals_one_current_per_agreement", "agreement_id", where="ended_at IS NULL"),
        CheckConstraint("waiting_days BETWEEN 1 AND 60", name="waiting_days"),
    )


class PaymentMethod(LabelledEnum):
    MANUAL = "manual", "Bank transfer (recorded by hand)"
    STRIPE = "stripe", "Card or Direct Debit, through Stripe"


class PaymentStatus(LabelledEnum):
    MADE = "made", "Paid"
    REVERSED = "reversed", "Reversed"
    REFUNDED = "refunded", "Refunded"


class Payment(db.Model):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(StrEnum(PaymentMethod))
    status: Mapped[PaymentStatus] = mapped_column(StrEnum(PaymentStatus), default=PaymentStatus.MADE)
    amount_pence: Mapped[int] = mapped_column(MoneyColumn)
    reference: Mapped[str] = mapped_column(String(80))
    paid_on: Mapped[date] = mapped_column(Date)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"), unique=True)
    # Why the person paid past a stream's allocation (empty when they did not).
    over_allocation_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The Stripe Checkout Session this payment settles: one payment per session, whatever Stripe sends.
    checkout_id: Mapped[int | None] = mapped_column(ForeignKey("card_checkouts.id"), unique=True)

    invoice = relationship("Invoice", back_populates="payments")
    checkout = relationship("CardCheckout", back_populates="payment")
    parts = relationship("PaymentPart", back_populates="payment", order_by="PaymentPart.id")
    transaction = relationship("LedgerTransaction")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        # One payment settles an invoice: two people paying at once record one.
        unique_where("uq_payments_one_live_per_invoice", "invoice_id", where="status = 'made'"),
    )

    @property
    def is_live(self) -> bool:
        return self.status == PaymentStatus.MADE


class PaymentPart(db.Model):
    """The share of a payment one funding stream pays."""

    __tablename__ = "payment_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("funding_streams.id"), index=True)
    amount_pence: Mapped[int] = mapped_column(MoneyColumn)

    payment = relationship("Payment", back_populates="parts")
    stream = relationship("FundingStream")

    __table_args__ = (CheckConstraint("amount_pence > 0", name="amount_positive"),)
