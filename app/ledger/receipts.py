"""Money arriving from a funder, and putting a wrongly recorded receipt right.

Each form that records money carries a one-off key (made when the form is shown), so pressing
the button twice, or the browser sending the form again, records it once; the same key with a
different amount is refused rather than recorded twice.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.core import audit
from app.core.errors import DomainError, NotFound, accumulate_errors
from app.core.money import format_pence
from app.core.permissions import ensure
from app.core.timeutil import today_in_london
from app.extensions import db
from app.holders.policies import HolderAccess
from app.ledger import policies
from app.ledger.books import TransactionSource
from app.ledger.companies import company_of, holder_stream, required_company
from app.ledger.models import Receipt
from app.ledger.posting import bank, funds, post, reverse


def record_receipt(acting: HolderAccess, stream_id: int, *, amount_pence: int, received_on: date, reference: str,
                   key: str) -> Receipt:
    ensure(policies.can_manage_money, acting.user, acting.holder, hide=False)
    company = required_company(acting)
    stream = holder_stream(acting, stream_id)
    reference = reference.strip()

    def amount():
        if amount_pence <= 0:
            raise DomainError("Enter the amount received, more than £0", field="amount")

    def day():
        if received_on > today_in_london():
            raise DomainError("The date cannot be in the future", field="received_on")
        if received_on < stream.starts_on - timedelta(days=62):
            raise DomainError("The date is long before this funding starts: check the date or the funding stream",
                              field="received_on")

    def ref():
        if not reference:
            raise DomainError("Enter the reference on the bank statement", field="reference")

    accumulate_errors(amount, day, ref)
    transaction = post(company, source=TransactionSource.RECEIPT, key=f"receipt:{key}",
                       legs=[(bank(), amount_pence), (funds(stream), -amount_pence)], occurred_on=received_on,
                       description=f"{format_pence(amount_pence)} received from {stream.funder_label} ({reference})",
                       actor=acting.user, on_behalf_of=acting.on_behalf_of)
    receipt = db.session.scalar(select(Receipt).where(Receipt.transaction_id == transaction.id))
    if receipt is not None:  # the same form sent twice: recorded once
        return receipt
    receipt = Receipt(company_id=company.id, stream_id=stream.id, received_on=received_on, amount_pence=amount_pence,
                      reference=reference[:80], transaction_id=transaction.id, recorded_by_id=acting.user.id)
    db.session.add(receipt)
    db.session.flush()
    audit.record("receipt.recorded", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder,
                 obj=receipt, amount_pence=amount_pence)
    return receipt


def holder_receipt(acting: HolderAccess, receipt_id: int) -> Receipt:
    """One of the person's receipts (404 for anyone else's, and for a person with no company)."""
    company = company_of(acting.holder)
    receipt = db.session.get(Receipt, receipt_id)
    if company is None or receipt is None or receipt.company_id != company.id:
        raise NotFound()
    return receipt


def reverse_receipt(acting: HolderAccess, receipt_id: int, reason: str) -> Receipt:
    """A receipt recorded by mistake (wrong amount, wrong stream) is reversed: the books keep both."""
    ensure(policies.can_manage_money, acting.user, acting.holder, hide=False)
    company = required_company(acting)
    receipt = holder_receipt(acting, receipt_id)
    if receipt.is_reversed:
        raise DomainError("This receipt has already been reversed")
    reverse(company, receipt.transaction, reason=reason, actor=acting.user, on_behalf_of=acting.on_behalf_of,
            occurred_on=today_in_london())
    audit.record("receipt.reversed", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=acting.holder,
                 obj=receipt, reason=reason.strip())
    return receipt


def receipts_of(stream) -> list[Receipt]:
    return list(db.session.scalars(select(Receipt).where(Receipt.stream_id == stream.id)
                                   .order_by(Receipt.received_on.desc(), Receipt.id.desc())))
