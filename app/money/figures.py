"""Where each funding stream stands: allocation, received, spent, committed, the forecast at the
period's end, how fast the money goes against how much of the period has gone, the day it would
run out, and warnings. Worked out for any number of streams in a fixed number of queries (a
person's few, or a funder's thousand).

**Committed** is what is already owed or planned and not yet paid: invoices sent and not paid,
and what each running service agreement will cost from the day after its last invoiced period
to the end of the stream's period (or of the agreement, or its notice). Each is counted against
one stream: of the person's streams running today that may pay for that kind of support, the one
with the fewest kinds allowed (a stream kept for personal care before one that pays for anything),
the oldest first on a tie. **Forecast** = spent + committed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from flask import current_app
from sqlalchemy import func, select

from app.core.money import format_pence, round_pence
from app.core.records import among
from app.core.timeutil import format_date, today_in_london
from app.extensions import db
from app.ledger.models import Company, FundingStream
from app.ledger.reading import StreamTotals, paying_stream, stream_totals
from app.needs.models import AgreementStatus, Need, ServiceAgreement
from app.payments.models import Invoice, InvoiceStatus

UNPAID = (InvoiceStatus.SUBMITTED, InvoiceStatus.QUERIED, InvoiceStatus.APPROVED)
LIVE = (*UNPAID, InvoiceStatus.PAID)


@dataclass(frozen=True)
class MoneyWarning:
    level: str  # "high" (act now) or "notice"
    text: str


@dataclass(frozen=True)
class StreamFigures:
    stream: FundingStream
    today: date
    totals: StreamTotals
    committed: int
    warnings: list[MoneyWarning] = field(default_factory=list)

    @property
    def allocation(self) -> int:
        return self.stream.allocation_pence

    @property
    def received(self) -> int:
        return self.totals.received

    @property
    def spent(self) -> int:
        return self.totals.spent

    @property
    def held(self) -> int:
        return self.totals.held

    @property
    def forecast(self) -> int:
        return self.spent + self.committed

    @property
    def left_after_forecast(self) -> int:
        return self.allocation - self.forecast

    @property
    def percent_spent(self) -> int:
        return _percent(self.spent, self.allocation)

    @property
    def days_gone(self) -> int:
        return max(0, min((self.today - self.stream.starts_on).days + 1, self.stream.days))

    @property
    def percent_of_period_gone(self) -> int:
        return _percent(self.days_gone, self.stream.days)

    @property
    def runs_out_on(self) -> date | None:
        """At the rate spent so far, the day the allocation would be used up (None: spending
        nothing yet, or it lasts the whole period)."""
        if self.spent <= 0 or self.days_gone == 0:
            return None
        days = int(Fraction(self.allocation * self.days_gone, self.spent))
        if days >= self.stream.days:  # lasts the period (and no date past it is worked out)
            return None
        return self.stream.starts_on + timedelta(days=days)

    @property
    def is_running(self) -> bool:
        return self.stream.starts_on <= self.today <= self.stream.ends_on


def _percent(part: int, whole: int) -> int:
    if whole <= 0:
        return 0 if part <= 0 else 100
    return round_pence(Fraction(part * 100, whole))


def figures_for(streams: list[FundingStream], today: date | None = None) -> dict[int, StreamFigures]:
    """stream id -> its figures, for streams of any number of companies."""
    today = today or today_in_london()
    if not streams:
        return {}
    totals = stream_totals([s.id for s in streams])
    committed, _unfunded = _commitments(streams, today)
    result = {}
    for stream in streams:
        figures = StreamFigures(stream, today, totals[stream.id], committed.get(stream.id, 0))
        figures.warnings.extend(_warnings(figures))
        result[stream.id] = figures
    return result


def unfunded_support(company: Company, today: date | None = None) -> dict[int, int]:
    """category id -> what is owed or planned for that kind of support (invoices not paid, running
    agreements to their end) that none of the person's running streams may pay for."""
    today = today or today_in_london()
    streams = list(db.session.scalars(select(FundingStream).where(FundingStream.company_id == company.id)))
    _committed, unfunded = _commitments(streams, today, company_ids={company.id})
    return dict(unfunded.get(company.id, {}))


def _commitments(streams: list[FundingStream], today: date, company_ids: set[int] | None = None):
    """(stream id -> committed, company id -> {category id -> what no running stream may pay for})."""
    company_ids = company_ids or {s.company_id for s in streams}
    all_streams: dict[int, list[FundingStream]] = defaultdict(list)
    for stream in db.session.scalars(select(FundingStream).where(among(FundingStream.company_id, company_ids),
                                                                 FundingStream.ends_on >= today)):
        all_streams[stream.company_id].append(stream)
    wanted = {s.id for s in streams}
    committed: dict[int, int] = defaultdict(int)
    unfunded: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    # Invoices sent and not yet paid.
    for company_id, category_id, total in db.session.execute(
            select(Invoice.company_id, Invoice.category_id, func.sum(Invoice.total_pence))
            .where(among(Invoice.company_id, company_ids), Invoice.status.in_(UNPAID))
            .group_by(Invoice.company_id, Invoice.category_id)):
        stream = paying_stream(category_id, all_streams[company_id], today)
        if stream is None:
            unfunded[company_id][category_id] += int(total)
        elif stream.id in wanted:
            committed[stream.id] += int(total)
    # Running agreements, from the day after their last invoiced period.
    holder_company = dict(db.session.execute(select(Company.holder_id, Company.id).where(among(Company.id, company_ids))).all())
    agreements = db.session.execute(
        select(ServiceAgreement, Need.category_id).join(Need, Need.id == ServiceAgreement.need_id)
        .where(among(ServiceAgreement.holder_id, holder_company),
               ServiceAgreement.status.in_([AgreementStatus.ACTIVE, AgreementStatus.HANDED_BACK]))).all()
    invoiced_to = dict(db.session.execute(
        select(Invoice.agreement_id, func.max(Invoice.period_end))
        .where(among(Invoice.agreement_id, [a.id for a, _ in agreements]), Invoice.status.in_(LIVE))
        .group_by(Invoice.agreement_id)).all()) if agreements else {}
    for agreement, category_id in agreements:
        company_id = holder_company[agreement.holder_id]
        stream = paying_stream(category_id, all_streams[company_id], today)
        if stream is None:
            # Until the latest of the person's streams ends (or a year, with none running).
            until = max((s.ends_on for s in all_streams[company_id]), default=today + timedelta(days=365))
            unfunded[company_id][category_id] += future_cost(agreement, invoiced_to.get(agreement.id), until)
        elif stream.id in wanted:
            committed[stream.id] += future_cost(agreement, invoiced_to.get(agreement.id), stream.ends_on)
    return committed, unfunded


def future_cost(agreement: ServiceAgreement, invoiced_to: date | None, until: date) -> int:
    """What the agreement will cost from the day after `invoiced_to` (or its start) to `until`."""
    start = max(agreement.start_date, invoiced_to + timedelta(days=1) if invoiced_to else agreement.start_date)
    ends = [until] + [d for d in (agreement.end_date, agreement.notice_ends_on) if d is not None]
    end = min(ends)
    if end < start:
        return 0
    days = (end - start).days + 1
    return round_pence(Fraction(agreement.weekly_cost_pence * days, 7))


def _warnings(figures: StreamFigures) -> list[MoneyWarning]:
    config = current_app.config
    high, first = config["MONEY_WARN_SPENT_HIGH_PERCENT"], config["MONEY_WARN_SPENT_PERCENT"]
    under = config["MONEY_WARN_UNDERSPEND_PERCENT"]
    ends = format_date(figures.stream.ends_on)
    warnings = []
    if figures.percent_spent >= high:
        warnings.append(MoneyWarning("high", f"{figures.percent_spent}% of the allocation is spent "
                                        f"({format_pence(figures.spent)} of {format_pence(figures.allocation)})"))
    elif figures.percent_spent >= first:
        warnings.append(MoneyWarning("notice", f"{figures.percent_spent}% of the allocation is spent "
                                          f"({format_pence(figures.spent)} of {format_pence(figures.allocation)})"))
    if figures.received > figures.allocation:
        warnings.append(MoneyWarning("notice", f"{format_pence(figures.received - figures.allocation)} more has been "
                                          f"received than the allocation of {format_pence(figures.allocation)}: check "
                                          "the money received, or ask the funder"))
    if figures.forecast > figures.allocation:
        warnings.append(MoneyWarning("high", f"Forecast to overspend by {format_pence(figures.forecast - figures.allocation)} "
                                        f"by {ends}"))
    elif (figures.is_running and figures.percent_of_period_gone >= 25 and figures.allocation > 0
          and figures.left_after_forecast * 100 > figures.allocation * under):
        warnings.append(MoneyWarning("notice", f"Forecast to underspend by {format_pence(figures.left_after_forecast)} "
                                          f"({_percent(figures.left_after_forecast, figures.allocation)}%) by {ends}: "
                                          "the funder may take back money that is not used"))
    return warnings
