"""Grace's money for the demo: her company, three funding streams (the council's personal budget,
confirmed in the portal; an NHS personal health budget, in the portal and not yet confirmed;
Access to Work, outside it) and most of a year of history, made through the same services the
pages use, so the books are exactly what the portal would have written: 4-weekly receipts, her
personal assistant's invoices against a year-old agreement, one queried and corrected, one
payment reversed and paid again, her broker's invoice, and one invoice waiting for her. The
council stream ends the year about 90% spent, so its warnings show.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

from sqlalchemy import func, select, update

from app.accounts.models import User
from app.core.models import Notification
from app.core.money import Money, round_pence
from app.core.timeutil import LONDON, london_date, today_in_london
from app.demo.seeder import Seeder
from app.engagements.models import Engagement, TimeEntry
from app.extensions import db
from app.funders.models import FundingBody
from app.holders import services as holders
from app.holders.models import BudgetHolder
from app.ledger import services as ledger
from app.needs.models import Need, NeedStatus, Offer, OfferStatus, ServiceAgreement
from app.payments import services as payments
from app.payments.models import Invoice
from app.providers.models import ProviderOrganisation
from app.taxonomy.models import ServiceCategory

PERIOD_DAYS = 366
YEAR_AGO = 330  # the streams started this many days ago
PA_RATE, PA_MINUTES = 1900, 10 * 60  # Yusuf: 10 hours a week at £19 an hour


def _category(slug: str) -> ServiceCategory:
    return db.session.scalar(select(ServiceCategory).where(ServiceCategory.slug == slug))


def seed_money(s: Seeder, grace: BudgetHolder) -> None:
    if ledger.company_of(grace) is not None:
        return
    acting = holders.access(grace.user, grace.id, act=True)
    officer = db.session.scalar(select(User).where(User.email == "funder@demo.test"))
    council = db.session.scalar(select(FundingBody).where(FundingBody.name == "Westminster City Council"))
    nhs = db.session.scalar(select(FundingBody).where(FundingBody.name == "NHS North West London"))
    ledger.set_up_company(acting, ledger.CompanyDetails(
        name="Grace Okafor Support Ltd", kind="limited", companies_house_number="15234871",
        bank_account_name="Grace Okafor Support Ltd", bank_sort_code="309950", bank_account_number="41278865"))
    start = s.today - timedelta(days=YEAR_AGO)
    end = start + timedelta(days=PERIOD_DAYS - 1)
    agreement = _yusuf_agreement(s, grace, start + timedelta(days=6))
    spent = _pa_cost(agreement, s.today) + _broker_cost(s, grace)
    # The council's allocation: what the personal assistant and the broker cost comes to just over 90% of it.
    allocation = round_pence(Fraction(spent * 1000, 905)) // 10_000 * 10_000
    streams = {
        "council": ledger.add_stream(acting, ledger.StreamDetails(
            name=f"Westminster personal budget {start.year}-{str(end.year)[2:]}", allocation_pence=allocation,
            starts_on=start, ends_on=end, schedule="four_weekly", funding_body_id=council.id)),
        "nhs": ledger.add_stream(acting, ledger.StreamDetails(
            name="NHS personal health budget", allocation_pence=600_000, starts_on=start, ends_on=end,
            schedule="monthly", funding_body_id=nhs.id, category_ids=[_category("personal-care").id])),
        "atw": ledger.add_stream(acting, ledger.StreamDetails(
            name="Access to Work", allocation_pence=300_000, starts_on=start, ends_on=end, schedule="quarterly",
            funder_name="Access to Work (DWP)", category_ids=[_category("employment-support").id])),
    }
    ledger.funder_sets(officer, streams["council"].id, allocation_pence=allocation, category_ids=[],
                       reason=f"Care Act assessment and support plan agreed on {start:%-d %B %Y}")
    _receipts(acting, streams, start)
    _pa_invoices(s, acting, agreement, streams["council"])
    _broker_invoice(s, acting, grace, streams["council"])
    # The history's news has been read; only what waits for Grace now is new.
    db.session.execute(update(Notification).where(Notification.read_at.is_(None), Notification.kind.in_(
        ["money", "funding"])).values(read_at=s.now))
    _waiting_invoice(s, agreement)


def _yusuf_agreement(s: Seeder, grace: BudgetHolder, start: date) -> ServiceAgreement:
    yusuf = db.session.scalar(select(ProviderOrganisation).where(ProviderOrganisation.name == "Yusuf Ali PA Services"))
    daniel = db.session.scalar(select(Engagement).where(Engagement.holder_id == grace.id)).broker
    schedule = [[1, "afternoon"], [3, "afternoon"], [5, "afternoon"]]
    need = s.add(Need(holder=grace, broker=daniel, posted_by_id=daniel.user_id, status=NeedStatus.FILLED,
                      category=_category("personal-assistant"), district="W9", schedule=schedule,
                      minutes_per_week=PA_MINUTES, start_date=start, max_hourly_rate_pence=2000,
                      public_description="A personal assistant three afternoons a week: shopping, the library and "
                                         "the Tuesday church group.",
                      created_at=s.days_ago(YEAR_AGO + 20), published_at=s.days_ago(YEAR_AGO + 18),
                      accepted_at=s.days_ago(YEAR_AGO + 10)))
    offer = s.add(Offer(need=need, organisation=yusuf, status=OfferStatus.ACCEPTED, hourly_rate_pence=PA_RATE,
                        proposed_start=start, message="I can do Monday, Wednesday and Friday afternoons.",
                        submitted_by_id=yusuf.staff[0].user_id, created_at=s.days_ago(YEAR_AGO + 17)))
    return s.add(ServiceAgreement(need=need, offer=offer, holder_id=grace.id, organisation_id=yusuf.id,
                                  hourly_rate_pence=PA_RATE, minutes_per_week=PA_MINUTES, schedule=schedule,
                                  start_date=start, accepted_by_id=grace.user_id, created_at=s.days_ago(YEAR_AGO + 10)))


def _pa_periods(agreement: ServiceAgreement, today: date) -> list[tuple[date, date]]:
    periods, first = [], agreement.start_date
    while first + timedelta(days=27) < today - timedelta(days=3):
        periods.append((first, first + timedelta(days=27)))
        first += timedelta(days=28)
    return periods


def _pa_cost(agreement: ServiceAgreement, today: date) -> int:
    return len(_pa_periods(agreement, today)) * PA_RATE * PA_MINUTES * 4 // 60


def _broker_cost(s: Seeder, grace: BudgetHolder) -> int:
    engagement = db.session.scalar(select(Engagement).where(Engagement.holder_id == grace.id))
    minutes = db.session.scalar(select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
        TimeEntry.engagement_id == engagement.id, TimeEntry.worked_on <= s.today - timedelta(days=8)))
    return Money(engagement.agreed_hourly_fee_pence or 0).for_minutes(minutes).pence


def _receipts(acting, streams, start: date) -> None:
    today = today_in_london()
    for name, every, count in (("council", 28, 13), ("nhs", 30, 12), ("atw", 91, 4)):
        stream = streams[name]
        amount = stream.allocation_pence // count
        for number in range(count):
            day = start + timedelta(days=every * number)
            if day > today:
                break
            ledger.record_receipt(acting, stream.id, amount_pence=amount, received_on=day,
                                  reference=f"{stream.funder_label[:12].strip().upper()} {number + 1:02d}",
                                  key=f"demo-receipt-{name}-{number}")


def _backdate(invoice: Invoice, sent: date, s: Seeder) -> None:
    """The invoice's history as it happened: sent on `sent`, queried and answered the day after,
    approved the day after it was sent, paid on the day its payment says."""
    at = s.now - timedelta(days=(s.today - sent).days)
    approved = at + timedelta(days=1)
    payment = invoice.live_payment
    paid = datetime.combine(payment.paid_on, time(10), tzinfo=LONDON).astimezone(UTC) if payment else None
    invoice.submitted_at = at
    if invoice.approved_at:
        invoice.approved_at = approved
    if invoice.paid_at and paid:
        invoice.paid_at = payment.created_at = paid
    when = {"submitted": at, "queried": at + timedelta(days=1), "answered": at + timedelta(days=1, hours=3),
            "approved": approved, "paid": paid}
    for event in invoice.events:
        if when.get(event.kind) is not None:
            event.created_at = when[event.kind]


def _pay(acting, invoice: Invoice, stream, day: date, reference: str):
    return payments.pay_manually(acting, invoice.id, payments.ManualPayment(
        [payments.Share(stream.id, invoice.total_pence)], reference, min(day, today_in_london()),
        key=f"demo-pay-{invoice.id}-{reference}"))


def _pa_invoices(s: Seeder, acting, agreement: ServiceAgreement, council) -> None:
    yusuf = agreement.organisation.staff[0].user
    periods = _pa_periods(agreement, s.today)
    for number, (first, last) in enumerate(periods):
        draft = payments.ProviderInvoiceDraft(first, last, PA_MINUTES * 4, PA_RATE)
        if number == 3:  # 44 hours, not 40: Grace asks, Yusuf corrects it
            wrong = payments.send_provider_invoice(yusuf, agreement.organisation_id, agreement.id,
                                                   payments.ProviderInvoiceDraft(first, last, PA_MINUTES * 4 + 240, PA_RATE))
            payments.query(acting, wrong.id, "This says 44 hours, but the week of the bank holiday you came twice. "
                                             "Could you check?")
            payments.answer(yusuf, wrong.id, "You are right, sorry: 40 hours. I am sending a corrected invoice.")
            _backdate(wrong, last + timedelta(days=1), s)
            invoice = payments.correct_provider_invoice(yusuf, wrong.id, draft)
            corrected = next(e for e in wrong.events if e.kind == "corrected")
        else:
            invoice = payments.send_provider_invoice(yusuf, agreement.organisation_id, agreement.id, draft)
        payments.approve(acting, invoice.id)
        latest = number == len(periods) - 1
        payment = _pay(acting, invoice, council, s.today if latest else last + timedelta(days=5), f"GOSL-PA-{number + 1:02d}")
        if latest:  # the bank transfer failed (the account number was mistyped): reversed, then paid again, today
            payments.reverse_payment(acting, payment.id, "The bank transfer failed: the account number was mistyped. "
                                                        "Paid again with the right details.")
            _pay(acting, invoice, council, s.today, f"GOSL-PA-{number + 1:02d}B")
        else:
            _backdate(invoice, last + timedelta(days=2), s)
        if number == 3:
            corrected.created_at = invoice.submitted_at


def _broker_invoice(s: Seeder, acting, grace: BudgetHolder, council) -> None:
    engagement = db.session.scalar(select(Engagement).where(Engagement.holder_id == grace.id))
    if not engagement.agreed_hourly_fee_pence:
        return
    first, last = london_date(engagement.started_at), s.today - timedelta(days=8)
    invoice = payments.send_broker_invoice(engagement.broker.user, engagement.id, period_start=first, period_end=last,
                                           note="Planning and the council call.")
    payments.approve(acting, invoice.id)
    _pay(acting, invoice, council, s.today - timedelta(days=2), "GOSL-BROKER-01")
    _backdate(invoice, last + timedelta(days=1), s)


def _waiting_invoice(s: Seeder, agreement: ServiceAgreement) -> None:
    """Yusuf's latest invoice, waiting for Grace's approval."""
    last_end = db.session.scalar(select(Invoice.period_end).where(Invoice.agreement_id == agreement.id)
                                 .order_by(Invoice.period_end.desc()))
    first = last_end + timedelta(days=1)
    last = min(first + timedelta(days=27), s.today - timedelta(days=1))
    yusuf = agreement.organisation.staff[0].user
    minutes = payments.agreed_minutes_for(agreement, first, last)
    payments.send_provider_invoice(yusuf, agreement.organisation_id, agreement.id,
                                   payments.ProviderInvoiceDraft(first, last, minutes, PA_RATE))


__all__ = ["seed_money"]
