"""What a provider or a broker sees of the invoices they send: the lists, the next period to
invoice, what an agreement allows for a period, and the broker's band hours left.

Only readings: nothing here changes an invoice (sending and correcting are in `invoicing.py`,
whose rules for a period the suggestions here follow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.brokers.services import broker_of
from app.core.errors import NotFound
from app.core.money import Money
from app.core.timeutil import london_date, today_in_london
from app.engagements.models import Engagement, TimeEntry
from app.extensions import db
from app.needs.models import ServiceAgreement
from app.payments.approvals import payee_invoice
from app.payments.invoicing import LIVE, MAX_PERIOD_DAYS, agreed_minutes_for, last_day_of
from app.payments.models import Invoice
from app.providers.services import organisation_for

PROVIDER_PERIOD_DAYS = 28  # the period suggested to a provider: four weeks (a broker's: up to MAX_PERIOD_DAYS)


# A provider organisation's invoices


@dataclass(frozen=True)
class Allowance:
    """What the agreement allows for a period: its hours a week over the days, at its rate
    (and travel supplement)."""

    start: date
    end: date
    minutes: int
    total_pence: int


@dataclass(frozen=True)
class InvoicedSoFar:
    """Where the invoicing of an agreement stands: its invoices still in play (newest period
    first), the last day they cover (None before the first) and the next period to invoice."""

    invoices: list[Invoice]
    invoiced_to: date | None
    next_period: tuple[date, date]

    @property
    def nothing_to_invoice(self) -> bool:
        """No support delivered since the last invoice (or since the start) to invoice yet."""
        start, end = self.next_period
        return start > end


def organisation_invoices(user: User, organisation_id: int) -> list[Invoice]:
    """Every invoice one of the user's own organisations sent, the newest sent first (404 for an
    organisation the user is not on the staff of)."""
    organisation = organisation_for(user, organisation_id)
    return list(db.session.scalars(select(Invoice).where(Invoice.organisation_id == organisation.id)
                                   .order_by(Invoice.submitted_at.desc(), Invoice.id.desc())))


def organisation_invoice(user: User, organisation_id: int, invoice_id: int) -> Invoice:
    """One of the invoices of this user's organisation (anyone else's, or another of the user's
    organisations': 404)."""
    organisation = organisation_for(user, organisation_id)
    invoice = payee_invoice(user, invoice_id)
    if invoice.organisation_id != organisation.id:
        raise NotFound()
    return invoice


def agreement_invoices(agreement: ServiceAgreement) -> list[Invoice]:
    """Every invoice sent for the agreement, replaced ones too, the newest period first. The
    caller has already checked the agreement is one of the user's organisation's."""
    return list(db.session.scalars(select(Invoice).where(Invoice.agreement_id == agreement.id)
                                   .order_by(Invoice.period_start.desc(), Invoice.id.desc())))


def last_day(agreement: ServiceAgreement) -> date:
    """The last day there can be support to invoice: today, or the day the agreement ended (its
    end date, the end of its notice, or the day it was ended) if that is earlier.

    The invoice itself is checked against invoicing's last day of the agreement and, separately,
    against "no period ends after today"; this is those two rules in one, so they are reused."""
    return min(today_in_london(), last_day_of(agreement))


def next_period(agreement: ServiceAgreement, invoices: list[Invoice]) -> tuple[date, date]:
    """Four weeks from the day after the last period invoiced (or from the start of the support),
    ending by the agreement's last day. A replaced invoice does not count. When the start is
    after the end, there is nothing to invoice yet."""
    invoiced_to = [i.period_end for i in invoices if i.status in LIVE]
    start = max(invoiced_to) + timedelta(days=1) if invoiced_to else agreement.start_date
    return start, min(start + timedelta(days=PROVIDER_PERIOD_DAYS - 1), last_day(agreement))


def invoiced_so_far(agreement: ServiceAgreement) -> InvoicedSoFar:
    """The agreement's invoices still in play, the last day they cover and the next period."""
    invoices = [i for i in agreement_invoices(agreement) if i.status in LIVE]
    return InvoicedSoFar(invoices, max((i.period_end for i in invoices), default=None),
                         next_period(agreement, invoices))


def allowance(agreement: ServiceAgreement, start: date | None, end: date | None) -> Allowance | None:
    """What the agreement allows for the period typed, or None when it is not a period one
    invoice can cover (a day missing, the end before the start, or longer than 5 weeks)."""
    if start is None or end is None or end < start or (end - start).days + 1 > MAX_PERIOD_DAYS:
        return None
    minutes = agreed_minutes_for(agreement, start, end)
    rate = agreement.hourly_rate_pence + agreement.travel_supplement_pence
    return Allowance(start, end, minutes, Money(rate).for_minutes(minutes).pence)


# A broker's invoices


@dataclass(frozen=True)
class BrokerWork:
    """The time to invoice for one client: what is logged and not yet invoiced, what the chosen
    period holds and comes to at the agreed fee, and how much of the band is invoiced already."""

    fee_pence: int | None
    not_invoiced: list[TimeEntry]  # time entries outside every invoice still in play
    period: tuple[date, date] | None  # the period chosen (when it is a period at all)
    period_minutes: int
    period_pence: int
    invoiced_minutes: int
    allocated_minutes: int

    @property
    def band_left(self) -> int:
        """The band's minutes not invoiced yet (never below nothing)."""
        return max(0, self.allocated_minutes - self.invoiced_minutes)


def broker_invoices(user: User) -> list[Invoice]:
    """Every invoice the user sent as a broker, the newest sent first (403 for someone who is not
    a broker)."""
    broker = broker_of(user)
    return list(db.session.scalars(select(Invoice).where(Invoice.broker_id == broker.id)
                                   .order_by(Invoice.submitted_at.desc(), Invoice.id.desc())))


def broker_invoice(user: User, invoice_id: int) -> Invoice:
    """One of this broker's own invoices (anyone else's, or a provider's: 404)."""
    invoice = payee_invoice(user, invoice_id)
    if invoice.engagement_id is None:
        raise NotFound()
    return invoice


def live_engagement_invoices(engagement: Engagement, replacing: Invoice | None = None) -> list[Invoice]:
    """The engagement's invoices still in play (not replaced), leaving out the one being corrected.
    The caller has already checked the engagement is the broker's."""
    rows = db.session.scalars(select(Invoice).where(Invoice.engagement_id == engagement.id,
                                                    Invoice.status.in_(LIVE)))
    return [i for i in rows if replacing is None or i.id != replacing.id]


def broker_work(engagement: Engagement, start: date | None, end: date | None,
                replacing: Invoice | None = None) -> BrokerWork:
    """The time to invoice for the client, and what the period typed holds (none when it is not
    a period one invoice can cover); a correction leaves out the invoice it replaces."""
    invoices = live_engagement_invoices(engagement, replacing)
    not_invoiced = [e for e in engagement.time_entries
                    if not any(i.period_start <= e.worked_on <= i.period_end for i in invoices)]
    period = (start, end) if start and end and start <= end and (end - start).days + 1 <= MAX_PERIOD_DAYS else None
    minutes = sum(e.minutes for e in engagement.time_entries if period and start <= e.worked_on <= end)
    fee = engagement.agreed_hourly_fee_pence
    return BrokerWork(fee, not_invoiced, period, minutes, Money(fee or 0).for_minutes(minutes).pence,
                      sum(i.minutes for i in invoices), engagement.allocated_minutes)


def next_broker_period(engagement: Engagement) -> tuple[date, date] | None:
    """From the first day after the last invoice (or the earliest time not invoiced, if later),
    for up to five weeks, ending by today (or the day the work ended); None when there is no day
    left to invoice."""
    invoices = live_engagement_invoices(engagement)
    start = max([i.period_end + timedelta(days=1) for i in invoices], default=london_date(engagement.started_at))
    later = sorted(e.worked_on for e in engagement.time_entries if e.worked_on >= start)
    start = later[0] if later else start
    last = min(today_in_london(), london_date(engagement.ended_at) if engagement.ended_at else today_in_london())
    end = min(start + timedelta(days=MAX_PERIOD_DAYS - 1), last)
    return (start, end) if start <= end else None
