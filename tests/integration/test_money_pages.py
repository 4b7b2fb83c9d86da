"""The money pages through the test client: the person's money at a glance, a stream with its
chart, statements (page and CSV, agreeing with the entries), approving, querying and paying an
invoice (split, restricted, past the allocation, sent twice), reversing a payment, standing
approval, the funder officer's home and a broker's view with the person's consent."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEvent
from app.core.timeutil import today_in_london
from app.extensions import db
from app.ledger import services as ledger
from app.ledger.books import AccountKind, LedgerAccount, LedgerEntry
from app.payments import services as payments
from app.payments.models import Invoice, InvoiceStatus, Payment, StandingApproval
from tests.factories import BudgetHolderFactory, FundingOfficerFactory, category
from tests.money_helpers import acting_for, company_and_streams, key, running_agreement


@pytest.fixture
def money(app, world):
    person = world["person"]
    company, streams, officer = company_and_streams(person)
    agreement = running_agreement(person, world["maida"], world["broker"], rate=2300, minutes_per_week=240)
    acting = acting_for(person.user, person)
    ledger.record_receipt(acting, streams["council"].id, amount_pence=200_000,
                          received_on=today_in_london() - timedelta(days=50), reference="WCC DP 0001", key=key())
    db.session.commit()
    return {"person": person, "company": company, "streams": streams, "officer": officer, "agreement": agreement,
            "acting": acting, "maida_owner": world["maida"].staff[0].user, **world}


def send_invoice(m, hours=16, days_ago=56, rate=2300):
    start = today_in_london() - timedelta(days=days_ago)
    invoice = payments.send_provider_invoice(m["maida_owner"], m["maida"].id, m["agreement"].id,
                                             payments.ProviderInvoiceDraft(start, start + timedelta(days=27),
                                                                           hours * 60, rate))
    db.session.commit()
    return invoice


def base(m):
    return f"/people/{m['person'].id}/money"


def test_the_money_page_before_and_after_the_company(client, login, world):
    person = world["person"]
    login(person.user)
    page = client.get(f"/people/{person.id}/money").get_data(as_text=True)
    assert "Set up the company" in page
    company_and_streams(person)
    page = client.get(f"/people/{person.id}/money").get_data(as_text=True)
    assert "Grace Okafor Support Ltd" in page
    assert "Westminster personal budget" in page and "Not confirmed by the funder" in page
    # The bank account is shown masked (its number is also the Companies House number in this world).
    assert "account ending 5678" in page and "309950" not in page and "30-99-50" not in page


def test_an_invoice_is_queried_then_approved_and_paid_from_the_page(client, login, money):
    m = money
    invoice = send_invoice(m)
    login(m["person"].user)
    url = f"{base(m)}/invoices/{invoice.id}"
    page = client.get(url).get_data(as_text=True)
    assert invoice.number in page and "Approve invoice" in page and "£368.00" in page
    # A question with nothing in it is refused beside the box.
    failed = client.submit(f"{url}/query", {"message": "  "}, form_url=url)
    assert failed.status_code == 400
    assert "Say what you want to ask about the invoice" in failed.get_data(as_text=True)
    sent = client.submit(f"{url}/query", {"message": "Was the 3 March visit cancelled?"}, form_url=url)
    assert sent.status_code == 302
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.QUERIED
    payments.answer(m["maida_owner"], invoice.id, "No, it happened: Joanna stayed late.")
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Joanna stayed late" in page
    assert client.submit(f"{url}/approve", form_url=url).status_code == 302
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.APPROVED

    pay_url = f"{url}/pay"
    form = client.get(pay_url).get_data(as_text=True)
    council = m["streams"]["council"]
    assert f'name="share_{council.id}" type="text" value="368.00"' in form or 'value="368.00"' in form
    form_key = _key_in(form)
    data = {"key": form_key, f"share_{council.id}": "368.00", "reference": "OC-PAY-1",
            **_date("paid_on", today_in_london())}
    first = client.submit(pay_url, data)
    again = client.submit(pay_url, data, form_url=url)  # the browser sends the same form again
    assert first.status_code == 302, _errors(first)
    assert again.status_code == 302, _errors(again)  # the same payment, recorded once
    # A new visit to the pay page of a paid invoice goes back to the invoice, saying why.
    assert client.get(pay_url).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.PAID
    assert "OC-PAY-1" in client.get(url).get_data(as_text=True)


def _key_in(html: str) -> str:
    marker = 'name="key" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def _date(name, day):
    return {name: [str(day.day), str(day.month), str(day.year)]}


def test_paying_refuses_a_restricted_stream_and_past_the_allocation_without_a_reason(client, login, money):
    m = money
    invoice = send_invoice(m)
    payments.approve(m["acting"], invoice.id)
    db.session.commit()
    login(m["person"].user)
    pay_url = f"{base(m)}/invoices/{invoice.id}/pay"
    atw = m["streams"]["atw"]  # Access to Work pays only for employment support
    data = {"key": _key_in(client.get(pay_url).get_data(as_text=True)), f"share_{atw.id}": "368.00",
            "reference": "OC-PAY-2", **_date("paid_on", today_in_london())}
    refused = client.submit(pay_url, data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Access to Work cannot pay for" in page and 'value="OC-PAY-2"' in page
    # Split over two streams that do not add up: refused, nothing paid.
    council, nhs = m["streams"]["council"], m["streams"]["nhs"]
    data.pop(f"share_{atw.id}")
    refused = client.submit(pay_url, {**data, f"share_{council.id}": "100.00", f"share_{nhs.id}": "100.00"})
    assert refused.status_code == 400 and "the invoice is for £368.00" in refused.get_data(as_text=True)
    # Past the council allocation (set low by the funder) needs a reason.
    ledger.funder_sets(m["officer"], council.id, allocation_pence=10_000, category_ids=[], reason="Reassessed")
    db.session.commit()
    refused = client.submit(pay_url, {**data, f"share_{council.id}": "368.00"})
    assert refused.status_code == 400 and "goes past the allocation" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 0
    paid = client.submit(pay_url, {**data, f"share_{council.id}": "368.00",
                                   "over_allocation_reason": "The council agreed extra hours after a hospital stay."})
    assert paid.status_code == 302
    assert db.session.scalar(select(Payment)).over_allocation_reason.startswith("The council agreed")


def test_a_payment_recorded_by_mistake_is_reversed_with_a_reason(client, login, money):
    m = money
    invoice = send_invoice(m)
    payments.approve(m["acting"], invoice.id)
    payment = payments.pay_manually(m["acting"], invoice.id, payments.ManualPayment(
        [payments.Share(m["streams"]["council"].id, invoice.total_pence)], "OC-1", today_in_london(), key=key()))
    db.session.commit()
    login(m["person"].user)
    url = f"{base(m)}/payments/{payment.id}/reverse"
    assert client.submit(url, {"reason": ""}).status_code == 400
    assert client.submit(url, {"reason": "Recorded twice"}).status_code == 302
    db.session.refresh(invoice)
    assert invoice.status == InvoiceStatus.APPROVED
    assert "Recorded twice" in client.get(f"{base(m)}/invoices/{invoice.id}").get_data(as_text=True)
    assert ledger.verify().ok


def test_standing_approval_is_chosen_on_the_agreement(client, login, money):
    m = money
    login(m["person"].user)
    url = f"/people/{m['person'].id}/agreements/{m['agreement'].id}/approval"
    assert "look at every invoice" in client.get(url).get_data(as_text=True)
    refused = client.submit(url, {"choice": "standing", "waiting_days": "90"})
    assert refused.status_code == 400 and "between 1 and 60" in refused.get_data(as_text=True)
    assert client.submit(url, {"choice": "standing", "waiting_days": "5"}).status_code == 302
    standing = db.session.scalar(select(StandingApproval))
    assert standing.waiting_days == 5 and standing.ended_at is None
    # The box still says 90 from before: it is not used for "every invoice", so it is not in the way.
    assert client.submit(url, {"choice": "every", "waiting_days": "90"}).status_code == 302
    db.session.refresh(standing)
    assert standing.ended_at is not None


def test_the_stream_page_chart_and_the_statement_agree_with_the_entries(client, login, money):
    m = money
    invoice = send_invoice(m)
    payments.approve(m["acting"], invoice.id)
    council = m["streams"]["council"]
    payments.pay_manually(m["acting"], invoice.id, payments.ManualPayment(
        [payments.Share(council.id, invoice.total_pence)], "OC-7", today_in_london() - timedelta(days=1), key=key()))
    db.session.commit()
    login(m["person"].user)
    page = client.get(f"{base(m)}/streams/{council.id}").get_data(as_text=True)
    assert "<svg" in page and "month by month" in page and "WCC DP 0001" in page
    statement = client.get(f"{base(m)}/streams/{council.id}/statement").get_data(as_text=True)
    assert "£200,000.00" not in statement  # pence, not pounds, were received
    assert "£2,000.00" in statement and "£368.00" in statement and "Maida Vale Care" in statement
    # The closing balance, worked out from the entries themselves.
    held = -db.session.scalar(select(func.sum(LedgerEntry.amount_pence)).join(LedgerAccount).where(
        LedgerAccount.kind == AccountKind.FUNDS, LedgerAccount.stream_id == council.id))
    assert held == 200_000 - 36_800
    assert "£1,632.00" in statement
    download = client.get(f"{base(m)}/streams/{council.id}/statement.csv")
    assert download.mimetype == "text/csv"
    assert download.data.startswith("\ufeff".encode())  # a byte order mark: spreadsheets read £ as UTF-8
    assert "Balance today" in statement  # the stream runs on: no closing balance dated in the future
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert any("1632.00" in cell for row in rows for cell in row)


def test_the_funder_officer_sees_their_streams_and_statements_only(client, login, money):
    m = money
    login(m["officer"])
    home = client.get("/funder").get_data(as_text=True)
    council = m["streams"]["council"]
    assert "Grace Okafor" in home and "Westminster personal budget" in home
    assert "NHS personal health budget" not in home and "Access to Work" not in home
    assert client.get(f"/funder/streams/{council.id}").status_code == 200
    statement = client.get(f"/funder/streams/{council.id}/statement")
    assert statement.status_code == 200 and "£2,000.00" in statement.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "statement.viewed_by_funder")) == 1
    # Another stream of the same person, from a funder outside the portal: not theirs.
    assert client.get(f"/funder/streams/{m['streams']['nhs'].id}").status_code == 404
    other = FundingOfficerFactory().user
    login(other)
    assert client.get(f"/funder/streams/{council.id}").status_code == 404
    assert client.get(f"/funder/streams/{council.id}/statement.csv").status_code == 404
    assert "Westminster personal budget" not in client.get("/funder").get_data(as_text=True)


def test_the_broker_sees_the_budget_only_while_the_person_shares_it(client, login, money):
    m = money
    url = f"/broker/clients/{m['engagement'].id}/budget"
    login(m["broker"].user)
    assert client.get(url).status_code == 404
    assert "budget summary" not in client.get(f"/broker/clients/{m['engagement'].id}").get_data(as_text=True)
    login(m["person"].user)
    assert "Let Daniel Price see the budget" in client.get(base(m)).get_data(as_text=True)
    assert client.submit(f"{base(m)}/sharing", form_url=base(m)).status_code == 302
    login(m["broker"].user)
    assert "budget summary" in client.get(f"/broker/clients/{m['engagement'].id}").get_data(as_text=True)
    page = client.get(url)
    assert page.status_code == 200 and "Westminster personal budget" in page.get_data(as_text=True)
    assert "5678" not in page.get_data(as_text=True) and "Maida Vale Care" not in page.get_data(as_text=True)
    login(m["person"].user)
    assert client.submit(f"{base(m)}/sharing/stop", form_url=base(m)).status_code == 302
    login(m["broker"].user)
    assert client.get(url).status_code == 404
    assert "budget summary" not in client.get(f"/broker/clients/{m['engagement'].id}").get_data(as_text=True)


def test_someone_elses_invoice_and_stream_are_not_found(client, login, money):
    m = money
    invoice = send_invoice(m)
    stranger = BudgetHolderFactory()
    login(stranger.user)
    mine = f"/people/{stranger.id}/money"
    assert client.get(f"{mine}/invoices/{invoice.id}").status_code == 404
    assert client.get(f"{mine}/streams/{m['streams']['council'].id}").status_code == 404
    assert client.submit(f"{mine}/invoices/{invoice.id}/approve", form_url="/account").status_code == 404
    assert db.session.get(Invoice, invoice.id).status == InvoiceStatus.SUBMITTED
    # Their own page under someone else's id is not theirs either.
    assert client.get(base(m)).status_code in (403, 404)


def _errors(response) -> str:
    import re

    return " | ".join(re.findall(r'govuk-error-message"[^>]*>\s*<span[^>]*>Error:</span>\s*([^<]*)', response.get_data(as_text=True))
                      + re.findall(r'<li>\s*<a href="[^"]*">([^<]*)</a>', response.get_data(as_text=True)))


def test_the_budget_stops_being_shared_when_the_work_ends(client, login, money):
    from app.engagements import services as engagements
    from app.money import services as money_services

    m = money
    money_services.share_budget_with_broker(m["acting"])
    db.session.commit()
    url = f"/broker/clients/{m['engagement'].id}/budget"
    login(m["broker"].user)
    assert client.get(url).status_code == 200
    engagements.end_by_broker(m["broker"].user, m["engagement"].id, "Your support is arranged.")
    db.session.commit()
    assert client.get(url).status_code == 404
    assert money_services.current_budget_consent(m["person"]) is None


def test_a_receipt_or_payment_form_used_before_a_reversal_records_nothing_again(client, login, money):
    m = money
    council = m["streams"]["council"]
    login(m["person"].user)
    url = f"{base(m)}/streams/{council.id}/receipts/new"
    data = {"key": _key_in(client.get(url).get_data(as_text=True)), "amount": "50.00", "reference": "WCC 77",
            **_date("received_on", today_in_london())}
    assert client.submit(url, data).status_code == 302
    receipt = ledger.receipts_of(council)[0]
    ledger.reverse_receipt(m["acting"], receipt.id, "Recorded against the wrong stream")
    db.session.commit()
    again = client.submit(url, data)
    assert again.status_code == 400 and "start again from a new form" in again.get_data(as_text=True)
    assert len(ledger.receipts_of(council)) == 2  # the first receipt of the world, and the reversed one

    invoice = send_invoice(m)
    payments.approve(m["acting"], invoice.id)
    db.session.commit()
    pay_url = f"{base(m)}/invoices/{invoice.id}/pay"
    pay = {"key": _key_in(client.get(pay_url).get_data(as_text=True)), f"share_{council.id}": "368.00",
           "reference": "OC-9", **_date("paid_on", today_in_london())}
    assert client.submit(pay_url, pay).status_code == 302
    payments.reverse_payment(m["acting"], db.session.scalar(select(Payment)).id, "The transfer failed")
    db.session.commit()
    again = client.submit(pay_url, pay)
    assert again.status_code == 400 and "start again from a new form" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1


def test_a_tiny_spend_does_not_break_the_money_runs_out_date(money):
    from app.money import services as money_services

    m = money
    council = m["streams"]["council"]
    invoice = payments.send_provider_invoice(m["maida_owner"], m["maida"].id, m["agreement"].id,
                                             payments.ProviderInvoiceDraft(m["agreement"].start_date,
                                                                           m["agreement"].start_date, 1, 2300))
    payments.approve(m["acting"], invoice.id)
    payments.pay_manually(m["acting"], invoice.id, payments.ManualPayment(
        [payments.Share(council.id, invoice.total_pence)], "OC-1", today_in_london(), key=key()))
    db.session.commit()
    figures = money_services.figures_for([council])[council.id]
    assert figures.spent == invoice.total_pence and figures.runs_out_on is None


def test_the_home_page_says_what_invoices_wait_for_the_person(client, login, money):
    m = money
    invoice = send_invoice(m)
    login(m["person"].user)
    home = client.get("/").get_data(as_text=True)
    assert "Maida Vale Care sent an invoice for £368.00" in home and f"Invoice {invoice.number}" in home
    payments.approve(m["acting"], invoice.id)
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert f"Invoice {invoice.number} from Maida Vale Care is approved and waits to be paid" in home
    payments.pay_manually(m["acting"], invoice.id, payments.ManualPayment(
        [payments.Share(m["streams"]["council"].id, invoice.total_pence)], "OC-1", today_in_london(), key=key()))
    db.session.commit()
    assert invoice.number not in client.get("/").get_data(as_text=True)


def test_support_no_stream_may_pay_for_is_a_warning_on_the_money_page(client, login, money):
    m = money
    login(m["person"].user)
    assert "No funding stream may pay for" not in client.get(base(m)).get_data(as_text=True)
    # The council (the only stream that may pay for help at home) now pays for employment support only.
    travel = category("employment-support")
    ledger.funder_sets(m["officer"], m["streams"]["council"].id, allocation_pence=2_400_000,
                       category_ids=[travel.id], reason="Review: employment support only")
    db.session.commit()
    page = client.get(base(m)).get_data(as_text=True)
    assert "No funding stream may pay for help at home" in page


def test_more_received_than_the_allocation_is_a_notice(money):
    from app.money import services as money_services

    m = money
    atw = m["streams"]["atw"]  # £3,000
    ledger.record_receipt(m["acting"], atw.id, amount_pence=350_000, received_on=today_in_london(),
                          reference="DWP ATW 01", key=key())
    db.session.commit()
    warnings = [w.text for w in money_services.figures_for([atw])[atw.id].warnings]
    assert "£500.00 more has been received than the allocation of £3,000.00: check the money received, or ask the funder" in warnings
