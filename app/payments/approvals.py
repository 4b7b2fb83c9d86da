"""The person's decision on each invoice: approve it, or query it with a message to the payee, who
answers or sends a corrected invoice. And their approval policy: review every invoice (the
default), or standing approval for one agreement, where an invoice is approved without them after
a waiting period (7 days unless they choose) unless it exceeds its agreement.

The invoice's row is locked while it changes, so approving while someone else queries gives one
outcome, and the loser is told what happened.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.money import format_pence
from app.core.permissions import ensure
from app.core.records import locked
from app.core.timeutil import format_date, today_in_london, utcnow
from app.extensions import db
from app.holders.policies import HolderAccess
from app.holders.services import tell_holder
from app.ledger import policies as money_policies
from app.ledger.books import TransactionSource
from app.ledger.companies import MONEY_NEWS
from app.ledger.posting import lock_company, payable_to_broker, payable_to_provider, post, spending
from app.needs.access import agreement_for_holder
from app.payments import policies
from app.payments.invoicing import (
    ProviderInvoiceDraft,
    holder_link,
    invoice_event,
    send_broker_invoice,
    send_provider_invoice,
    tell_payee,
)
from app.payments.models import Invoice, InvoiceStatus, StandingApproval


def holder_invoice(acting: HolderAccess, invoice_id: int, *, lock: bool = False) -> Invoice:
    """One of the person's invoices (404 for anyone else's)."""
    invoice = locked(Invoice, invoice_id) if lock else db.session.get(Invoice, invoice_id)
    if invoice is None or invoice.holder_id != acting.holder.id:
        raise NotFound()
    return invoice


def invoices_of(acting: HolderAccess) -> list[Invoice]:
    """Every invoice sent to the person, newest first (corrected ones beside what they replaced)."""
    return list(db.session.scalars(select(Invoice).where(Invoice.holder_id == acting.holder.id)
                                   .options(selectinload(Invoice.payments), selectinload(Invoice.checkouts),
                                            joinedload(Invoice.organisation),
                                            joinedload(Invoice.broker))
                                   .order_by(Invoice.submitted_at.desc(), Invoice.id.desc())))


def to_decide_or_pay(acting: HolderAccess) -> list[Invoice]:
    """The person's invoices waiting for them: sent and not yet approved or queried, or approved and not paid."""
    return list(db.session.scalars(select(Invoice).where(
        Invoice.holder_id == acting.holder.id, Invoice.status.in_([InvoiceStatus.SUBMITTED, InvoiceStatus.APPROVED]))
        .options(joinedload(Invoice.organisation), joinedload(Invoice.broker), selectinload(Invoice.checkouts))
        .order_by(Invoice.submitted_at)))


def payee_invoice(user: User, invoice_id: int, *, lock: bool = False) -> Invoice:
    """One of the invoices the user's organisation or broker profile sent (404 for any other)."""
    invoice = locked(Invoice, invoice_id) if lock else db.session.get(Invoice, invoice_id)
    ensure(policies.is_payee, user, invoice)
    return invoice


def payable_account(invoice: Invoice):
    return payable_to_provider(invoice.organisation) if invoice.organisation is not None else payable_to_broker(invoice.broker)


def approve(acting: HolderAccess, invoice_id: int) -> Invoice:
    ensure(money_policies.can_manage_money, acting.user, acting.holder, hide=False)
    lock_company(holder_invoice(acting, invoice_id).company_id)  # the books, then the invoice: one order for all
    invoice = holder_invoice(acting, invoice_id, lock=True)
    refusal = policies.decide_refusal(invoice)
    if refusal:
        raise DomainError(refusal)
    _approve(invoice, acting.user, on_behalf_of=acting.on_behalf_of)
    return invoice


def _approve(invoice: Invoice, actor: User | None, *, on_behalf_of=None) -> None:
    """Post what is now owed (spending on the category, owed to the payee) and mark it approved."""
    company = lock_company(invoice.company_id)
    transaction = post(company, source=TransactionSource.INVOICE, key=f"invoice-approved:{invoice.id}",
                       legs=[(spending(invoice.category), invoice.total_pence), (payable_account(invoice), -invoice.total_pence)],
                       occurred_on=today_in_london(),
                       description=f"Invoice {invoice.number} from {invoice.payee_name} approved",
                       actor=actor, on_behalf_of=on_behalf_of)
    invoice.status, invoice.approved_at = InvoiceStatus.APPROVED, utcnow()
    invoice.approved_by_id, invoice.approval_transaction_id = getattr(actor, "id", None), transaction.id
    invoice.approve_after = None
    kind = "approved" if actor is not None else "approved_automatically"
    invoice_event(invoice, kind, actor, on_behalf_of=on_behalf_of)
    audit.record("invoice.approved" if actor is not None else "invoice.approved_automatically", actor=actor, on_behalf_of=on_behalf_of, holder=invoice.holder, obj=invoice)
    how = "" if actor is not None else " under the standing approval"
    tell_payee(invoice, f"Invoice {invoice.number} was approved{how}",
               f"{format_pence(invoice.total_pence)} for {format_date(invoice.period_start)} to "
               f"{format_date(invoice.period_end)}. It will be paid next.")
    if actor is None:
        tell_holder(invoice.holder, MONEY_NEWS.key, f"Invoice {invoice.number} from {invoice.payee_name} was approved",
                    "Your standing approval approved it after the waiting period. It is ready to pay.",
                    holder_link(invoice))


def query(acting: HolderAccess, invoice_id: int, message: str) -> Invoice:
    ensure(money_policies.can_manage_money, acting.user, acting.holder, hide=False)
    message = message.strip()
    if not message:
        raise DomainError("Say what you want to ask about the invoice", field="message")
    invoice = holder_invoice(acting, invoice_id, lock=True)
    refusal = policies.decide_refusal(invoice)
    if refusal:
        raise DomainError(refusal)
    invoice.status, invoice.approve_after = InvoiceStatus.QUERIED, None
    invoice_event(invoice, "queried", acting.user, message, on_behalf_of=acting.on_behalf_of)
    audit.record("invoice.queried", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder, obj=invoice)
    tell_payee(invoice, f"{acting.holder.name} has a question about invoice {invoice.number}", message)
    return invoice


def answer(user: User, invoice_id: int, message: str) -> Invoice:
    """The payee answers a query: the invoice waits for the person's decision again."""
    message = message.strip()
    if not message:
        raise DomainError("Write your answer", field="message")
    invoice = payee_invoice(user, invoice_id, lock=True)
    if not policies.can_answer(user, invoice):
        raise DomainError("This invoice has no question waiting for an answer")
    invoice.status = InvoiceStatus.SUBMITTED
    invoice_event(invoice, "answered", user, message)
    audit.record("invoice.answered", actor=user, holder=invoice.holder, obj=invoice)
    tell_holder(invoice.holder, MONEY_NEWS.key, f"{invoice.payee_name} answered your question about invoice "
                f"{invoice.number}", message, holder_link(invoice))
    return invoice


def correct_provider_invoice(user: User, invoice_id: int, draft: ProviderInvoiceDraft) -> Invoice:
    """The provider sends a corrected invoice in place of one waiting or queried."""
    invoice = payee_invoice(user, invoice_id, lock=True)
    refusal = policies.correct_refusal(invoice)
    if refusal or invoice.agreement_id is None:
        raise DomainError(refusal or "This is not a provider's invoice")
    return send_provider_invoice(user, invoice.organisation_id, invoice.agreement_id, draft, replacing=invoice)


def correct_broker_invoice(user: User, invoice_id: int, *, period_start, period_end, note: str = "") -> Invoice:
    invoice = payee_invoice(user, invoice_id, lock=True)
    refusal = policies.correct_refusal(invoice)
    if refusal or invoice.engagement_id is None:
        raise DomainError(refusal or "This is not a broker's invoice")
    return send_broker_invoice(user, invoice.engagement_id, period_start=period_start, period_end=period_end,
                               note=note, replacing=invoice)


# --- Standing approval -------------------------------------------------------------------------


def set_standing_approval(acting: HolderAccess, agreement_id: int, waiting_days: int) -> StandingApproval:
    ensure(money_policies.can_manage_money, acting.user, acting.holder, hide=False)
    agreement = agreement_for_holder(acting, agreement_id)
    if not 1 <= waiting_days <= 60:
        raise DomainError("Choose a waiting period of 1 to 60 days", field="waiting_days")
    current = db.session.scalar(select(StandingApproval).where(StandingApproval.agreement_id == agreement.id,
                                                               StandingApproval.ended_at.is_(None)).with_for_update())
    if current is not None:
        current.ended_at, current.ended_by_id = utcnow(), acting.user.id
        db.session.flush()
    standing = StandingApproval(agreement_id=agreement.id, waiting_days=waiting_days, set_by_id=acting.user.id)
    db.session.add(standing)
    db.session.flush()
    audit.record("standing_approval.set", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder,
                 obj=standing, waiting_days=waiting_days)
    return standing


def end_standing_approval(acting: HolderAccess, agreement_id: int) -> None:
    """Back to reviewing every invoice: invoices already waiting are no longer approved on their own."""
    ensure(money_policies.can_manage_money, acting.user, acting.holder, hide=False)
    agreement = agreement_for_holder(acting, agreement_id)
    current = db.session.scalar(select(StandingApproval).where(StandingApproval.agreement_id == agreement.id,
                                                               StandingApproval.ended_at.is_(None)).with_for_update())
    if current is None:
        raise DomainError("Every invoice for this agreement already waits for you")
    current.ended_at, current.ended_by_id = utcnow(), acting.user.id
    for invoice in db.session.scalars(select(Invoice).where(Invoice.agreement_id == agreement.id,
                                                            Invoice.approve_after.is_not(None))):
        invoice.approve_after = None
    audit.record("standing_approval.ended", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder,
                 obj=current)


def approve_due(now: datetime | None = None) -> int:
    """Approve the invoices whose waiting period under a standing approval has passed (a
    scheduled task). An invoice that exceeds its agreement is never approved here."""
    now = now or utcnow()
    approved = 0
    for invoice_id, company_id in db.session.execute(select(Invoice.id, Invoice.company_id).where(
            Invoice.approve_after.is_not(None), Invoice.approve_after <= now,
            Invoice.status == InvoiceStatus.SUBMITTED)).all():
        lock_company(company_id)
        invoice = locked(Invoice, invoice_id)
        if (invoice.status != InvoiceStatus.SUBMITTED or invoice.approve_after is None or invoice.exceeds_agreement
                or policies.decide_refusal(invoice)):
            continue
        if not _standing_still_applies(invoice):
            invoice.approve_after = None
            continue
        _approve(invoice, None)
        approved += 1
    return approved


def _standing_still_applies(invoice: Invoice) -> bool:
    return db.session.scalar(select(StandingApproval.id).where(
        StandingApproval.agreement_id == invoice.agreement_id, StandingApproval.ended_at.is_(None))) is not None
