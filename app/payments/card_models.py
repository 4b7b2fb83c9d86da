"""Card and Direct Debit payments through Stripe Connect: each payee's connected account, each
Checkout Session the person starts, and every event Stripe sent (or reconcile read), with what
it did.

Exactly once: an event's id is its primary key, written in the same transaction as its effect;
a Checkout Session settles at most one payment (`payments.checkout_id` is unique, and the ledger
transaction's key is the session's id); a checkout's state only moves forward.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.money import MoneyColumn
from app.core.timeutil import utcnow
from app.core.types import StrEnum, UTCDateTime
from app.extensions import db


class PayoutAccount(db.Model):
    """A provider organisation's or a self-employed broker's Stripe connected account (Express)."""

    __tablename__ = "payout_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("provider_organisations.id"), unique=True)
    broker_id: Mapped[int | None] = mapped_column(ForeignKey("broker_profiles.id"), unique=True)
    stripe_account_id: Mapped[str] = mapped_column(String(64), unique=True)
    # What Stripe last said: can the account take payments, be paid out, has onboarding been finished.
    charges_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    payouts_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    details_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_reason: Mapped[str] = mapped_column(String(200), default="")
    # When Stripe's reading was taken (an event's time, or when we asked): an older one is ignored.
    stripe_as_of: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    organisation = relationship("ProviderOrganisation")
    broker = relationship("BrokerProfile")

    __table_args__ = (CheckConstraint("(organisation_id IS NULL) <> (broker_id IS NULL)", name="one_payee"),)

    @property
    def can_receive(self) -> bool:
        return self.charges_enabled


class CheckoutState(LabelledEnum):
    OPEN = "open", "Waiting for confirmation from Stripe"
    PENDING = "pending", "Payment pending"
    PAID = "paid", "Paid"
    FAILED = "failed", "Payment failed"
    EXPIRED = "expired", "Not completed"
    FLAGGED = "flagged", "Being checked by an administrator"
    REFUNDED = "refunded", "Refunded"


# Forward only: open → pending → paid | failed; open → expired; paid → refunded. What Stripe says
# that does not fit (open or pending → flagged) records no money and waits for an admin, who
# refunds it in Stripe (flagged → refunded).
NEXT_STATES = {
    CheckoutState.OPEN: {CheckoutState.PENDING, CheckoutState.PAID, CheckoutState.FAILED, CheckoutState.EXPIRED,
                         CheckoutState.FLAGGED},
    CheckoutState.PENDING: {CheckoutState.PAID, CheckoutState.FAILED, CheckoutState.FLAGGED},
    CheckoutState.PAID: {CheckoutState.REFUNDED},
    CheckoutState.FAILED: set(),
    CheckoutState.EXPIRED: set(),
    CheckoutState.FLAGGED: {CheckoutState.REFUNDED},
    CheckoutState.REFUNDED: set(),
}
UNSETTLED = (CheckoutState.OPEN, CheckoutState.PENDING)


class CardCheckout(db.Model):
    """One Stripe Checkout Session for one approved invoice: the funding streams the person chose
    and what Stripe has said about it since."""

    __tablename__ = "card_checkouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    payout_account_id: Mapped[int] = mapped_column(ForeignKey("payout_accounts.id"))
    session_id: Mapped[str] = mapped_column(String(255), unique=True)
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    url: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    amount_pence: Mapped[int] = mapped_column(MoneyColumn)
    currency: Mapped[str] = mapped_column(String(3), default="gbp")
    platform_fee_pence: Mapped[int] = mapped_column(MoneyColumn, default=0)
    # [{"stream_id": 1, "amount_pence": 1000}, ...]: checked when the session was made.
    shares: Mapped[list] = mapped_column(JSON)
    over_allocation_reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[CheckoutState] = mapped_column(StrEnum(CheckoutState), default=CheckoutState.OPEN, index=True)
    method: Mapped[str] = mapped_column(String(32), default="")  # card | bacs_debit, once Stripe says
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    # Set when Stripe said something that does not fit (amount, currency, already paid): no money
    # is posted, and the platform admins are told.
    flagged_reason: Mapped[str] = mapped_column(Text, default="")
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invoice = relationship("Invoice", back_populates="checkouts")
    payout_account = relationship("PayoutAccount")
    started_by = relationship("User", foreign_keys=[started_by_id])
    on_behalf_of = relationship("User", foreign_keys=[on_behalf_of_id])
    payment = relationship("Payment", back_populates="checkout", uselist=False)

    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("platform_fee_pence >= 0 AND platform_fee_pence < amount_pence", name="fee_in_range"),
    )

    @property
    def reference(self) -> str:
        return self.payment_intent_id or self.session_id


class EventOutcome(LabelledEnum):
    PAID = "paid", "Payment recorded in the ledger"
    PENDING = "pending", "Payment pending"
    FAILED = "failed", "Payment failed"
    EXPIRED = "expired", "Checkout not completed"
    REFUNDED = "refunded", "Refund recorded in the ledger"
    ACCOUNT = "account", "Payee's account updated"
    NO_CHANGE = "no_change", "Nothing to change (already known)"
    WAITING = "waiting", "Kept until the payment it refunds is known"
    FLAGGED = "flagged", "Flagged for an admin: no money recorded"
    UNKNOWN = "unknown", "Not one of ours: ignored"
    IGNORED = "ignored", "Type not used: ignored"


class StripeEvent(db.Model):
    """An event Stripe sent to the webhook (or a reading `payments reconcile` took), and what it did."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)  # evt_..., or reconcile:<session>:<state>
    type: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(16), default="webhook")  # webhook | reconcile
    stripe_created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    object_id: Mapped[str] = mapped_column(String(255), default="", index=True)
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    checkout_id: Mapped[int | None] = mapped_column(ForeignKey("card_checkouts.id"), index=True)
    outcome: Mapped[EventOutcome] = mapped_column(StrEnum(EventOutcome))
    detail: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict] = mapped_column(JSON)

    checkout = relationship("CardCheckout")


def fee_for(amount_pence: int, basis_points: int) -> int:
    """The platform's fee in pence, from hundredths of a percent (250 = 2.5%); 0 by default."""
    return amount_pence * max(0, basis_points) // 10_000
