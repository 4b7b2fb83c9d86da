"""Sending invoices: a provider against a service agreement, a broker against an engagement.

A provider's invoice is the hours delivered in the period at the agreement's rate (and its travel
supplement), computed, plus any extra lines (mileage, other agreed costs). One that asks for more
than the agreement allows for the period (more hours, a higher rate, or extras) is allowed but
marked, with the difference shown, and always waits for a person to approve it.

A broker's invoice is the time they logged in the period at the hourly fee agreed when the work
started, never past the band's hours (an approved band change gives more).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import func, select

from app.accounts.models import User
from app.brokers.services import broker_of
from app.core import audit
from app.core.errors import DomainError, accumulate_errors
from app.core.money import Money, format_pence, round_pence
from app.core.notifications import notify
from app.core.timeutil import format_date, format_minutes, london_date, today_in_london, utcnow
from app.core.urls import path_for
from app.engagements.models import Engagement, TimeEntry
from app.engagements.services import broker_engagement
from app.extensions import db
from app.holders.services import tell_holder
from app.ledger.companies import MONEY_NEWS, company_of
from app.needs.access import agreement_for_provider
from app.needs.models import ServiceAgreement
from app.payments.models import (
    Invoice,
    InvoiceEvent,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    StandingApproval,
)
from app.taxonomy.models import ServiceCategory

MAX_PERIOD_DAYS = 35  # an invoice covers up to 5 weeks
MAX_LINE_PENCE = 100_000_00  # £100,000 for one extra line
LIVE = (InvoiceStatus.SUBMITTED, InvoiceStatus.QUERIED, InvoiceStatus.APPROVED, InvoiceStatus.PAID)


@dataclass(frozen=True)
class ExtraLine:
    kind: str  # LineKind.MILEAGE (quantity: miles, unit: pence a mile) or LineKind.OTHER (the amount)
    description: str
    quantity: int
    unit_pence: int

    @property
    def amount_pence(self) -> int:
        return self.quantity * self.unit_pence


@dataclass(frozen=True)
class ProviderInvoiceDraft:
    period_start: date
    period_end: date
    minutes: int
    rate_pence: int
    extras: list[ExtraLine] = field(default_factory=list)
    note: str = ""


def agreed_minutes_for(agreement: ServiceAgreement, start: date, end: date) -> int:
    """What the agreement allows for the period: its hours a week shared between its visits (its
    schedule's days and parts of the day, Monday = 0), for each visit that falls in the period; an
    agreement with no schedule, its hours a week over the days (to the nearest minute)."""
    days = (end - start).days + 1
    visits = [day for day, _part in agreement.schedule or []]
    if not visits or days <= 0:
        return round_pence(Fraction(agreement.minutes_per_week * max(days, 0), 7))
    in_period = sum(visits.count((start + timedelta(days=n)).weekday()) for n in range(days))
    return round_pence(Fraction(agreement.minutes_per_week * in_period, len(visits)))


def _check_period(start: date, end: date, earliest: date, latest: date, field_prefix: str = "period") -> None:
    def order():
        if end < start:
            raise DomainError("The end of the period must be on or after its start", field=f"{field_prefix}_end")

    def length():
        if (end - start).days + 1 > MAX_PERIOD_DAYS:
            raise DomainError("An invoice can cover up to 5 weeks: send one for each period", field=f"{field_prefix}_end")

    def not_future():
        if end > today_in_london():
            raise DomainError("You can only invoice for time already worked: the period cannot end after today",
                              field=f"{field_prefix}_end")

    def within():
        if start < earliest:
            raise DomainError(f"The period cannot start before the work did, on {format_date(earliest)}",
                              field=f"{field_prefix}_start")
        if end > latest:
            raise DomainError(f"The period cannot end after the work did, on {format_date(latest)}",
                              field=f"{field_prefix}_end")

    accumulate_errors(order, length, not_future, within)


def _overlapping(query, start: date, end: date) -> Invoice | None:
    return db.session.scalar(query.where(Invoice.status.in_(LIVE), Invoice.period_start <= end,
                                         Invoice.period_end >= start).limit(1))


def last_day_of(agreement: ServiceAgreement) -> date:
    ends = [d for d in (agreement.end_date, agreement.notice_ends_on,
                        london_date(agreement.ended_at) if agreement.ended_at else None) if d is not None]
    return min(ends) if ends else today_in_london()


def _company_for(holder):
    company = company_of(holder)
    if company is None:
        raise DomainError(f"{holder.name} has not set up a company to receive invoices yet. Ask them or their "
                          "broker to set it up under Money.")
    return company


def invoice_event(invoice: Invoice, kind: str, actor: User | None, message: str = "", on_behalf_of=None) -> InvoiceEvent:
    event = InvoiceEvent(invoice=invoice, kind=kind, message=message, actor_id=getattr(actor, "id", None),
                         on_behalf_of_id=getattr(on_behalf_of, "id", None))
    db.session.add(event)
    return event


def holder_link(invoice: Invoice) -> str:
    return path_for("payments.holder_invoice", holder_id=invoice.holder_id, invoice_id=invoice.id)


def payee_link(invoice: Invoice) -> str:
    if invoice.organisation_id is not None:
        return path_for("payments.provider_invoice", organisation_id=invoice.organisation_id, invoice_id=invoice.id)
    return path_for("payments.broker_invoice", invoice_id=invoice.id)


def tell_payee(invoice: Invoice, title: str, body: str = "") -> None:
    if invoice.organisation is not None:
        for staff in invoice.organisation.staff:
            notify(staff.user, MONEY_NEWS.key, title, body, payee_link(invoice))
    else:
        notify(invoice.broker.user, MONEY_NEWS.key, title, body, payee_link(invoice))


def standing_approval_for(agreement_id: int | None) -> StandingApproval | None:
    if agreement_id is None:
        return None
    return db.session.scalar(select(StandingApproval).where(StandingApproval.agreement_id == agreement_id,
                                                            StandingApproval.ended_at.is_(None)))


def _provider_lines(agreement: ServiceAgreement, draft: ProviderInvoiceDraft) -> list[InvoiceLine]:
    lines = [InvoiceLine(kind=LineKind.HOURS, description=f"{format_minutes(draft.minutes)} of support "
                         f"at {format_pence(draft.rate_pence)} an hour", quantity=draft.minutes,
                         unit_pence=draft.rate_pence, amount_pence=Money(draft.rate_pence).for_minutes(draft.minutes).pence)]
    if agreement.travel_supplement_pence:
        lines.append(InvoiceLine(kind=LineKind.TRAVEL, description=f"Travel supplement: {format_pence(agreement.travel_supplement_pence)} "
                                 f"an hour for {format_minutes(draft.minutes)}", quantity=draft.minutes,
                                 unit_pence=agreement.travel_supplement_pence,
                                 amount_pence=Money(agreement.travel_supplement_pence).for_minutes(draft.minutes).pence))
    for extra in draft.extras:
        lines.append(InvoiceLine(kind=LineKind(extra.kind), description=extra.description.strip()[:200],
                                 quantity=extra.quantity, unit_pence=extra.unit_pence, amount_pence=extra.amount_pence))
    return lines


def _check_provider_draft(agreement: ServiceAgreement, draft: ProviderInvoiceDraft, replacing: Invoice | None) -> None:
    def period():
        _check_period(draft.period_start, draft.period_end, agreement.start_date, last_day_of(agreement))

    def hours():
        if draft.minutes < 1:
            raise DomainError("Enter the hours of support delivered in the period, more than 0", field="hours")
        if draft.period_end >= draft.period_start and \
                draft.minutes > ((draft.period_end - draft.period_start).days + 1) * 24 * 60:
            raise DomainError("That is more hours than the period has: check the hours and the dates", field="hours")

    def rate():
        if draft.rate_pence <= 0:
            raise DomainError("Enter the hourly rate", field="rate")

    def extras():
        for extra in draft.extras:
            if not extra.description.strip():
                raise DomainError("Say what each extra line is for", field="extras")
            if extra.quantity <= 0 or extra.unit_pence <= 0 or extra.amount_pence > MAX_LINE_PENCE:
                raise DomainError("Enter an amount for each extra line", field="extras")

    def overlap():
        query = select(Invoice).where(Invoice.agreement_id == agreement.id)
        if replacing is not None:
            query = query.where(Invoice.id != replacing.id)
        clash = _overlapping(query, draft.period_start, draft.period_end)
        if clash is not None:
            raise DomainError(f"Invoice {clash.number} already covers {format_date(clash.period_start)} to "
                              f"{format_date(clash.period_end)}: choose a period after it", field="period_start")

    accumulate_errors(period, hours, rate, extras, overlap)


def send_provider_invoice(user: User, organisation_id: int, agreement_id: int, draft: ProviderInvoiceDraft,
                          *, replacing: Invoice | None = None) -> Invoice:
    agreement = agreement_for_provider(user, organisation_id, agreement_id)
    company = _company_for(agreement.holder)
    _check_provider_draft(agreement, draft, replacing)
    lines = _provider_lines(agreement, draft)
    agreed_minutes = agreed_minutes_for(agreement, draft.period_start, draft.period_end)
    agreed_total = Money(agreement.hourly_rate_pence + agreement.travel_supplement_pence).for_minutes(agreed_minutes).pence
    invoice = Invoice(company_id=company.id, holder_id=agreement.holder_id, kind=InvoiceKind.PROVIDER,
                      agreement_id=agreement.id, organisation_id=agreement.organisation_id,
                      category_id=agreement.need.category_id, period_start=draft.period_start,
                      period_end=draft.period_end, minutes=draft.minutes, rate_pence=draft.rate_pence,
                      total_pence=sum(line.amount_pence for line in lines), agreed_minutes=agreed_minutes,
                      agreed_rate_pence=agreement.hourly_rate_pence, agreed_total_pence=agreed_total,
                      note=draft.note.strip(), submitted_by_id=user.id, lines=lines)
    return _submitted(invoice, user, replacing)


def _submitted(invoice: Invoice, user: User, replacing: Invoice | None) -> Invoice:
    if replacing is not None:
        replacing.status = InvoiceStatus.REPLACED
        db.session.flush()  # the corrected invoice takes the old one's place in the period
        invoice.replaces_id = replacing.id
        invoice_event(replacing, "corrected", user, "Replaced by a corrected invoice")
    standing = standing_approval_for(invoice.agreement_id)
    if standing is not None and not invoice.exceeds_agreement:
        invoice.approve_after = utcnow() + timedelta(days=standing.waiting_days)
    db.session.add(invoice)
    db.session.flush()
    invoice_event(invoice, "submitted", user, invoice.note)
    audit.record("invoice.submitted", actor=user, holder=invoice.holder, obj=invoice, total_pence=invoice.total_pence,
                 replaces=replacing.id if replacing is not None else None)
    what = "a corrected invoice" if replacing is not None else "an invoice"
    over = f" It is {format_pence(invoice.over_agreement_pence)} more than the agreement allows." if invoice.exceeds_agreement else ""
    tell_holder(invoice.holder, MONEY_NEWS.key, f"{invoice.payee_name} sent {what} for {format_pence(invoice.total_pence)}",
                f"For {format_date(invoice.period_start)} to {format_date(invoice.period_end)}.{over}", holder_link(invoice))
    return invoice


def send_broker_invoice(user: User, engagement_id: int, *, period_start: date, period_end: date, note: str = "",
                        replacing: Invoice | None = None) -> Invoice:
    engagement = broker_engagement(user, engagement_id, audit_view=False)
    broker = broker_of(user)
    company = _company_for(engagement.holder)
    rate = engagement.agreed_hourly_fee_pence
    if not rate:
        raise DomainError("No hourly fee was agreed for this work, so there is no time to invoice. "
                          "Your fee for the band is agreed separately.")
    last = london_date(engagement.ended_at) if engagement.ended_at else today_in_london()
    minutes = _broker_minutes(engagement, period_start, period_end)
    already = _invoiced_minutes(engagement, replacing)

    def period():
        _check_period(period_start, period_end, london_date(engagement.started_at), last)

    def some_time():
        if period_end >= period_start and minutes <= 0:
            raise DomainError("You have not logged any time in this period", field="period_start")

    def within_band():
        if already + minutes > engagement.allocated_minutes:
            raise DomainError(f"This would invoice {format_minutes(already + minutes - engagement.allocated_minutes)} past "
                              f"the band's {format_minutes(engagement.allocated_minutes)}. Ask your hub lead for a "
                              "higher band first.", field="period_end")

    def overlap():
        query = select(Invoice).where(Invoice.engagement_id == engagement.id)
        if replacing is not None:
            query = query.where(Invoice.id != replacing.id)
        clash = _overlapping(query, period_start, period_end)
        if clash is not None:
            raise DomainError(f"Invoice {clash.number} already covers {format_date(clash.period_start)} to "
                              f"{format_date(clash.period_end)}: choose a period after it", field="period_start")

    accumulate_errors(period, some_time, within_band, overlap)
    total = Money(rate).for_minutes(minutes).pence
    category = db.session.scalar(select(ServiceCategory).where(ServiceCategory.slug == "brokerage"))
    line = InvoiceLine(kind=LineKind.HOURS, description=f"{format_minutes(minutes)} of brokerage at "
                       f"{format_pence(rate)} an hour", quantity=minutes, unit_pence=rate, amount_pence=total)
    invoice = Invoice(company_id=company.id, holder_id=engagement.holder_id, kind=InvoiceKind.BROKER,
                      engagement_id=engagement.id, broker_id=broker.id, category_id=category.id,
                      period_start=period_start, period_end=period_end, minutes=minutes, rate_pence=rate,
                      total_pence=total, agreed_minutes=minutes, agreed_rate_pence=rate, agreed_total_pence=total,
                      note=note.strip(), submitted_by_id=user.id, lines=[line])
    return _submitted(invoice, user, replacing)


def _broker_minutes(engagement: Engagement, start: date, end: date) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
        TimeEntry.engagement_id == engagement.id, TimeEntry.worked_on >= start, TimeEntry.worked_on <= end)))


def _invoiced_minutes(engagement: Engagement, replacing: Invoice | None) -> int:
    query = select(func.coalesce(func.sum(Invoice.minutes), 0)).where(
        Invoice.engagement_id == engagement.id, Invoice.status.in_(LIVE))
    if replacing is not None:
        query = query.where(Invoice.id != replacing.id)
    return int(db.session.scalar(query))
