"""Building money test worlds: a running service agreement that started in the past (so there is
support to invoice), a person's company with the demo's typical mix of streams, and the access
a service is called with."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.holders import services as holders
from app.ledger import services as ledger
from app.needs.models import Need, NeedStatus, Offer, OfferStatus, ServiceAgreement
from tests.factories import FundingBodyFactory, FundingOfficerFactory, category


def acting_for(user, holder, *, act: bool = True):
    return holders.access(user, holder.id, act=act)


def running_agreement(person, organisation, broker_profile, *, start: date | None = None, rate: int = 2300,
                      minutes_per_week: int = 240, slug: str = "help-at-home", travel: int = 0,
                      end: date | None = None) -> ServiceAgreement:
    """A filled need and its running agreement with `organisation`, started on `start` (60 days ago)."""
    start = start or today_in_london() - timedelta(days=60)
    need = Need(holder=person, broker=broker_profile, posted_by_id=broker_profile.user_id, status=NeedStatus.FILLED,
                category=category(slug), district=person.district or "W9", schedule=[[1, "afternoon"]],
                minutes_per_week=minutes_per_week, start_date=start, max_hourly_rate_pence=rate + 200,
                public_description="Help at home twice a week.", published_at=utcnow() - timedelta(days=70),
                accepted_at=utcnow() - timedelta(days=65))
    offer = Offer(need=need, organisation=organisation, status=OfferStatus.ACCEPTED, hourly_rate_pence=rate,
                  proposed_start=start, message="We can help.", submitted_by_id=organisation.staff[0].user_id)
    agreement = ServiceAgreement(need=need, offer=offer, holder_id=person.id, organisation_id=organisation.id,
                                 hourly_rate_pence=rate, travel_supplement_pence=travel,
                                 minutes_per_week=minutes_per_week, schedule=need.schedule, start_date=start,
                                 end_date=end, accepted_by_id=person.user_id or broker_profile.user_id)
    db.session.add_all([need, offer, agreement])
    db.session.commit()
    return agreement


def company_and_streams(person, *, allocation: int = 2_400_000):
    """Grace's company with a council budget (a funding body in the portal, with an officer), an
    NHS personal health budget for personal care only, and Access to Work for employment support
    (outside the portal). Returns (company, {"council": ..., "nhs": ..., "atw": ...}, officer)."""
    acting = acting_for(person.user, person)
    company = ledger.set_up_company(acting, ledger.CompanyDetails(
        name="Grace Okafor Support Ltd", kind="limited", companies_house_number="12345678",
        bank_account_name="Grace Okafor Support Ltd", bank_sort_code="309950", bank_account_number="12345678"))
    body = FundingBodyFactory(name=f"Westminster City Council {uuid.uuid4().hex[:6]}")
    officer = FundingOfficerFactory(funding_body=body).user
    today = today_in_london()
    start, end = today - timedelta(days=120), today + timedelta(days=245)
    council = ledger.add_stream(acting, ledger.StreamDetails(
        name="Westminster personal budget", allocation_pence=allocation, starts_on=start, ends_on=end,
        schedule="four_weekly", funding_body_id=body.id))
    nhs = ledger.add_stream(acting, ledger.StreamDetails(
        name="NHS personal health budget", allocation_pence=600_000, starts_on=start, ends_on=end,
        schedule="monthly", funder_name="NHS North West London", category_ids=[category("personal-care").id]))
    atw = ledger.add_stream(acting, ledger.StreamDetails(
        name="Access to Work", allocation_pence=300_000, starts_on=start, ends_on=end, schedule="quarterly",
        funder_name="Access to Work (DWP)", category_ids=[category("employment-support").id]))
    db.session.commit()
    return company, {"council": council, "nhs": nhs, "atw": atw}, officer


def key() -> str:
    """A form's one-off key."""
    return uuid.uuid4().hex
