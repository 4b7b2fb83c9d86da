"""The pages where the person (or a helper who can act for them) sets up their company, adds and
changes funding streams and records money received; and where a funder officer confirms a stream
and sets its allocation. Through the test client, CSRF on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.models import Notification
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.holders.models import DelegateAccess, Delegation, DelegationStatus
from app.ledger import services as ledger
from app.ledger.models import Company, FundingStream, Receipt, StreamChange
from tests.conftest import sign_in_as
from tests.factories import BudgetHolderFactory, FundingOfficerFactory, UserFactory, category
from tests.money_helpers import acting_for, company_and_streams, key


def d(day):
    return [str(day.day), str(day.month), str(day.year)]


def helps(user, holder, access=DelegateAccess.ACT, relationship=""):
    delegation = Delegation(holder=holder, user_id=user.id, email=user.email, name=user.name, access=access,
                            relationship_to_holder=relationship, status=DelegationStatus.ACTIVE,
                            invited_by_id=holder.user_id, accepted_at=utcnow(), expires_at=utcnow() + timedelta(days=14))
    db.session.add(delegation)
    db.session.commit()
    return delegation


@pytest.fixture
def grace(app):
    return BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor")


@pytest.fixture
def books(app, grace):
    company, streams, officer = company_and_streams(grace)
    return {"person": grace, "company": company, "streams": streams, "officer": officer,
            "client": sign_in_as(app.test_client(), grace.user), "base": f"/people/{grace.id}/money"}


def company_data(**overrides):
    data = {"name": "Grace Okafor Support Ltd", "kind": "limited", "companies_house_number": "01234567",
            "manager": "self", "bank_account_name": "Grace Okafor Support Ltd", "bank_sort_code": "30-99-50",
            "bank_account_number": "31925678"}
    data.update(overrides)
    return data


def stream_data(**overrides):
    today = today_in_london()
    data = {"funding_body": "other", "funder_name": "Independent Living Fund Scotland",
            "name": "ILF award 2026", "allocation": "12,000", "starts_on": d(today - timedelta(days=10)),
            "ends_on": d(today + timedelta(days=355)), "schedule": "monthly"}
    data.update(overrides)
    return data


def form_key(html: str) -> str:
    match = re.search(r'name="key" type="hidden" value="([^"]+)"|name="key" value="([^"]+)"', html)
    assert match, "no one-off key on the form"
    return match.group(1) or match.group(2)


# --- The company ---------------------------------------------------------------------------------


def test_setting_up_a_limited_company_keeps_what_was_typed_and_never_shows_the_bank_details(app, grace):
    client = sign_in_as(app.test_client(), grace.user)
    url = f"/people/{grace.id}/money/company"
    page = client.get(url)
    assert page.status_code == 200
    assert "Set up your company" in page.get_data(as_text=True)

    refused = client.submit(url, company_data(companies_house_number="1234X"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "There is a problem" in html
    assert re.search(r'id="companies_house_number-error"[^>]*>\s*<span class="govuk-visually-hidden">Error:</span> '
                     r'Enter the Companies House number', html)
    assert 'value="1234X"' in html and 'value="Grace Okafor Support Ltd"' in html
    assert db.session.scalar(select(Company)) is None

    done = client.submit(url, company_data(companies_house_number="sc 123456"))
    assert done.status_code == 302 and done.location.endswith(f"/people/{grace.id}/money")
    company = db.session.scalar(select(Company))
    assert (company.companies_house_number, company.bank_sort_code, company.bank_account_number) == (
        "SC123456", "309950", "31925678")
    assert company.manager_delegation_id is None

    html = client.get(url).get_data(as_text=True)
    assert "Change your company details" in html
    assert "ending 5678" in html and "**-**-50" in html
    assert "31925678" not in html and "309950" not in html and "30-99-50" not in html.replace("like 30-99-50", "")
    assert 'id="bank_account_number" name="bank_account_number" type="text" value=""' in html
    assert "Leave these boxes empty to keep the account held now" in html


def test_empty_bank_boxes_keep_the_account_and_a_sort_code_without_dashes_works(app, books):
    client, person = books["client"], books["person"]
    url = f"{books['base']}/company"
    kept = client.submit(url, company_data(name="Grace's Support", kind="budget_account", companies_house_number="",
                                           bank_account_name="", bank_sort_code="", bank_account_number=""))
    assert kept.status_code == 302
    company = ledger.company_of(person)
    assert company.name == "Grace's Support" and company.companies_house_number is None
    assert (company.bank_sort_code, company.bank_account_number) == ("309950", "12345678")

    changed = client.submit(url, company_data(bank_account_name="New account", bank_sort_code="404784",
                                              bank_account_number="1111 2222"))
    assert changed.status_code == 302
    db.session.refresh(company)
    assert (company.bank_account_name, company.bank_sort_code, company.bank_account_number) == (
        "New account", "404784", "11112222")

    half = client.submit(url, company_data(bank_account_name="", bank_sort_code="40478", bank_account_number=""))
    html = half.get_data(as_text=True)
    assert half.status_code == 400
    assert "Enter the name on the bank account" in html and 'value="40478"' in html
    half = client.submit(url, company_data(bank_account_name="New account", bank_sort_code="40478",
                                           bank_account_number="11112222"))
    assert half.status_code == 400 and "Enter a sort code of 6 digits" in half.get_data(as_text=True)
    db.session.refresh(company)
    assert company.bank_sort_code == "404784"


def test_a_helper_who_can_act_sets_it_up_and_may_manage_the_money(app, grace):
    helper = UserFactory(name="Ada Okafor")
    delegation = helps(helper, grace, relationship="daughter")
    client = sign_in_as(app.test_client(), helper)
    url = f"/people/{grace.id}/money/company"
    html = client.get(url).get_data(as_text=True)
    assert "Set up Grace Okafor&#39;s company" in html
    assert "You, Ada Okafor (daughter)" in html
    assert client.submit(url, company_data(manager=str(delegation.id))).status_code == 302
    assert ledger.company_of(grace).manager_delegation_id == delegation.id

    stranger = helps(UserFactory(), BudgetHolderFactory())
    refused = client.submit(url, company_data(manager=str(stranger.id)))
    assert refused.status_code == 400 and "Choose from the options shown" in refused.get_data(as_text=True)
    assert ledger.company_of(grace).manager_delegation_id == delegation.id


def test_a_helper_who_can_only_view_is_refused_and_a_stranger_finds_nothing(app, books):
    person = books["person"]
    viewer = UserFactory()
    helps(viewer, person, access=DelegateAccess.VIEW)
    viewing = sign_in_as(app.test_client(), viewer)
    council = books["streams"]["council"]
    for url in (f"{books['base']}/company", f"{books['base']}/streams/new",
                f"{books['base']}/streams/{council.id}/edit", f"{books['base']}/streams/{council.id}/receipts/new"):
        assert viewing.get(url).status_code == 403, url
    refused = viewing.post(f"{books['base']}/company", data=company_data(name="Taken over Ltd",
                                                                          csrf_token=viewing.csrf_token("/")))
    assert refused.status_code == 403
    assert ledger.company_of(person).name == "Grace Okafor Support Ltd"

    stranger = sign_in_as(app.test_client(), UserFactory())
    assert stranger.get(f"{books['base']}/company").status_code == 404
    assert app.test_client().get(f"{books['base']}/company").status_code == 302


# --- Funding streams ---------------------------------------------------------------------------------


def test_adding_a_stream_of_a_funder_in_the_portal_asks_its_officers_to_confirm(app, books):
    client, base = books["client"], books["base"]
    body = books["streams"]["council"].funding_body
    html = client.get(f"{base}/streams/new").get_data(as_text=True)
    assert body.name in html and "Another funder, not on OurChoice" in html
    assert "one of its officers will confirm" in html

    done = client.submit(f"{base}/streams/new", stream_data(
        funding_body=str(body.id), funder_name="", name="Westminster budget 2027",
        category_ids=[str(category("personal-care").id)]))
    assert done.status_code == 302
    stream = db.session.scalar(select(FundingStream).where(FundingStream.name == "Westminster budget 2027"))
    assert done.location.endswith(f"{base}/streams/{stream.id}")
    assert stream.funding_body_id == body.id and not stream.is_confirmed
    assert stream.allocation_pence == 1_200_000 and stream.category_ids == [category("personal-care").id]
    told = db.session.scalars(select(Notification).where(Notification.user_id == books["officer"].id)).all()
    assert any("Westminster budget 2027" in n.body for n in told)
    assert f"{body.name} has been asked to confirm it" in client.get(done.location).get_data(as_text=True)


def test_adding_a_stream_of_a_funder_outside_the_portal(app, books):
    client, base = books["client"], books["base"]
    missing = client.submit(f"{base}/streams/new", stream_data(funder_name="", ends_on=d(today_in_london() - timedelta(days=30))))
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400
    assert "Enter the funder&#39;s name" in html and "The end date must be after the start date" in html
    assert 'value="ILF award 2026"' in html and 'value="12,000"' in html

    done = client.submit(f"{base}/streams/new", stream_data())
    assert done.status_code == 302
    stream = db.session.scalar(select(FundingStream).where(FundingStream.name == "ILF award 2026"))
    assert stream.funding_body_id is None and stream.funder_name == "Independent Living Fund Scotland"
    assert stream.category_ids == [] and stream.schedule.value == "monthly"


def test_without_a_company_the_person_is_sent_to_set_one_up_first(app, grace):
    client = sign_in_as(app.test_client(), grace.user)
    response = client.get(f"/people/{grace.id}/money/streams/new")
    assert response.status_code == 302 and response.location.endswith(f"/people/{grace.id}/money/company")


def test_changing_a_stream_needs_a_reason_and_is_kept(app, books):
    client, base, nhs = books["client"], books["base"], books["streams"]["nhs"]
    url = f"{base}/streams/{nhs.id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert 'value="6000.00"' in html and 'value="NHS North West London"' in html
    assert "Why are you changing it?" in html

    fields = {"funder_name": "NHS North West London", "name": nhs.name, "allocation": "6500",
              "starts_on": d(nhs.starts_on), "ends_on": d(nhs.ends_on), "schedule": "monthly",
              "category_ids": [str(category("personal-care").id)]}
    refused = client.submit(url, {**fields, "reason": "  "})
    assert refused.status_code == 400 and "Say why you are changing it" in refused.get_data(as_text=True)
    db.session.refresh(nhs)
    assert nhs.allocation_pence == 600_000

    done = client.submit(url, {**fields, "reason": "New award letter of 3 November"})
    assert done.status_code == 302 and done.location.endswith(f"{base}/streams/{nhs.id}")
    db.session.refresh(nhs)
    assert nhs.allocation_pence == 650_000
    change = db.session.scalars(select(StreamChange).where(StreamChange.stream_id == nhs.id)
                                .order_by(StreamChange.id.desc())).first()
    assert change.kind == "changed" and change.reason == "New award letter of 3 November" and not change.by_funder
    assert change.changes == {"allocation_pence": [600_000, 650_000]}


def test_a_stream_the_funder_confirmed_cannot_be_changed_by_the_person(app, books):
    client, base, council = books["client"], books["base"], books["streams"]["council"]
    url = f"{base}/streams/{council.id}/edit"
    assert "has not confirmed this funding yet" in client.get(url).get_data(as_text=True)
    ledger.funder_sets(books["officer"], council.id, allocation_pence=2_400_000, category_ids=[],
                       reason="Assessment of 3 November")
    db.session.commit()
    changes_before = db.session.scalar(select(db.func.count()).select_from(StreamChange))

    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Only {council.funder_label} can change this funding now" in html
    assert "If something is not right" in html and 'name="reason"' not in html

    refused = client.submit(url, {"name": "Bigger budget", "allocation": "99000", "starts_on": d(council.starts_on),
                                  "ends_on": d(council.ends_on), "schedule": "monthly", "reason": "I want more"})
    assert refused.status_code == 403
    db.session.refresh(council)
    assert council.name == "Westminster personal budget" and council.allocation_pence == 2_400_000
    assert db.session.scalar(select(db.func.count()).select_from(StreamChange)) == changes_before


# --- Money received ---------------------------------------------------------------------------------


def test_the_same_receipt_form_sent_twice_records_one_receipt(app, books):
    client, base, council = books["client"], books["base"], books["streams"]["council"]
    url = f"{base}/streams/{council.id}/receipts/new"
    html = client.get(url).get_data(as_text=True)
    today = today_in_london()
    assert f"For example, {today.day} {today.month} {today.year}" in html
    assert re.search(r'id="received_on-(day|month|year)"[^>]*value=', html) is None  # no date chosen for them
    one_off = form_key(html)
    data = {"key": one_off, "amount": "1,846.15", "received_on": d(today - timedelta(days=2)),
            "reference": "WCC DP 0425"}
    first = client.submit(url, data)
    again = client.submit(url, data)
    assert first.status_code == again.status_code == 302
    assert first.location.endswith(f"{base}/streams/{council.id}")
    receipts = db.session.scalars(select(Receipt)).all()
    assert len(receipts) == 1 and receipts[0].amount_pence == 184_615 and receipts[0].reference == "WCC DP 0425"
    assert "£1,846.15 received on" in client.get(first.location).get_data(as_text=True)


def test_a_wrong_receipt_is_refused_with_what_was_typed_kept(app, books):
    client, base, council = books["client"], books["base"], books["streams"]["council"]
    url = f"{base}/streams/{council.id}/receipts/new"
    one_off = form_key(client.get(url).get_data(as_text=True))
    refused = client.submit(url, {"key": one_off, "amount": "12.345",
                                  "received_on": d(today_in_london() + timedelta(days=3)), "reference": "WCC 1"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Amounts can only have up to 2 decimal places" in html
    assert 'value="12.345"' in html and 'value="WCC 1"' in html and form_key(html) == one_off
    future = client.submit(url, {"key": one_off, "amount": "12",
                                 "received_on": d(today_in_london() + timedelta(days=3)), "reference": "WCC 1"})
    assert future.status_code == 400 and "The date cannot be in the future" in future.get_data(as_text=True)
    no_reference = client.submit(url, {"key": one_off, "amount": "12", "received_on": d(today_in_london()),
                                       "reference": " "})
    assert no_reference.status_code == 400
    assert "Enter the reference on the bank statement" in no_reference.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Receipt)) == 0


def test_reversing_a_receipt_needs_a_reason_and_happens_once(app, books):
    client, base, council = books["client"], books["base"], books["streams"]["council"]
    receipt = ledger.record_receipt(acting_for(books["person"].user, books["person"]), council.id,
                                    amount_pence=200_000, received_on=today_in_london() - timedelta(days=5),
                                    reference="WCC DP 0001", key=key())
    db.session.commit()
    url = f"{base}/receipts/{receipt.id}/reverse"
    html = client.get(url).get_data(as_text=True)
    assert "£2,000.00" in html and "WCC DP 0001" in html and "Reverse this receipt" in html

    refused = client.submit(url, {"reason": ""})
    assert refused.status_code == 400 and "Say why this is being reversed" in refused.get_data(as_text=True)
    assert not receipt.is_reversed

    done = client.submit(url, {"reason": "Recorded against the wrong funding"})
    assert done.status_code == 302 and done.location.endswith(f"{base}/streams/{council.id}")
    db.session.refresh(receipt)
    assert receipt.is_reversed and receipt.transaction.reversal.reason == "Recorded against the wrong funding"

    again = client.submit(url, {"reason": "Again"})
    assert again.status_code == 400 and "This receipt has already been reversed" in again.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "This receipt was reversed on" in page and "Reverse this receipt" not in page


# --- The funder officer ---------------------------------------------------------------------------------


def test_the_funder_officer_confirms_and_sets_the_allocation_with_a_reason(app, books):
    person, council, officer = books["person"], books["streams"]["council"], books["officer"]
    client = sign_in_as(app.test_client(), officer)
    url = f"/funder/streams/{council.id}/allocation"
    html = client.get(url).get_data(as_text=True)
    assert "Grace Okafor" in html and "Westminster personal budget" in html and "Confirm and save" in html
    assert "£24,000.00" in html and f"{council.starts_on.day} {council.starts_on:%B %Y}" in html

    refused = client.submit(url, {"allocation": "25000", "reason": ""})
    assert refused.status_code == 400 and "Say why (for example" in refused.get_data(as_text=True)
    assert not council.is_confirmed

    personal_care = category("personal-care").id
    done = client.submit(url, {"allocation": "25,000", "category_ids": [str(personal_care)],
                               "reason": "Care assessment of 3 November"})
    assert done.status_code == 302 and done.location.endswith(f"/funder/streams/{council.id}")
    db.session.refresh(council)
    assert council.is_confirmed and council.allocation_pence == 2_500_000 and council.category_ids == [personal_care]
    change = db.session.scalars(select(StreamChange).where(StreamChange.stream_id == council.id)
                                .order_by(StreamChange.id.desc())).first()
    assert change.by_funder and change.kind == "confirmed" and change.reason == "Care assessment of 3 November"
    note = db.session.scalars(select(Notification).where(Notification.user_id == person.user_id)
                              .order_by(Notification.id.desc())).first()
    assert "confirmed Westminster personal budget" in note.title and "Care assessment of 3 November" in note.body

    html = client.get(url).get_data(as_text=True)
    assert "Change the allocation" in html and "Confirm and save" not in html


def test_an_officer_of_another_body_finds_nothing(app, books):
    council, nhs = books["streams"]["council"], books["streams"]["nhs"]
    other = sign_in_as(app.test_client(), FundingOfficerFactory().user)
    assert other.get(f"/funder/streams/{council.id}/allocation").status_code == 404
    mine = sign_in_as(app.test_client(), books["officer"])
    assert mine.get(f"/funder/streams/{nhs.id}/allocation").status_code == 404  # a funder outside the portal
    assert books["client"].get(f"/funder/streams/{council.id}/allocation").status_code == 403


def test_someone_elses_stream_and_receipt_are_not_found(app, books):
    client, base = books["client"], books["base"]
    ola = BudgetHolderFactory(name="Ola Bello")
    _, theirs, _ = company_and_streams(ola)
    receipt = ledger.record_receipt(acting_for(ola.user, ola), theirs["nhs"].id, amount_pence=5_000,
                                    received_on=today_in_london(), reference="NHS 1", key=key())
    db.session.commit()
    for url in (f"{base}/streams/{theirs['nhs'].id}/edit", f"{base}/streams/{theirs['nhs'].id}/receipts/new",
                f"{base}/receipts/{receipt.id}/reverse", f"/people/{ola.id}/money/company"):
        assert client.get(url).status_code == 404, url
    refused = client.submit(f"{base}/receipts/{receipt.id}/reverse", {"reason": "Not mine"},
                            form_url=f"{base}/company")
    assert refused.status_code == 404
    db.session.refresh(receipt)
    assert not receipt.is_reversed


def test_a_receipt_form_without_its_csrf_token_records_nothing(app, books):
    client, base, council = books["client"], books["base"], books["streams"]["council"]
    url = f"{base}/streams/{council.id}/receipts/new"
    one_off = form_key(client.get(url).get_data(as_text=True))
    refused = client.post(url, data={"key": one_off, "amount": "100", "received_on": d(today_in_london()),
                                     "reference": "WCC 2"})
    assert refused.status_code == 400
    assert db.session.scalar(select(db.func.count()).select_from(Receipt)) == 0


def test_the_same_add_funding_form_sent_twice_adds_one_stream(client, login, world):
    person = world["person"]
    ledger.set_up_company(acting_for(person.user, person), ledger.CompanyDetails(name="Grace Ltd", kind="budget_account"))
    db.session.commit()
    login(person.user)
    url = f"/people/{person.id}/money/streams/new"
    page = client.get(url).get_data(as_text=True)
    marker = 'name="key" type="hidden" value="'
    form_key = page[page.index(marker) + len(marker):].split('"')[0]
    data = {"key": form_key, "funding_body": "other", "funder_name": "Access to Work (DWP)", "name": "Access to Work",
            "allocation": "3000", "starts_on": ["1", "4", "2026"], "ends_on": ["31", "3", "2027"],
            "schedule": "quarterly"}
    first = client.submit(url, data)
    again = client.submit(url, data, form_url=url)
    assert first.status_code == 302 and again.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(FundingStream)) == 1
