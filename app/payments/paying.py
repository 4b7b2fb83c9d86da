"""Paying an approved invoice from one funding stream or several, recorded by hand (a bank
transfer the person made): the embedded default. Card payments through Stripe come later, on top
of the same ledger posting.

Each stream's restrictions are checked (a stream that may not pay for the invoice's kind of
support is refused, with the reason); paying past a stream's allocation is allowed only with a
reason. Two people paying the same invoice at once record one payment: the company's books and
the invoice are locked, the second sees it paid, and the database allows one live payment per
invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core import audit
from app.core.errors import DomainError, NotFound, accumulate_errors
from app.core.money import format_pence
from app.core.permissions import ensure
from app.core.timeutil import format_date, today_in_london, utcnow
from app.extensions import db
from app.holders.policies import HolderAccess
from app.holders.services import tell_holder
from app.ledger import policies as money_policies
from app.ledger.books import TransactionSource
from app.ledger.companies import MONEY_NEWS
from app.ledger.models import FundingStream
from app.ledger.posting import bank, funds, lock_company, met, post, reverse
from app.ledger.reading import paying_stream, stream_totals
from app.payments import policies
from app.payments.approvals import holder_invoice, payable_account
from app.payments.invoicing import holder_link, invoice_event, tell_payee
from app.payments.models import Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentPart, PaymentStatus


@dataclass(frozen=True)
class Share:
    stream_id: int
    amount_pence: int


@dataclass(frozen=True)
class ManualPayment:
    shares: list[Share]
    reference: str
    paid_on: date
    over_allocation_reason: str = ""
    key: str = ""  # the form's one-off key: sending the same form twice records one payment


@dataclass(frozen=True)
class PayChoice:
    """One of the person's streams, as the pay form offers it."""

    stream: FundingStream
    allowed: bool  # may pay for the invoice's kind of support
    left: int  # allocation less what is spent
    suggested: bool  # the stream that pays for this kind of support by default
    held: int = 0  # received less spent: what the company holds for it now

    @property
    def hint(self) -> str:
        if not self.allowed:
            return f"Cannot pay for this: {self.stream.funder_label} allows it to pay only for what it lists."
        left = f"{format_pence(self.left)} of the allocation left" if self.left >= 0 else \
            f"already {format_pence(-self.left)} past the allocation"
        held = f"{format_pence(self.held)} received and not spent yet" if self.held >= 0 else \
            f"{format_pence(-self.held)} more spent than received so far"
        return f"{left}; {held}. Leave empty if this stream does not pay."


def pay_choices(acting: HolderAccess, invoice: Invoice) -> list[PayChoice]:
    """The person's streams running on the day (then the others), for paying this invoice."""
    streams = list(db.session.scalars(select(FundingStream).where(FundingStream.company_id == invoice.company_id)
                                      .order_by(FundingStream.ends_on.desc(), FundingStream.id)))
    today = today_in_london()
    totals = stream_totals([s.id for s in streams])
    default = paying_stream(invoice.category_id, streams, today)
    running = [s for s in streams if s.starts_on <= today <= s.ends_on]
    ordered = running + [s for s in streams if s not in running]
    return [PayChoice(s, s.may_pay_for(invoice.category_id), s.allocation_pence - totals[s.id].spent,
                      default is not None and s.id == default.id, totals[s.id].held) for s in ordered]


def over_allocation(streams: dict[int, FundingStream], shares: list[Share]) -> list[tuple[FundingStream, int]]:
    """(stream, by how much) for each stream this payment would take past its allocation."""
    totals = stream_totals(list(streams))
    past = []
    for share in shares:
        stream = streams[share.stream_id]
        after = totals[stream.id].spent + share.amount_pence
        if after > stream.allocation_pence:
            past.append((stream, after - stream.allocation_pence))
    return past


def check_shares(invoice: Invoice, payment, *more_checks) -> dict[int, FundingStream]:
    """The streams the payment (its `shares` and `over_allocation_reason`) comes from, after
    checking every share: the person's own streams, each allowed to pay for this kind of support,
    adding up to the invoice, and a reason for going past an allocation. `more_checks` run beside
    them, so every problem is reported at once."""
    streams: dict[int, FundingStream] = {}
    for share in payment.shares:
        stream = db.session.get(FundingStream, share.stream_id)
        if stream is None or stream.company_id != invoice.company_id:
            raise DomainError("Choose one of your funding streams", field="shares")
        streams[stream.id] = stream

    def each_share():
        if not payment.shares:
            raise DomainError("Choose which funding stream pays", field="shares")
        if len(streams) != len(payment.shares):
            raise DomainError("Choose each funding stream once", field="shares")
        if any(share.amount_pence <= 0 for share in payment.shares):
            raise DomainError("Enter an amount for each funding stream you choose", field="shares")

    def restrictions():
        for stream in streams.values():
            if not stream.may_pay_for(invoice.category_id):
                raise DomainError(f"{stream.name} cannot pay for {invoice.category.name}: {stream.funder_label} "
                                  "allows it to pay only for what it lists. Choose another stream.", field="shares")

    def adds_up():
        total = sum(share.amount_pence for share in payment.shares)
        if payment.shares and total != invoice.total_pence:
            raise DomainError(f"The amounts add up to {format_pence(total)}; the invoice is for "
                              f"{format_pence(invoice.total_pence)}", field="shares")

    def allocation():
        if streams and len(streams) == len(payment.shares) and not payment.over_allocation_reason.strip():
            past = over_allocation(streams, payment.shares)
            if past:
                words = "; ".join(f"{s.name} by {format_pence(by)}" for s, by in past)
                raise DomainError(f"This payment goes past the allocation of {words}. Say why, or choose another "
                                  "stream.", field="over_allocation_reason")

    accumulate_errors(each_share, restrictions, adds_up, *more_checks, allocation)
    return streams


def _bank_transfer_checks(payment: ManualPayment):
    def day():
        if payment.paid_on > today_in_london():
            raise DomainError("The date paid cannot be in the future", field="paid_on")

    def reference():
        if not payment.reference.strip():
            raise DomainError("Enter the reference of the bank transfer", field="reference")

    return day, reference


def payment_legs(invoice: Invoice, streams: dict[int, FundingStream], shares) -> list:
    """What paying the invoice does to the books: the payee is owed nothing more, the money leaves
    the bank, and each stream's share is spent on this kind of support."""
    legs = [(payable_account(invoice), invoice.total_pence), (bank(), -invoice.total_pence)]
    legs += [(funds(streams[share.stream_id]), share.amount_pence) for share in shares]
    legs.append((met(invoice.category), -invoice.total_pence))
    return legs


def pay_manually(acting: HolderAccess, invoice_id: int, payment: ManualPayment) -> Payment:
    ensure(money_policies.can_manage_money, acting.user, acting.holder, hide=False)
    company = lock_company(holder_invoice(acting, invoice_id).company_id)
    invoice = holder_invoice(acting, invoice_id, lock=True)
    live = invoice.live_payment
    if live is not None and payment.key and live.transaction.idempotency_key == f"payment:{payment.key}":
        return live  # this same form, sent again
    refusal = policies.pay_refusal(invoice)
    if refusal:
        raise DomainError(refusal)
    streams = check_shares(invoice, payment, *_bank_transfer_checks(payment))
    legs = payment_legs(invoice, streams, payment.shares)
    key = f"payment:{payment.key}" if payment.key else f"payment:{invoice.id}:{len(invoice.payments) + 1}"
    transaction = post(company, source=TransactionSource.PAYMENT, key=key, legs=legs, occurred_on=payment.paid_on,
                       description=f"Invoice {invoice.number} paid to {invoice.payee_name} ({payment.reference.strip()})",
                       actor=acting.user, on_behalf_of=acting.on_behalf_of)
    made = Payment(company_id=company.id, invoice=invoice, method=PaymentMethod.MANUAL, amount_pence=invoice.total_pence,
                   reference=payment.reference.strip()[:80], paid_on=payment.paid_on, transaction_id=transaction.id,
                   over_allocation_reason=payment.over_allocation_reason.strip(), recorded_by_id=acting.user.id,
                   on_behalf_of_id=getattr(acting.on_behalf_of, "id", None),
                   parts=[PaymentPart(stream_id=s.stream_id, amount_pence=s.amount_pence) for s in payment.shares])
    db.session.add(made)
    invoice.status, invoice.paid_at = InvoiceStatus.PAID, utcnow()
    db.session.flush()
    invoice_event(invoice, "paid", acting.user, f"Reference {made.reference}", on_behalf_of=acting.on_behalf_of)
    audit.record("invoice.paid", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder, obj=made,
                 invoice_id=invoice.id, amount_pence=made.amount_pence)
    tell_payee(invoice, f"Invoice {invoice.number} was paid: {format_pence(made.amount_pence)}",
               f"Paid by bank transfer on {format_date(made.paid_on)}, reference {made.reference}.")
    return made


def holder_payment(acting: HolderAccess, payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.invoice.holder_id != acting.holder.id:
        raise NotFound()
    return payment


def reverse_payment(acting: HolderAccess, payment_id: int, reason: str) -> Payment:
    """A payment recorded by mistake is reversed; the invoice is approved and unpaid again."""
    ensure(money_policies.can_manage_money, acting.user, acting.holder, hide=False)
    payment = holder_payment(acting, payment_id)
    company = lock_company(payment.company_id)
    invoice = holder_invoice(acting, payment.invoice_id, lock=True)
    payment = db.session.scalar(select(Payment).where(Payment.id == payment_id).with_for_update()
                                .execution_options(populate_existing=True))
    if not payment.is_live:
        raise DomainError("This payment has already been reversed")
    if payment.method != PaymentMethod.MANUAL:
        raise DomainError("This payment was made through Stripe: it is put right by refunding it in Stripe, which "
                          "OurChoice then records")
    reverse(company, payment.transaction, reason=reason, actor=acting.user, on_behalf_of=acting.on_behalf_of,
            occurred_on=today_in_london())
    payment.status = PaymentStatus.REVERSED
    invoice.status, invoice.paid_at = InvoiceStatus.APPROVED, None
    db.session.flush()
    invoice_event(invoice, "payment_reversed", acting.user, reason.strip(), on_behalf_of=acting.on_behalf_of)
    audit.record("payment.reversed", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder,
                 obj=payment, reason=reason.strip())
    tell_payee(invoice, f"The payment of invoice {invoice.number} was recorded by mistake and reversed",
               f"The invoice is approved and waits to be paid again. The reason given: {reason.strip()}")
    tell_holder(invoice.holder, MONEY_NEWS.key, f"The payment of invoice {invoice.number} was reversed",
                reason.strip(), holder_link(invoice))
    return payment
