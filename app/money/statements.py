"""A statement of one funding stream for a period: the opening balance, the money received, the
payments (by kind of support and by provider or broker), corrections, and the closing balance.
Read straight from the ledger's entries, so it always agrees with the books to the penny.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.core.money import pence_to_pounds_text
from app.core.timeutil import format_date, today_in_london
from app.extensions import db
from app.ledger.books import TransactionSource
from app.ledger.models import FundingStream
from app.ledger.reading import StreamLine, held_before, stream_lines
from app.taxonomy.models import ServiceCategory


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    value: str  # as the period chooser sends it


def periods_of(stream: FundingStream) -> list[Period]:
    """The whole funding period, then each calendar month of it that has begun."""
    periods = [Period(stream.starts_on, stream.ends_on, f"The whole period, {format_date(stream.starts_on)} to "
                      f"{format_date(stream.ends_on)}", "whole")]
    month = stream.starts_on.replace(day=1)
    while month <= min(stream.ends_on, today_in_london()):
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        start, end = max(month, stream.starts_on), min(following - timedelta(days=1), stream.ends_on)
        periods.append(Period(start, end, month.strftime("%B %Y"), month.strftime("%Y-%m")))
        month = following
    return periods


def period_of(stream: FundingStream, value: str | None) -> Period:
    """The period the chooser asked for (an unknown one means the whole period)."""
    for period in periods_of(stream):
        if period.value == value:
            return period
    return periods_of(stream)[0]


@dataclass(frozen=True)
class Total:
    name: str
    amount: int


@dataclass(frozen=True)
class Statement:
    stream: FundingStream
    period: Period
    opening: int
    lines: list[StreamLine]
    by_category: list[Total]
    by_payee: list[Total]
    category_names: dict[int, str]

    @property
    def receipts(self) -> list[StreamLine]:
        return [line for line in self.lines if line.source == TransactionSource.RECEIPT]

    @property
    def payments(self) -> list[StreamLine]:
        return [line for line in self.lines if line.source == TransactionSource.PAYMENT]

    @property
    def corrections(self) -> list[StreamLine]:
        return [line for line in self.lines if line.source in (TransactionSource.REVERSAL, TransactionSource.ADJUSTMENT)]

    @property
    def received(self) -> int:
        """Money in, less receipts reversed in the period."""
        return sum(line.amount for line in self.lines if line.origin != TransactionSource.PAYMENT)

    @property
    def paid(self) -> int:
        """Money out, less payments reversed in the period (a positive number)."""
        return -sum(line.amount for line in self.lines if line.origin == TransactionSource.PAYMENT)

    @property
    def as_of(self) -> date:
        """The day the closing balance is for: the period's end, or today while it runs."""
        return min(self.period.end, today_in_london())

    @property
    def closing(self) -> int:
        return self.opening + sum(line.amount for line in self.lines)

    def running(self) -> list[tuple[StreamLine, int]]:
        """Each line with the balance after it."""
        balance, rows = self.opening, []
        for line in self.lines:
            balance += line.amount
            rows.append((line, balance))
        return rows


def statement(stream: FundingStream, period: Period) -> Statement:
    lines = stream_lines(stream.id, period.start, period.end)
    category_ids = {line.category_id for line in lines if line.category_id is not None}
    names = dict(db.session.execute(select(ServiceCategory.id, ServiceCategory.name)
                                    .where(ServiceCategory.id.in_(category_ids))).all()) if category_ids else {}
    by_category: dict[str, int] = defaultdict(int)
    by_payee: dict[str, int] = defaultdict(int)
    for line in lines:
        if line.origin == TransactionSource.PAYMENT:
            by_category[names.get(line.category_id, "Other")] += -line.amount
            by_payee[line.payee or "Other"] += -line.amount
    return Statement(stream, period, held_before(stream.id, period.start), lines,
                     [Total(k, v) for k, v in sorted(by_category.items()) if v],
                     [Total(k, v) for k, v in sorted(by_payee.items()) if v], names)


def statement_csv(result: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    stream = result.stream
    writer.writerow(["Statement", _safe(stream.name), _safe(stream.funder_label)])
    writer.writerow(["For", _safe(stream.company.holder.name), _safe(stream.company.name)])
    writer.writerow(["Period", result.period.start.isoformat(), result.period.end.isoformat()])
    writer.writerow([])
    writer.writerow(["Date", "Type", "Description", "Paid to", "Kind of support", "Money in (£)", "Money out (£)",
                     "Balance (£)"])
    writer.writerow([result.period.start.isoformat(), "Opening balance", "", "", "", "", "",
                     pence_to_pounds_text(result.opening)])
    for line, balance in result.running():
        money_in = pence_to_pounds_text(line.amount) if line.amount > 0 else ""
        money_out = pence_to_pounds_text(-line.amount) if line.amount < 0 else ""
        writer.writerow([line.occurred_on.isoformat(), line.source.label, _safe(line.description), _safe(line.payee or ""),
                         result.category_names.get(line.category_id, ""), money_in, money_out,
                         pence_to_pounds_text(balance)])
    writer.writerow([result.as_of.isoformat(), "Closing balance" if result.as_of == result.period.end else "Balance today",
                     "", "", "", "", "",
                     pence_to_pounds_text(result.closing)])
    return out.getvalue()


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
