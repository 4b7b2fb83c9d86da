"""The pages where a provider organisation and a broker send invoices and follow them: sending
(with extra lines), an invoice over the agreement, a failed form, answering the person's query,
a corrected invoice, the broker's invoice for logged time, the lists, and someone else's invoice."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.models import Notification
from app.core.timeutil import today_in_london, utcnow
from app.core.urls import path_for
from app.engagements import services as engagements
from app.extensions import db
from app.ledger import services as ledger
from app.payments import services as payments
from app.payments.models import Invoice, InvoiceStatus, LineKind
from tests.conftest import sign_in_as
from tests.factories import ProviderStaffFactory, accredited_broker
from tests.money_helpers import acting_for, company_and_streams, key, running_agreement


@pytest.fixture
def books(app, world):
    person = world["person"]
    company, streams, _ = company_and_streams(person)
    agreement = running_agreement(person, world["maida"], world["broker"], rate=2300, minutes_per_week=240)
    maida_user = world["maida"].staff[0].user
    return {**world, "company": company, "streams": streams, "agreement": agreement, "maida_user": maida_user,
            "acting": acting_for(person.user, person), "provider": sign_in_as(app.test_client(), maida_user)}


def d(day):
    return [str(day.day), str(day.month), str(day.year)]


def text(response) -> str:
    return response.get_data(as_text=True)


def new_url(b):
    return f"/providers/{b['maida'].id}/agreements/{b['agreement'].id}/invoices/new"


def invoice_url(b, invoice):
    return f"/providers/{b['maida'].id}/invoices/{invoice.id}"


def four_weeks(b, weeks_after_start=0):
    start = b["agreement"].start_date + timedelta(days=28 * weeks_after_start)
    return start, start + timedelta(days=27)


def form_data(start, end, hours="16", minutes="0", rate="23.00", **extra):
    data = {"period_start": d(start), "period_end": d(end), "hours": hours, "minutes": minutes, "rate": rate,
            "note": ""}
    data.update(extra)
    return data


def sent_by_service(b, hours=16, weeks_after_start=0):
    start, end = four_weeks(b, weeks_after_start)
    invoice = payments.send_provider_invoice(b["maida_user"], b["maida"].id, b["agreement"].id,
                                             payments.ProviderInvoiceDraft(start, end, hours * 60, 2300))
    db.session.commit()
    return invoice


def latest_invoice() -> Invoice:
    return db.session.scalar(select(Invoice).order_by(Invoice.id.desc()).limit(1))


def day_shown(html: str, field_id: str) -> str:
    """What the day box of a date field shows."""
    match = re.search(rf'id="{field_id}-day" name="{field_id}" type="text" value="([^"]*)"', html)
    assert match, f"no day box for {field_id}"
    return match.group(1)


def field_error(html: str, field_id: str) -> str:
    """The error message shown in the form group of one field."""
    match = re.search(rf'<p id="{field_id}-error" class="govuk-error-message">\s*<span class="govuk-visually-hidden">'
                      rf'Error:</span>\s*([^<]+)</p>', html)
    assert match, f"no error beside {field_id}"
    return match.group(1).strip()


def test_the_provider_sends_an_invoice_prefilled_from_the_agreement(books):
    b = books
    agreement_page = text(b["provider"].get(f"/providers/{b['maida'].id}/agreements/{b['agreement'].id}"))
    assert f'href="{new_url(b)}">Send an invoice' in agreement_page
    page = text(b["provider"].get(new_url(b)))
    start, end = four_weeks(b)
    assert "Send an invoice to Grace Okafor" in page
    assert "4 hours a week at £23.00 an hour" in page
    assert f"For {start.day} {start:%B %Y} to {end.day} {end:%B %Y} that is" in page
    assert "<strong>16 hours</strong>, which comes to <strong>£368.00</strong>" in page
    assert 'name="hours" type="text" value="16"' in page and 'value="23.00"' in page
    response = b["provider"].submit(new_url(b), form_data(
        start, end, extra1_kind="mileage", extra1_description="Trips to the day centre", extra1_miles="20",
        extra1_amount="0.45", note="Thank you"))
    invoice = latest_invoice()
    assert response.status_code == 302 and response.location.endswith(invoice_url(b, invoice))
    assert invoice.total_pence == 36_800 + 900 and invoice.minutes == 16 * 60
    # Agreed mileage is on its own line, not "more than the agreement allows" for the hours.
    assert invoice.over_agreement_pence == 0 and not invoice.exceeds_agreement
    assert [(line.kind, line.quantity, line.unit_pence, line.amount_pence) for line in invoice.lines] == [
        (LineKind.HOURS, 960, 2300, 36_800), (LineKind.MILEAGE, 20, 45, 900)]
    told = db.session.scalar(select(Notification).where(Notification.user_id == b["person"].user_id))
    assert told.title == "Maida Vale Care sent an invoice for £377.00"
    assert told.link == path_for("payments.holder_invoice", holder_id=b["person"].id, invoice_id=invoice.id)
    shown = text(b["provider"].get(response.location))
    assert f"Invoice {invoice.number} for £377.00 has been sent to Grace Okafor." in shown
    assert "Waiting for approval" in shown and "Trips to the day centre" in shown and "20 miles" in shown
    assert "Thank you" in shown


def test_an_invoice_over_the_agreement_is_sent_and_marked(books):
    b = books
    start, end = four_weeks(b)
    response = b["provider"].submit(new_url(b), form_data(start, end, hours="18"), follow_redirects=True)
    invoice = latest_invoice()
    assert invoice.exceeds_agreement and invoice.over_agreement_pence == 2 * 2300
    page = text(response)
    assert "It is £46.00 more than the agreement allows, so Grace Okafor will check it before approving it." in page
    assert "This invoice is more than the agreement allows for the period" in page
    assert "The difference is £46.00." in page
    told = db.session.scalar(select(Notification).where(Notification.user_id == b["person"].user_id))
    assert "It is £46.00 more than the agreement allows." in told.body


def test_a_failed_form_keeps_what_was_typed_and_says_what_is_wrong_beside_the_field(books):
    b = books
    start, end = four_weeks(b)
    data = form_data(start, end, hours="17", minutes="30", extra1_description="Swimming pool entry",
                     extra2_kind="other", extra2_description="Bus fares")
    data["period_start"] = ["31", "2", str(start.year)]
    response = b["provider"].submit(new_url(b), data)
    page = text(response)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert field_error(page, "period_start") == "Start of the period must be a real date, like 27 3 2026"
    assert field_error(page, "extra1_kind") == "Extra line 1: choose mileage or another agreed cost"
    assert field_error(page, "extra1_amount") == "Extra line 1: enter the amount"
    assert field_error(page, "extra2_amount") == "Extra line 2: enter the amount"
    assert day_shown(page, "period_start") == "31"
    assert 'value="17"' in page and 'value="30"' in page and 'value="Swimming pool entry"' in page
    assert 'value="Bus fares"' in page
    assert db.session.scalar(select(Invoice.id)) is None


def test_what_the_service_refuses_is_shown_beside_the_field(books):
    b = books
    start, end = four_weeks(b)
    response = b["provider"].submit(new_url(b), form_data(end, start, hours="0"))
    page = text(response)
    assert response.status_code == 400
    assert field_error(page, "period_end") == "The end of the period must be on or after its start"
    assert field_error(page, "hours") == "Enter the hours of support delivered in the period, more than 0"
    # Dates the wrong way round with the hours filled in: only the dates are wrong.
    page = text(b["provider"].submit(new_url(b), form_data(end, start, hours="4")))
    assert field_error(page, "period_end") == "The end of the period must be on or after its start"
    assert 'id="hours-error"' not in page
    sent_by_service(b)
    again = b["provider"].submit(new_url(b), form_data(start + timedelta(days=7), end + timedelta(days=7)))
    assert again.status_code == 400
    assert "already covers" in field_error(text(again), "period_start")


def test_the_next_invoice_starts_after_the_last_period_invoiced(books):
    b = books
    sent_by_service(b)
    start, end = four_weeks(b, weeks_after_start=1)
    page = text(b["provider"].get(new_url(b)))
    assert day_shown(page, "period_start") == f"{start:%d}"
    assert f"For {start.day} {start:%B %Y} to {end.day} {end:%B %Y} that is" in page
    assert "Already invoiced for this agreement" in page


def test_posting_without_the_csrf_token_sends_nothing(books):
    b = books
    start, end = four_weeks(b)
    response = b["provider"].post(new_url(b), data=form_data(start, end))
    assert response.status_code == 400
    assert db.session.scalar(select(Invoice.id)) is None


def test_the_provider_answers_a_query(books):
    b = books
    invoice = sent_by_service(b, hours=18)
    payments.query(b["acting"], invoice.id, "I think it was 16 hours, not 18.")
    db.session.commit()
    asked = db.session.scalar(select(Notification).where(Notification.user_id == b["maida_user"].id))
    assert asked.title == f"Grace Okafor has a question about invoice {invoice.number}"
    assert asked.link == invoice_url(b, invoice)
    page = text(b["provider"].get(asked.link))
    assert "Grace Okafor has a question about this invoice" in page
    assert "I think it was 16 hours, not 18." in page and "Send your answer" in page
    assert "Send a corrected invoice" in page
    empty = b["provider"].submit(invoice_url(b, invoice) + "/answer", {"message": "  "},
                                 form_url=invoice_url(b, invoice))
    assert empty.status_code == 400 and field_error(text(empty), "message") == "Write your answer"
    response = b["provider"].submit(invoice_url(b, invoice) + "/answer", {"message": "Two extra visits in week 3."},
                                    form_url=invoice_url(b, invoice), follow_redirects=True)
    assert "Your answer has been sent to Grace Okafor" in text(response)
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.SUBMITTED
    assert [e.kind for e in invoice.events] == ["submitted", "queried", "answered"]
    told = db.session.scalars(select(Notification).where(Notification.user_id == b["person"].user_id)
                              .order_by(Notification.id.desc())).first()
    assert told.body == "Two extra visits in week 3."
    assert "Send your answer" not in text(response)


def test_the_provider_sends_a_corrected_invoice_in_place_of_a_queried_one(books):
    b = books
    invoice = sent_by_service(b, hours=18)
    payments.query(b["acting"], invoice.id, "I think it was 16 hours, not 18.")
    db.session.commit()
    correct_url = invoice_url(b, invoice) + "/correct"
    form = text(b["provider"].get(correct_url))
    assert f"Send a corrected invoice in place of {invoice.number}" in form
    assert 'name="hours" type="text" value="18"' in form
    start, end = four_weeks(b)
    response = b["provider"].submit(correct_url, form_data(start, end, hours="16"))
    corrected = latest_invoice()
    assert response.status_code == 302 and response.location.endswith(invoice_url(b, corrected))
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.REPLACED and corrected.replaces_id == invoice.id
    assert corrected.total_pence == 36_800 and corrected.status == InvoiceStatus.SUBMITTED
    page = text(b["provider"].get(invoice_url(b, corrected)))
    assert f"Corrected invoice {corrected.number} for £368.00 has been sent to Grace Okafor." in page
    assert (f'This invoice corrects invoice <a class="govuk-link" href="{invoice_url(b, invoice)}">'
            f'{invoice.number}</a>.') in page
    old = text(b["provider"].get(invoice_url(b, invoice)))
    assert "Replaced by a corrected invoice" in old and "Send a corrected invoice" not in old
    assert "You will be told when it is paid" not in old  # a replaced invoice is never paid
    again = b["provider"].get(correct_url, follow_redirects=True)
    assert "This invoice has already been replaced by a corrected one" in text(again)


def test_someone_elses_invoice_is_not_found(app, books):
    b = books
    invoice = sent_by_service(b)
    notting = sign_in_as(app.test_client(), b["notting"].staff[0].user)
    assert notting.get(f"/providers/{b['notting'].id}/invoices/{invoice.id}").status_code == 404
    assert notting.get(f"/providers/{b['notting'].id}/invoices/{invoice.id}/correct").status_code == 404
    assert notting.get(invoice_url(b, invoice)).status_code == 404
    assert notting.get(f"/providers/{b['maida'].id}/invoices").status_code == 404
    assert notting.get(new_url(b)).status_code == 404
    answer = notting.submit(f"/providers/{b['notting'].id}/invoices/{invoice.id}/answer", {"message": "Hello"},
                            form_url=f"/providers/{b['notting'].id}/invoices")
    assert answer.status_code == 404
    ProviderStaffFactory(organisation=b["notting"], user=b["maida_user"])  # staff of both: each invoice under its own
    db.session.commit()
    assert b["provider"].get(f"/providers/{b['notting'].id}/invoices/{invoice.id}").status_code == 404
    assert b["provider"].get(invoice_url(b, invoice)).status_code == 200
    other_broker = sign_in_as(app.test_client(), accredited_broker(b["hub"], name="Other Broker").user)
    assert other_broker.get(f"/broker/invoices/{invoice.id}").status_code == 404
    assert "Maida Vale Care" not in text(notting.get(f"/providers/{b['notting'].id}/invoices"))


def test_the_list_shows_each_invoice_with_its_status_and_dates(books):
    b = books
    paid = sent_by_service(b, weeks_after_start=0)
    approved = sent_by_service(b, weeks_after_start=1)
    queried = payments.send_provider_invoice(b["maida_user"], b["maida"].id, b["agreement"].id,
                                             payments.ProviderInvoiceDraft(four_weeks(b, 2)[0], today_in_london(),
                                                                           60, 2300))
    db.session.commit()
    ledger.record_receipt(b["acting"], b["streams"]["council"].id, amount_pence=200_000,
                          received_on=today_in_london() - timedelta(days=50), reference="WCC DP 0001", key=key())
    for invoice in (paid, approved):
        payments.approve(b["acting"], invoice.id)
    payments.pay_manually(b["acting"], paid.id, payments.ManualPayment(
        shares=[payments.Share(b["streams"]["council"].id, paid.total_pence)], reference="BACS 991",
        paid_on=today_in_london(), key=key()))
    payments.query(b["acting"], queried.id, "Which day was this?")
    db.session.commit()
    page = text(b["provider"].get(f"/providers/{b['maida'].id}/invoices"))
    today = f"{today_in_london().day} {today_in_london():%B %Y}"
    assert page.index(queried.number) < page.index(approved.number) < page.index(paid.number)
    for words in ("Paid", "Approved, not yet paid", "Queried", f"Paid {today}", f"Approved {today}",
                  f"Sent {today}", "Grace Okafor", "£368.00", "£23.00"):
        assert words in page
    shown = text(b["provider"].get(invoice_url(b, paid)))
    assert "BACS 991" in shown and "Bank transfer (recorded by hand)" in shown


# --- Brokers -------------------------------------------------------------------------------------


@pytest.fixture
def brokerage(app, books):
    b = books
    work = b["engagement"]
    work.agreed_hourly_fee_pence = 3000
    work.started_at = utcnow() - timedelta(days=40)
    db.session.commit()
    day = today_in_london() - timedelta(days=10)
    engagements.log_time(b["broker"].user, work.id, worked_on=day, minutes=90, function="planning",
                         note="Support plan draft")
    db.session.commit()
    return {**b, "work": work, "day": day, "client": sign_in_as(app.test_client(), b["broker"].user)}


def test_the_broker_invoices_the_time_logged_at_the_agreed_fee(brokerage):
    b = brokerage
    url = f"/broker/clients/{b['work'].id}/invoices/new"
    assert "Send an invoice for your time" in text(b["client"].get(f"/broker/clients/{b['work'].id}"))
    page = text(b["client"].get(url))
    assert "<strong>£30.00 an hour</strong>" in page and "Support plan draft" in page
    assert "you logged <strong>1 hour 30 minutes</strong>" in page and "<strong>£45.00</strong>" in page
    response = b["client"].submit(url, {"period_start": d(b["day"] - timedelta(days=5)),
                                        "period_end": d(b["day"] + timedelta(days=2)), "note": "Planning"})
    invoice = latest_invoice()
    assert response.status_code == 302 and response.location.endswith(f"/broker/invoices/{invoice.id}")
    assert invoice.total_pence == 4500 and invoice.minutes == 90 and invoice.broker_id == b["broker"].id
    told = db.session.scalar(select(Notification).where(Notification.user_id == b["person"].user_id))
    assert told.title == f"{b['broker'].display_name} sent an invoice for £45.00"
    shown = text(b["client"].get(response.location))
    assert f"Invoice {invoice.number} for £45.00 (1 hour 30 minutes) has been sent to Grace Okafor." in shown
    listed = text(b["client"].get("/broker/invoices"))
    assert invoice.number in listed and "Waiting for approval" in listed and "£45.00" in listed
    after = text(b["client"].get(url))
    assert "All the time you have logged for Grace Okafor has been invoiced." in after


def test_the_broker_cannot_invoice_a_period_with_no_time_and_sees_why(brokerage):
    b = brokerage
    url = f"/broker/clients/{b['work'].id}/invoices/new"
    start = b["day"] + timedelta(days=1)
    response = b["client"].submit(url, {"period_start": d(start), "period_end": d(start + timedelta(days=3))})
    page = text(response)
    assert response.status_code == 400
    assert field_error(page, "period_start") == "You have not logged any time in this period"
    assert day_shown(page, "period_start") == f"{start:%d}"
    assert "You logged no time from" in page


def test_the_broker_answers_a_query_and_corrects_the_invoice(brokerage):
    b = brokerage
    invoice = payments.send_broker_invoice(b["broker"].user, b["work"].id, period_start=b["day"],
                                           period_end=b["day"] + timedelta(days=1))
    db.session.commit()
    payments.query(b["acting"], invoice.id, "Did this include the phone call?")
    db.session.commit()
    url = f"/broker/invoices/{invoice.id}"
    page = text(b["client"].get(url))
    assert "Did this include the phone call?" in page
    response = b["client"].submit(url + "/answer", {"message": "Yes, 20 minutes of it."}, form_url=url)
    assert response.status_code == 302
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.SUBMITTED
    engagements.log_time(b["broker"].user, b["work"].id, worked_on=b["day"] - timedelta(days=1), minutes=30,
                         function="planning", note="Phone call")
    db.session.commit()
    form = text(b["client"].get(url + "/correct"))
    assert f"Send a corrected invoice in place of {invoice.number}" in form
    assert day_shown(form, "period_start") == f"{b['day']:%d}"
    assert "30 minutes" in form and "Phone call" in form  # the time not yet invoiced
    corrected = b["client"].submit(url + "/correct", {"period_start": d(b["day"] - timedelta(days=1)),
                                                      "period_end": d(b["day"] + timedelta(days=1))})
    new = latest_invoice()
    assert corrected.status_code == 302 and new.replaces_id == invoice.id and new.total_pence == 6000
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.REPLACED


def test_without_an_agreed_hourly_fee_there_is_nothing_to_invoice(brokerage):
    b = brokerage
    b["work"].agreed_hourly_fee_pence = None
    db.session.commit()
    page = text(b["client"].get(f"/broker/clients/{b['work'].id}/invoices/new"))
    assert "No hourly fee was agreed when your work with Grace Okafor started" in page
    assert "Send invoice" not in page
    assert "Send an invoice for your time" not in text(b["client"].get(f"/broker/clients/{b['work'].id}"))


def test_a_broker_sees_only_their_own_clients_and_invoices(app, brokerage):
    b = brokerage
    invoice = payments.send_broker_invoice(b["broker"].user, b["work"].id, period_start=b["day"],
                                           period_end=b["day"])
    db.session.commit()
    other = accredited_broker(b["hub"], name="Other Broker")
    client = sign_in_as(app.test_client(), other.user)
    assert client.get(f"/broker/invoices/{invoice.id}").status_code == 404
    assert client.get(f"/broker/invoices/{invoice.id}/correct").status_code == 404
    assert client.get(f"/broker/clients/{b['work'].id}/invoices/new").status_code == 404
    assert invoice.number not in text(client.get("/broker/invoices"))
    provider_invoice = sent_by_service(b)
    assert b["client"].get(f"/broker/invoices/{provider_invoice.id}").status_code == 404


def test_a_provider_finds_their_invoices_from_their_home_and_organisation_pages(books):
    b = books
    organisation_id = b["maida"].id
    link = f'href="/providers/{organisation_id}/invoices"'
    assert link in text(b["provider"].get("/"))
    assert link in text(b["provider"].get(f"/providers/{organisation_id}"))
