"""Reading the books: what each stream received and paid out (over all time or one period), what
is approved and not yet paid, and the statement lines of a stream, each in a fixed number of
queries whatever the size of the books.

A reversal counts against what it reverses: a reversed receipt is money that did not arrive, a
reversed payment money that did not leave.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.core.records import among
from app.extensions import db
from app.ledger.books import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction, TransactionSource
from app.ledger.models import FundingStream

_original = aliased(LedgerTransaction)
# What a transaction is, for reading: its own source, or for a reversal the source it reverses.
_origin = func.coalesce(_original.source, LedgerTransaction.source)


@dataclass(frozen=True)
class StreamTotals:
    received: int = 0  # money in, less receipts reversed
    spent: int = 0  # payments out, less payments reversed

    @property
    def held(self) -> int:
        return self.received - self.spent


def _stream_entries(stream_ids, start: date | None = None, end: date | None = None):
    conditions = [LedgerAccount.kind == AccountKind.FUNDS, among(LedgerAccount.stream_id, stream_ids)]
    if start is not None:
        conditions.append(LedgerTransaction.occurred_on >= start)
    if end is not None:
        conditions.append(LedgerTransaction.occurred_on <= end)
    return conditions


def stream_totals(stream_ids, *, start: date | None = None, end: date | None = None) -> dict[int, StreamTotals]:
    """stream id -> what it received and paid out (between `start` and `end`, when given). For the
    whole of time it reads the stored balances of the streams' funds accounts; for a period, the
    entries in it."""
    if not stream_ids:
        return {}
    if start is None and end is None:
        stored = db.session.execute(
            select(LedgerAccount.stream_id, LedgerAccount.balance_pence, LedgerAccount.payments_pence)
            .where(LedgerAccount.kind == AccountKind.FUNDS, among(LedgerAccount.stream_id, stream_ids))).all()
        # Payments debit the funds (positive); what else is there is money in (negative).
        found = {sid: StreamTotals(received=payments - balance, spent=payments) for sid, balance, payments in stored}
        return {sid: found.get(sid, StreamTotals()) for sid in stream_ids}
    rows = db.session.execute(
        select(LedgerAccount.stream_id, _origin, func.sum(LedgerEntry.amount_pence))
        .select_from(LedgerEntry)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .outerjoin(_original, _original.id == LedgerTransaction.reverses_id)
        .where(*_stream_entries(stream_ids, start, end))
        .group_by(LedgerAccount.stream_id, _origin)
    ).all()
    received: dict[int, int] = defaultdict(int)
    spent: dict[int, int] = defaultdict(int)
    for stream_id, origin, total in rows:
        origin = TransactionSource(origin)
        if origin == TransactionSource.PAYMENT:
            spent[stream_id] += int(total)  # payments debit the stream's funds
        else:
            received[stream_id] -= int(total)  # receipts (and adjustments) credit them
    return {sid: StreamTotals(received[sid], spent[sid]) for sid in stream_ids}


def held_before(stream_id: int, day: date) -> int:
    """What the stream held at the start of `day` (a statement's opening balance)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount_pence), 0))
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .where(LedgerAccount.kind == AccountKind.FUNDS, LedgerAccount.stream_id == stream_id,
               LedgerTransaction.occurred_on < day))
    return -int(total)


def unpaid_by_category(company_id: int) -> dict[int, int]:
    """category id -> approved spending not yet paid (spending less what the streams met)."""
    rows = db.session.execute(
        select(LedgerAccount.category_id, func.sum(LedgerAccount.balance_pence))
        .where(LedgerAccount.company_id == company_id,
               LedgerAccount.kind.in_([AccountKind.SPENDING, AccountKind.MET]))
        .group_by(LedgerAccount.category_id)).all()
    return {category_id: int(total) for category_id, total in rows if total}


@dataclass(frozen=True)
class StreamLine:
    """One movement of a stream's money: a receipt, a payment (with whom it paid and for what),
    or a correction."""

    transaction_id: int
    sequence: int
    occurred_on: date
    source: TransactionSource
    origin: TransactionSource  # for a correction, what it corrects
    description: str
    amount: int  # into the stream positive, out negative
    payee: str | None  # for payments: the provider or broker
    category_id: int | None  # for payments: the kind of support


def stream_lines(stream_id: int, start: date, end: date) -> list[StreamLine]:
    """Every movement of the stream's money between `start` and `end`, in order, with the payee
    and category of each payment read from the same transaction's other entries."""
    rows = db.session.execute(
        select(LedgerTransaction.id, LedgerTransaction.sequence, LedgerTransaction.occurred_on,
               LedgerTransaction.source, _origin, LedgerTransaction.description, LedgerEntry.amount_pence)
        .select_from(LedgerEntry)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .outerjoin(_original, _original.id == LedgerTransaction.reverses_id)
        .where(*_stream_entries([stream_id], start, end))
        .order_by(LedgerTransaction.occurred_on, LedgerTransaction.sequence)).all()
    ids = [row[0] for row in rows]
    payees: dict[int, str] = {}
    categories: dict[int, int] = {}
    if ids:
        for transaction_id, kind, name, category_id in db.session.execute(
                select(LedgerEntry.transaction_id, LedgerAccount.kind, LedgerAccount.name, LedgerAccount.category_id)
                .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
                .where(among(LedgerEntry.transaction_id, ids),
                       # the stream's own company's accounts, so only their entries are read
                       LedgerAccount.company_id == select(FundingStream.company_id)
                       .where(FundingStream.id == stream_id).scalar_subquery(),
                       LedgerAccount.kind.in_([AccountKind.PAYABLE, AccountKind.MET]))):
            if kind == AccountKind.PAYABLE:
                payees[transaction_id] = name.removeprefix("Owed to ")
            else:
                categories[transaction_id] = category_id
    return [StreamLine(tid, seq, on, TransactionSource(src), TransactionSource(origin), desc, -int(amount),
                       payees.get(tid), categories.get(tid))
            for tid, seq, on, src, origin, desc, amount in rows]


def spending_by_day(stream_id: int, start: date, end: date) -> list[tuple[date, int]]:
    """(day, paid out that day) for the stream, for the chart of spending over time."""
    rows = db.session.execute(
        select(LedgerTransaction.occurred_on, func.sum(LedgerEntry.amount_pence))
        .select_from(LedgerEntry)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .outerjoin(_original, _original.id == LedgerTransaction.reverses_id)
        .where(*_stream_entries([stream_id], start, end), _origin == TransactionSource.PAYMENT.value)
        .group_by(LedgerTransaction.occurred_on).order_by(LedgerTransaction.occurred_on)).all()
    return [(day, int(total)) for day, total in rows if total]


def paying_stream(category_id: int, candidates: list[FundingStream], today: date) -> FundingStream | None:
    """The stream that pays for this kind of support by default: of the streams running today that
    may pay for it, the one with the fewest kinds allowed (a stream kept for personal care before
    one that pays for anything), the oldest first on a tie."""
    running = [s for s in candidates if s.starts_on <= today <= s.ends_on and s.may_pay_for(category_id)]
    if not running:
        return None
    return min(running, key=lambda s: (len(s.category_ids) if s.category_ids else 10_000, s.id))


__all__ = ["StreamLine", "StreamTotals", "held_before", "paying_stream", "spending_by_day",
           "stream_lines", "stream_totals", "unpaid_by_category"]
