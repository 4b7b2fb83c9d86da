"""Paying an approved invoice by card or Bacs Direct Debit through Stripe Checkout: the person
chooses the funding stream(s) as for a bank transfer, then pays on Stripe's page. Nothing is
recorded in the books here: the payment is recorded only when Stripe's signed webhook (or
`payments reconcile`) says it succeeded (`stripe_events`).

The same form sent twice (a double click) asks Stripe with the same idempotency key and finds the
same session; the invoice's row is locked meanwhile, so the two requests see each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.permissions import ensure
from app.core.timeutil import utcnow
from app.core.urls import absolute, path_for
from app.extensions import db
from app.holders.policies import HolderAccess
from app.ledger import policies as money_policies
from app.ledger.posting import lock_company
from app.payments import policies, stripe_gateway
from app.payments.approvals import holder_invoice
from app.payments.card_models import CardCheckout, CheckoutState, fee_for
from app.payments.invoicing import invoice_event
from app.payments.models import Invoice
from app.payments.paying import Share, check_shares
from app.payments.payouts import account_for_invoice, switched_on

METHODS = ("card", "bacs_debit")  # the ways to pay OurChoice offers on Stripe's page


@dataclass(frozen=True)
class CardPayment:
    shares: list[Share]
    over_allocation_reason: str = ""
    key: str = ""  # the form's one-off key


def methods() -> list[str]:
    """The ways to pay offered on Stripe's page (card unless configured otherwise)."""
    chosen = [m.strip() for m in current_app.config["STRIPE_PAYMENT_METHODS"].split(",") if m.strip() in METHODS]
    return chosen or ["card"]


def card_refusal(invoice: Invoice) -> str | None:
    on = switched_on()
    return policies.card_refusal(invoice, account_for_invoice(invoice) if on else None, on)


def _metadata(invoice: Invoice, payment: CardPayment) -> dict[str, str]:
    streams = ",".join(f"{share.stream_id}:{share.amount_pence}" for share in payment.shares)
    return {"ourchoice_invoice_id": str(invoice.id), "invoice_number": invoice.number,
            "company_id": str(invoice.company_id), "funding_streams": streams}


def start_checkout(acting: HolderAccess, invoice_id: int, payment: CardPayment) -> CardCheckout:
    """A Checkout Session for the invoice (the one this form made already, if it is sent again)."""
    ensure(money_policies.can_manage_money, acting.user, acting.holder, hide=False)
    company = lock_company(holder_invoice(acting, invoice_id).company_id)
    invoice = holder_invoice(acting, invoice_id, lock=True)
    key = f"checkout:{invoice.id}:{payment.key}" if payment.key else f"checkout:{invoice.id}:{len(invoice.checkouts) + 1}"
    again = db.session.scalar(select(CardCheckout).where(CardCheckout.idempotency_key == key))
    if again is not None:
        return again
    refusal = card_refusal(invoice)
    if refusal:
        raise DomainError(refusal)
    check_shares(invoice, payment)
    shares = [{"stream_id": s.stream_id, "amount_pence": s.amount_pence} for s in payment.shares]
    left = _earlier_page(invoice, shares, payment.over_allocation_reason.strip())
    if left is not None:
        return left
    account = account_for_invoice(invoice)
    fee = fee_for(invoice.total_pence, current_app.config["STRIPE_PLATFORM_FEE_BASIS_POINTS"])
    back = path_for("payments.holder_invoice", holder_id=invoice.holder_id, invoice_id=invoice.id)
    try:
        made = stripe_gateway.create_checkout(
            invoice_id=invoice.id, invoice_number=invoice.number, amount_pence=invoice.total_pence, fee_pence=fee,
            description=f"Invoice {invoice.number} from {invoice.payee_name}", destination=account.stripe_account_id,
            methods=methods(), metadata=_metadata(invoice, payment),
            success_url=absolute(path_for("payments.card_return", holder_id=invoice.holder_id, invoice_id=invoice.id))
            + "?session={CHECKOUT_SESSION_ID}",
            cancel_url=absolute(back) + "?card=cancelled",
            expires_at=utcnow() + timedelta(minutes=current_app.config["STRIPE_CHECKOUT_MINUTES"]), key=key)
    except stripe_gateway.StripeUnavailable as error:
        raise DomainError(str(error)) from error
    checkout = CardCheckout(
        company_id=company.id, invoice=invoice, payout_account_id=account.id, session_id=made.session_id, url=made.url,
        idempotency_key=key, amount_pence=invoice.total_pence, platform_fee_pence=fee,
        shares=shares, over_allocation_reason=payment.over_allocation_reason.strip(), started_by_id=acting.user.id,
        on_behalf_of_id=getattr(acting.on_behalf_of, "id", None), expires_at=made.expires_at)
    db.session.add(checkout)
    db.session.flush()
    invoice_event(invoice, "card_started", acting.user, on_behalf_of=acting.on_behalf_of)
    audit.record("invoice.card_payment_started", actor=acting.user, on_behalf_of=acting.on_behalf_of,
                 holder=acting.holder, obj=checkout, invoice_id=invoice.id, session=made.session_id)
    return checkout


def _earlier_page(invoice: Invoice, shares: list[dict], reason: str) -> CardCheckout | None:
    """A Stripe page for this invoice that is still open: the one to go back to if it is for the
    same streams (and open a while yet); otherwise closed at Stripe, so the invoice cannot be paid
    twice from two pages."""
    now = utcnow()
    for earlier in invoice.checkouts:
        if earlier.state != CheckoutState.OPEN or earlier.expires_at <= now:
            continue
        if earlier.shares == shares and earlier.over_allocation_reason == reason and \
                earlier.expires_at > now + timedelta(minutes=10):
            return earlier
        try:
            closed = stripe_gateway.expire_checkout(earlier.session_id)
        except stripe_gateway.StripeUnavailable as error:
            raise DomainError("The invoice may have just been paid on Stripe's page you opened before, or Stripe "
                              "cannot be reached. Nothing more was charged. Wait a minute, then look at the invoice "
                              "again.") from error
        if closed.get("status") == "expired":
            earlier.state = CheckoutState.EXPIRED  # Stripe's own answer: that page can no longer be paid
    return None


def holder_checkout(acting: HolderAccess, invoice_id: int, session_id: str | None) -> CardCheckout:
    """The person's checkout of this invoice with this session (their latest without one); 404 otherwise."""
    invoice = holder_invoice(acting, invoice_id)
    if session_id:
        checkout = db.session.scalar(select(CardCheckout).where(CardCheckout.session_id == session_id,
                                                                CardCheckout.invoice_id == invoice.id))
    else:
        checkout = invoice.latest_checkout
    if checkout is None:
        raise NotFound()
    return checkout
