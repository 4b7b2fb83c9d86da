"""Named rules about invoices and payments. Services check them (refused is 404 for someone else's
invoice); templates ask them by name (`allowed("approve_invoice", invoice)`).

- The person, and a helper who can act for them, approve, query and pay the person's invoices;
  a helper who can only view sees them.
- The provider's staff see the invoices of their organisation; the broker sees their own. The
  payee answers a query or sends a corrected invoice while it is waiting or queried.

Where a service must say why it refuses, a `..._refusal(invoice)` gives the words; the rule
allows only when there are none.
"""

from __future__ import annotations

from typing import Any

from app.brokers.services import is_the_broker
from app.core.money import format_pence
from app.core.permissions import record_rule
from app.core.timeutil import format_date
from app.holders.policies import can_act_for, can_view
from app.payments.models import Invoice, InvoiceStatus
from app.providers.policies import manages_staff
from app.providers.services import works_for


def is_payee(user: Any, invoice: Invoice | None) -> bool:
    """The provider's staff, or the broker, who sent the invoice."""
    if invoice is None or not getattr(user, "is_authenticated", False):
        return False
    if invoice.organisation is not None:
        return works_for(user, invoice.organisation)
    return is_the_broker(user, invoice.broker)


@record_rule("see_invoice")
def sees_invoice(user: Any, invoice: Invoice | None) -> bool:
    """The person and their helpers, and the payee."""
    return invoice is not None and (can_view(user, invoice.holder) or is_payee(user, invoice))


def decide_refusal(invoice: Invoice) -> str | None:
    """Why the person cannot approve or query the invoice now (None: they can)."""
    if invoice.status == InvoiceStatus.QUERIED:
        return "You have queried this invoice: wait for the answer or a corrected invoice"
    if invoice.status == InvoiceStatus.REPLACED:
        return "This invoice has been replaced by a corrected one"
    if invoice.status == InvoiceStatus.APPROVED:
        return "This invoice is already approved"
    if invoice.status == InvoiceStatus.PAID:
        return f"This invoice was paid on {format_date(invoice.paid_at)}"
    return None


@record_rule("approve_invoice")
def can_decide(user: Any, invoice: Invoice | None) -> bool:
    """The person (or a helper who can act), while the invoice waits for their approval."""
    return invoice is not None and can_act_for(user, invoice.holder) and decide_refusal(invoice) is None


def pay_refusal(invoice: Invoice) -> str | None:
    through_stripe = {checkout.state.value for checkout in invoice.checkouts}
    if invoice.status == InvoiceStatus.APPROVED and "pending" in through_stripe:
        return "A Direct Debit payment of this invoice is pending: wait for Stripe to confirm it before paying another way"
    if invoice.status == InvoiceStatus.APPROVED and "flagged" in through_stripe:
        return ("An administrator is checking a payment of this invoice through Stripe: wait to hear from them before "
                "paying it again")
    if invoice.status == InvoiceStatus.PAID:
        payment = invoice.live_payment
        when = f" on {format_date(payment.paid_on)}" if payment is not None else ""
        return f"This invoice has already been paid{when}: {format_pence(invoice.total_pence)}"
    if invoice.status != InvoiceStatus.APPROVED:
        return "Only an approved invoice can be paid: approve it first"
    return None


@record_rule("pay_invoice")
def can_pay(user: Any, invoice: Invoice | None) -> bool:
    return invoice is not None and can_act_for(user, invoice.holder) and pay_refusal(invoice) is None


def correct_refusal(invoice: Invoice) -> str | None:
    if invoice.status in (InvoiceStatus.APPROVED, InvoiceStatus.PAID):
        return "This invoice is already approved: it cannot be changed now. Talk to the person if it is wrong."
    if invoice.status == InvoiceStatus.REPLACED:
        return "This invoice has already been replaced by a corrected one"
    return None


@record_rule("correct_invoice")
def can_correct(user: Any, invoice: Invoice | None) -> bool:
    """The payee, while the invoice waits for approval or was queried."""
    return is_payee(user, invoice) and correct_refusal(invoice) is None


@record_rule("answer_invoice_query")
def can_answer(user: Any, invoice: Invoice | None) -> bool:
    return is_payee(user, invoice) and invoice.status == InvoiceStatus.QUERIED


@record_rule("reverse_payment")
def can_reverse_payment(user: Any, payment) -> bool:
    """The person (or a helper who can act) puts a wrongly recorded manual payment right. A payment
    through Stripe is put right by a refund in Stripe, which the webhook records."""
    return (payment is not None and payment.is_live and payment.method.value == "manual"
            and can_act_for(user, payment.invoice.holder))


# --- Card payments through Stripe -------------------------------------------------------------


def _payee_staff_rule(user: Any, payee, *, owner: bool) -> bool:
    if payee is None or not getattr(user, "is_authenticated", False):
        return False
    if payee.organisation is not None:
        return manages_staff(user, payee.organisation) if owner else works_for(user, payee.organisation)
    return is_the_broker(user, payee.broker)


@record_rule("see_payouts")
def sees_payouts(user: Any, payee) -> bool:
    """The provider's staff, or the broker, see whether they can be paid by card."""
    return _payee_staff_rule(user, payee, owner=False)


@record_rule("connect_payouts")
def can_connect_payouts(user: Any, payee) -> bool:
    """The person who manages the organisation's account (an owner), or the broker, connects a
    Stripe account to be paid into."""
    return _payee_staff_rule(user, payee, owner=True)


def card_refusal(invoice: Invoice, account, switched_on: bool) -> str | None:
    """Why the invoice cannot be paid by card now (None: it can). `account` is the payee's
    connected Stripe account, if they have one."""
    if not switched_on:
        return "Card payments are not switched on: pay by bank transfer and record it here"
    refusal = pay_refusal(invoice)
    if refusal:
        return refusal
    if account is None or not account.can_receive:
        return f"{invoice.payee_name} cannot take card payments yet: pay by bank transfer and record it here"
    return None
