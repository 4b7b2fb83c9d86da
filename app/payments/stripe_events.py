"""What Stripe tells us, recorded exactly once: the webhook's signed events, and the readings
`payments reconcile` takes of sessions whose events never came, go through `record`.

- An event's id is the primary key of its row, written first in the same transaction as its
  effect: a replay finds the row, and a concurrent duplicate waits on the key and then finds it.
- The company's books, the invoice and the checkout are locked (in that order, as for a payment
  by hand) before anything changes, so `completed` and `async_payment_succeeded` arriving
  together settle once; the ledger transaction's key is the session's id, and a session settles
  at most one payment (`payments.checkout_id` is unique).
- A checkout's state only moves forward (`NEXT_STATES`): a late or repeated event is kept, and
  changes nothing.
- Money is posted only when Stripe's amount and currency match the invoice and the invoice is
  not already paid; otherwise the event is flagged, and the platform admins told.
- A refund that arrives before the payment it refunds is kept (`waiting`) and applied when the
  payment is recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import audit, unit_of_work
from app.core.money import format_pence
from app.core.notifications import notify, register_kind
from app.core.records import locked
from app.core.roles import Role
from app.core.timeutil import format_date, london_date, utcnow
from app.core.urls import path_for
from app.extensions import db
from app.holders.services import tell_holder
from app.ledger.books import TransactionSource
from app.ledger.companies import MONEY_NEWS
from app.ledger.models import FundingStream
from app.ledger.posting import lock_company, post, reverse
from app.payments import stripe_gateway
from app.payments.card_models import NEXT_STATES, UNSETTLED, CardCheckout, CheckoutState, EventOutcome, StripeEvent
from app.payments.invoicing import holder_link, invoice_event, tell_payee
from app.payments.models import Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentPart, PaymentStatus
from app.payments.paying import Share, payment_legs
from app.payments.payouts import account_by_stripe_id, apply_reading

PAYMENT_PROBLEMS = register_kind("payment_problems", "Card payments Stripe reported that need an admin",
                                 roles={Role.ADMIN}, always_email=True)
RECONCILE_DAYS = 3
PENDING_DAYS = 14


def receive(payload: bytes, signature: str | None) -> StripeEvent:
    """The webhook: check the signature (BadSignature otherwise: nothing is written), then record."""
    return record(stripe_gateway.verified_event(payload, signature), source="webhook")


def record(event: dict, *, source: str) -> StripeEvent:
    """Record the event and do what it says, once (the row already kept, if it came before)."""
    known = db.session.get(StripeEvent, event["id"])
    if known is not None:
        return known
    thing = event["data"]["object"]  # the shape is checked before (stripe_gateway.verified_event)
    row = StripeEvent(id=event["id"][:255], type=event["type"][:80], source=source, payload=event,
                      stripe_created_at=datetime.fromtimestamp(event["created"], UTC),
                      object_id=str(thing.get("id") or "")[:255], outcome=EventOutcome.IGNORED)
    db.session.add(row)
    try:
        db.session.flush()  # the same event delivered at this moment too waits here, then finds it
    except IntegrityError:
        unit_of_work.discard()
        return db.session.get(StripeEvent, event["id"])
    handler = HANDLERS.get(row.type)
    if handler is None:
        row.detail = "OurChoice does not use this type of event."
    else:
        handler(row, thing)
    db.session.flush()
    return row


# --- Checkout Sessions --------------------------------------------------------------------------


def _target(kind: str, session: dict) -> CheckoutState:
    if kind == "checkout.session.completed":
        return CheckoutState.PAID if session.get("payment_status") in ("paid", "no_payment_required") \
            else CheckoutState.PENDING
    return {"checkout.session.async_payment_succeeded": CheckoutState.PAID,
            "checkout.session.async_payment_failed": CheckoutState.FAILED,
            "checkout.session.expired": CheckoutState.EXPIRED}[kind]


def _locked_checkout(checkout_id: int) -> tuple[CardCheckout, Invoice]:
    checkout = db.session.get(CardCheckout, checkout_id)
    lock_company(checkout.company_id)
    invoice = locked(Invoice, checkout.invoice_id)
    return locked(CardCheckout, checkout_id), invoice


def _on_session(row: StripeEvent, session: dict) -> None:
    found = db.session.scalar(select(CardCheckout.id).where(CardCheckout.session_id == row.object_id))
    if found is None:
        row.outcome, row.detail = EventOutcome.UNKNOWN, "No payment started in OurChoice has this Checkout Session."
        return
    intent = session.get("payment_intent")
    intent = intent.get("id") if isinstance(intent, dict) else intent
    # Asked before the rows are locked: nobody waits on Stripe's answer.
    reason = _reason(intent) if row.type == "checkout.session.async_payment_failed" else ""
    checkout, invoice = _locked_checkout(found)
    row.checkout_id = checkout.id
    if intent and not checkout.payment_intent_id:
        checkout.payment_intent_id = intent
    row.payment_intent_id = checkout.payment_intent_id
    target = _target(row.type, session)
    if target not in NEXT_STATES[checkout.state]:
        row.outcome = EventOutcome.NO_CHANGE
        row.detail = f"Already {checkout.state.label.lower()}: this event changes nothing."
        return
    if target == CheckoutState.PAID:
        problem = _mismatch(checkout, invoice, session)
        if problem:
            _flag(row, checkout, invoice, problem)
            return
        _settle(row, checkout, invoice)
    elif target == CheckoutState.PENDING:
        checkout.state, checkout.method, row.outcome = CheckoutState.PENDING, "bacs_debit", EventOutcome.PENDING
        invoice_event(invoice, "card_pending", None, "Stripe is waiting for the bank to confirm the payment.")
    elif target == CheckoutState.FAILED:
        reason = reason or "the bank did not say why"
        checkout.state, checkout.failure_reason, row.outcome = CheckoutState.FAILED, reason[:500], EventOutcome.FAILED
        row.detail = reason
        invoice_event(invoice, "card_failed", None, reason)
        tell_holder(invoice.holder, MONEY_NEWS.key, f"The payment of invoice {invoice.number} failed",
                    f"Stripe says: {reason}. Nothing was taken. You can pay the invoice again.", holder_link(invoice))
    else:
        checkout.state, row.outcome = CheckoutState.EXPIRED, EventOutcome.EXPIRED
        row.detail = "The person did not finish paying on Stripe's page; nothing was taken."


def _reason(payment_intent_id: str | None) -> str:
    """Why Stripe says the payment failed, as one sentence without its closing full stop."""
    return stripe_gateway.failure_reason(payment_intent_id).strip().rstrip(".")


def _mismatch(checkout: CardCheckout, invoice: Invoice, session: dict) -> str:
    amount, currency = session.get("amount_total"), str(session.get("currency") or "").lower()
    if amount != invoice.total_pence or amount != checkout.amount_pence:
        paid = format_pence(amount) if isinstance(amount, int) else repr(amount)
        return f"Stripe says {paid} was paid; invoice {invoice.number} is for {format_pence(invoice.total_pence)}."
    if currency != checkout.currency:
        return f"Stripe says the payment was in {currency.upper() or 'no currency'}, not pounds (GBP)."
    named = (session.get("metadata") or {}).get("ourchoice_invoice_id")
    if named is not None and named != str(invoice.id):
        return f"Stripe's session names invoice {named}, but it was started for invoice {invoice.id}."
    live = invoice.live_payment
    if live is not None or invoice.status != InvoiceStatus.APPROVED:
        when = f" on {format_date(live.paid_on)} ({live.method.label.lower()})" if live is not None else ""
        return (f"Invoice {invoice.number} was already paid{when}: this payment through Stripe is a second one. "
                "Refund one of them in Stripe.")
    return ""


def _flag(row: StripeEvent, checkout: CardCheckout, invoice: Invoice, problem: str) -> None:
    """No money is recorded: the admins are told (once), and so is the person if the payment was
    still waiting (an admin will put it right, by a refund in Stripe)."""
    row.outcome, row.detail = EventOutcome.FLAGGED, problem
    first = not checkout.flagged_reason
    checkout.flagged_reason = problem
    if CheckoutState.FLAGGED in NEXT_STATES[checkout.state]:
        checkout.state = CheckoutState.FLAGGED
        tell_holder(invoice.holder, MONEY_NEWS.key, f"We are checking a payment of invoice {invoice.number}",
                    "Stripe told us about a payment of this invoice that we must check before it goes in your "
                    "company's books (it does not match the invoice, or the invoice was already paid). An "
                    "administrator is checking it and will have it refunded if it should not have been taken. You do "
                    "not need to do anything.", holder_link(invoice))
    audit.record("stripe.flagged", obj=checkout, invoice_id=invoice.id, event=row.id, problem=problem)
    if first:
        link = path_for("payments.admin_stripe_events", flagged=1)
        for admin in db.session.scalars(select(User).where(User.is_platform_admin.is_(True), User.closed_at.is_(None))):
            notify(admin, PAYMENT_PROBLEMS.key, f"A Stripe payment needs checking: invoice {invoice.number}",
                   f"{problem} No money was recorded in the company's books.", link)


def _settle(row: StripeEvent, checkout: CardCheckout, invoice: Invoice) -> None:
    """Record the payment in the books: the one ledger transaction of this session."""
    company = lock_company(checkout.company_id)
    shares = [Share(int(s["stream_id"]), int(s["amount_pence"])) for s in checkout.shares]
    streams = {s.stream_id: db.session.get(FundingStream, s.stream_id) for s in shares}
    paid_on = london_date(row.stripe_created_at)
    if not checkout.method:  # paid straight away by card, or confirmed later (Bacs Direct Debit)
        checkout.method = "bacs_debit" if row.type.endswith("async_payment_succeeded") else "card"
    how = "Direct Debit" if checkout.method == "bacs_debit" else "card"
    transaction = post(company, source=TransactionSource.PAYMENT, key=f"stripe:{checkout.session_id}",
                       legs=payment_legs(invoice, streams, shares), occurred_on=paid_on,
                       description=f"Invoice {invoice.number} paid to {invoice.payee_name} by {how} through Stripe",
                       actor=checkout.started_by,
                       on_behalf_of=checkout.on_behalf_of)
    made = Payment(company_id=company.id, invoice=invoice, method=PaymentMethod.STRIPE, amount_pence=checkout.amount_pence,
                   reference=checkout.reference[:80], paid_on=paid_on, transaction_id=transaction.id,
                   over_allocation_reason=checkout.over_allocation_reason, recorded_by_id=checkout.started_by_id,
                   on_behalf_of_id=checkout.on_behalf_of_id, checkout_id=checkout.id,
                   parts=[PaymentPart(stream_id=s.stream_id, amount_pence=s.amount_pence) for s in shares])
    db.session.add(made)
    invoice.status, invoice.paid_at = InvoiceStatus.PAID, utcnow()
    checkout.state, checkout.settled_at = CheckoutState.PAID, utcnow()
    row.outcome, row.detail = EventOutcome.PAID, f"{format_pence(made.amount_pence)} recorded as paid on {format_date(paid_on)}."
    db.session.flush()
    invoice_event(invoice, "paid", None, f"Paid by {how} through Stripe.")
    audit.record("invoice.paid", holder=invoice.holder, obj=made, invoice_id=invoice.id, amount_pence=made.amount_pence,
                 method="stripe", event=row.id)
    tell_payee(invoice, f"Invoice {invoice.number} was paid: {format_pence(made.amount_pence)}",
               f"Paid by {how} through Stripe on {format_date(paid_on)}. Stripe pays it into your account.")
    tell_holder(invoice.holder, MONEY_NEWS.key, f"Invoice {invoice.number} is paid",
                f"Stripe confirmed the payment of {format_pence(made.amount_pence)} to {invoice.payee_name}.",
                holder_link(invoice))
    for waiting in list(db.session.scalars(select(StripeEvent).where(
            StripeEvent.payment_intent_id == checkout.payment_intent_id, StripeEvent.outcome == EventOutcome.WAITING))):
        _on_refund(waiting, waiting.payload["data"]["object"])


# --- Refunds and connected accounts -----------------------------------------------------------


def _on_refund(row: StripeEvent, charge: dict) -> None:
    row.payment_intent_id = charge.get("payment_intent")
    found = db.session.scalar(select(CardCheckout.id).where(CardCheckout.payment_intent_id == row.payment_intent_id)) \
        if row.payment_intent_id else None
    if found is None:
        row.outcome = EventOutcome.WAITING
        row.detail = "No payment recorded here has this PaymentIntent yet: kept, and applied when it is."
        return
    checkout, invoice = _locked_checkout(found)
    row.checkout_id = checkout.id
    if checkout.state in UNSETTLED:
        row.outcome = EventOutcome.WAITING
        row.detail = "The payment it refunds is not recorded yet: kept, and applied when it is."
        return
    if checkout.state == CheckoutState.FLAGGED and charge.get("refunded"):
        checkout.state = CheckoutState.REFUNDED
        row.outcome = EventOutcome.REFUNDED
        row.detail = "Refund of a payment that was flagged and never put in the books: nothing to put back."
        tell_holder(invoice.holder, MONEY_NEWS.key, f"The payment of invoice {invoice.number} was refunded",
                    "Stripe refunded the payment we were checking. Nothing of it was in your company's books. The "
                    "invoice waits to be paid." if invoice.status == InvoiceStatus.APPROVED else
                    "Stripe refunded the second payment. The invoice stays paid.", holder_link(invoice))
        return
    if checkout.state != CheckoutState.PAID:
        row.outcome, row.detail = EventOutcome.NO_CHANGE, f"Already {checkout.state.label.lower()}."
        return
    if not charge.get("refunded") or charge.get("amount_refunded", 0) < checkout.amount_pence:
        _flag(row, checkout, invoice, f"Stripe refunded {format_pence(int(charge.get('amount_refunded') or 0))} of "
                                      f"{format_pence(checkout.amount_pence)} for invoice {invoice.number}: a part "
                                      "refund is not recorded by itself. Record it with an adjustment.")
        return
    payment = checkout.payment
    company = lock_company(checkout.company_id)
    reverse(company, payment.transaction, reason="Refunded through Stripe", actor=None,
            occurred_on=london_date(row.stripe_created_at))
    payment.status = PaymentStatus.REFUNDED
    invoice.status, invoice.paid_at = InvoiceStatus.APPROVED, None
    checkout.state = CheckoutState.REFUNDED
    row.outcome, row.detail = EventOutcome.REFUNDED, f"{format_pence(payment.amount_pence)} put back; the invoice is open again."
    db.session.flush()
    invoice_event(invoice, "payment_refunded", None, f"Refunded through Stripe ({checkout.reference})")
    audit.record("payment.refunded", holder=invoice.holder, obj=payment, event=row.id)
    tell_payee(invoice, f"The payment of invoice {invoice.number} was refunded",
               "Stripe refunded the payment. The invoice is approved and waits to be paid again.")
    tell_holder(invoice.holder, MONEY_NEWS.key, f"The payment of invoice {invoice.number} was refunded",
                "The money is back in your company's account. The invoice waits to be paid again.", holder_link(invoice))


def _on_account(row: StripeEvent, account: dict) -> None:
    payout = account_by_stripe_id(row.object_id)
    if payout is None:
        row.outcome, row.detail = EventOutcome.UNKNOWN, "No provider or broker here has this Stripe account."
        return
    reading = stripe_gateway.account_reading(account)
    if apply_reading(payout, reading, row.stripe_created_at):
        row.outcome = EventOutcome.ACCOUNT
        row.detail = "Can take payments." if reading.charges_enabled else "Cannot take payments yet."
    else:
        row.outcome, row.detail = EventOutcome.NO_CHANGE, "Older than what Stripe last told us: ignored."


HANDLERS = {
    "checkout.session.completed": _on_session,
    "checkout.session.async_payment_succeeded": _on_session,
    "checkout.session.async_payment_failed": _on_session,
    "checkout.session.expired": _on_session,
    "charge.refunded": _on_refund,
    "account.updated": _on_account,
}


# --- Reconcile ----------------------------------------------------------------------------------


def to_reconcile(now: datetime | None = None) -> list[int]:
    """Checkouts still open here from the last 3 days, and Direct Debits still pending from the last
    14 (a Bacs payment takes about 4 working days to confirm)."""
    now = now or utcnow()
    return list(db.session.scalars(select(CardCheckout.id).where(or_(
        (CardCheckout.state == CheckoutState.OPEN) & (CardCheckout.created_at >= now - timedelta(days=RECONCILE_DAYS)),
        (CardCheckout.state == CheckoutState.PENDING) & (CardCheckout.created_at >= now - timedelta(days=PENDING_DAYS)),
    )).order_by(CardCheckout.id)))


def apply_waiting_refunds() -> int:
    """Refunds kept because their payment was not recorded yet (it arrived at the same moment):
    those whose payment is recorded now are applied. The number applied."""
    applied = 0
    for row in list(db.session.scalars(select(StripeEvent).where(StripeEvent.outcome == EventOutcome.WAITING,
                                                                 StripeEvent.payment_intent_id.is_not(None)))):
        known = db.session.scalar(select(CardCheckout.state).where(
            CardCheckout.payment_intent_id == row.payment_intent_id))
        if known is not None and known not in UNSETTLED:
            _on_refund(row, row.payload["data"]["object"])
            applied += row.outcome != EventOutcome.WAITING
    return applied


def _reading_as_event(session: dict) -> dict | None:
    """The event Stripe would have sent for the session as it is now (None: nothing to do yet)."""
    intent = session.get("payment_intent")
    intent = intent if isinstance(intent, dict) else {"id": intent}
    if session.get("status") == "expired":
        kind = "checkout.session.expired"
    elif session.get("status") != "complete":
        return None
    elif session.get("payment_status") in ("paid", "no_payment_required"):
        kind = "checkout.session.completed"
    elif intent.get("status") == "succeeded":
        kind = "checkout.session.async_payment_succeeded"
    elif intent.get("status") in ("requires_payment_method", "canceled"):
        kind = "checkout.session.async_payment_failed"
    else:
        kind = "checkout.session.completed"  # still processing: pending
    body = {**session, "payment_intent": intent.get("id")}
    when = intent.get("created") if isinstance(intent.get("created"), int) else int(utcnow().timestamp())
    return {"id": f"reconcile:{session['id']}:{kind.rsplit('.', 1)[-1]}", "type": kind, "created": when,
            "data": {"object": body}}


def reconcile_one(checkout_id: int) -> bool:
    """Ask Stripe about one checkout and settle it through `record`. True when it changed."""
    checkout = db.session.get(CardCheckout, checkout_id)
    before = checkout.state
    event = _reading_as_event(stripe_gateway.retrieve_checkout(checkout.session_id))
    if event is None:
        return False
    record(event, source="reconcile")
    db.session.refresh(checkout)
    return checkout.state != before
