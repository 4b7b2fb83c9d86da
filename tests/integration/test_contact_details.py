"""Email addresses, web addresses and phone numbers in the directory: checked beside the field
in every form that takes them, checked again in the services (for data that arrives without a
form), and valid in the demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.contact_details import email_address, phone_number, web_address
from app.core.errors import DomainError
from app.directory import services
from app.directory.models import DirectoryEntry, Suggestion
from app.extensions import db
from tests.conftest import find_csrf, sign_in_as
from tests.factories import HubFactory, HubLeadFactory, category

BAD_EMAIL = "hello@carers-coffee-morning,-chelsea.example.org"
BAD_WEBSITE = "https://mind-in-the-west:-peer-support.example.org"
EMAIL_MESSAGE = "Enter an email address in the right format, like name@example.org"
WEBSITE_MESSAGE = "Enter a web address in the right format, like www.example.org"


@pytest.fixture
def lead(app):
    return HubLeadFactory(hub=HubFactory(districts=["W9", "W10"])).user


def service_form(**changes) -> dict:
    return {"name": "Elgin Tea Dance", "description": "A monthly tea dance with a live band.", "districts": "W9",
            "category_ids": [str(category("befriending").id)], "is_free": "yes", **changes}


def test_a_suggestion_with_bad_contact_details_is_refused_beside_each_field(client, holder):
    sign_in_as(client, holder)
    response = client.submit("/directory/suggest", service_form(email=BAD_EMAIL, website=BAD_WEBSITE,
                                                                phone="7946 0123"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert EMAIL_MESSAGE in html and WEBSITE_MESSAGE in html
    assert "Enter the full phone number, including the area code, like 020 7946 0123" in html
    assert 'href="#email"' in html and 'href="#website"' in html and 'href="#phone"' in html  # the error summary
    assert f'value="{BAD_WEBSITE}"' in html  # what they typed stays, to correct
    assert db.session.scalar(select(Suggestion)) is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("website", "javascript:alert(1)", "Enter a web address that starts with https:// or http://"),
    ("website", "https://user:secret@example.org", WEBSITE_MESSAGE),
    ("website", "https://192.168.0.1/admin", WEBSITE_MESSAGE),
    ("phone", "020 7946 0123 ext 4", "Enter a phone number using only numbers, spaces, brackets, hyphens and +"),
    ("phone", "020 7946 01", "Enter a UK phone number with 10 or 11 digits"),
    ("email", "name@example", EMAIL_MESSAGE),
])
def test_each_kind_of_mistake_gets_a_plain_message(client, holder, field, value, message):
    sign_in_as(client, holder)
    response = client.submit("/directory/suggest", service_form(**{field: value}))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_good_contact_details_are_kept_tidied(client, holder):
    sign_in_as(client, holder)
    response = client.submit("/directory/suggest", service_form(
        email=" Hello@TeaDance.Example.ORG ", website="www.teadance.example.org/june", phone="+44 (0)20  7946 0123"))
    assert response.status_code == 302
    proposed = db.session.scalar(select(Suggestion)).proposed
    assert (proposed["email"], proposed["website"], proposed["phone"]) == (
        "Hello@teadance.example.org", "https://www.teadance.example.org/june", "+44 (0)20 7946 0123")


def test_the_hub_leads_entry_form_checks_contact_details(client, lead):
    sign_in_as(client, lead)
    response = client.submit("/hub/directory/entries/new", service_form(website=BAD_WEBSITE, email=BAD_EMAIL))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert WEBSITE_MESSAGE in html and EMAIL_MESSAGE in html
    assert db.session.scalar(select(DirectoryEntry)) is None


def test_a_suggestion_stored_with_a_bad_address_cannot_be_published_as_it_is(client, holder, lead):
    """Suggestions sent before the checks hold the old loose values: approving one asks for a fix."""
    proposed = {**service_form(), "is_free": True, "category_ids": [category("befriending").id], "email": BAD_EMAIL,
                "website": BAD_WEBSITE}
    suggestion = Suggestion(district="W9", proposed=proposed, suggested_by_id=holder.id)
    db.session.add(suggestion)
    db.session.commit()
    sign_in_as(client, lead)
    url = f"/hub/directory/suggestions/{suggestion.id}"
    page = client.get(url).get_data(as_text=True)
    token = find_csrf(page)
    form = {**service_form(email=BAD_EMAIL, website=BAD_WEBSITE), "csrf_token": token, "d-csrf_token": token,
            "d-decision": "approve"}
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert WEBSITE_MESSAGE in response.get_data(as_text=True)
    assert db.session.scalar(select(DirectoryEntry)) is None


@pytest.mark.parametrize(("field", "value"), [("email", BAD_EMAIL), ("website", BAD_WEBSITE),
                                              ("phone", "call us"), ("website", "example.org/" + "a" * 300)])
def test_the_services_check_contact_details_without_a_form(app, lead, field, value):
    details = services.EntryDetails(name="Tea Dance", description="Dancing.", category_ids=[category("befriending").id],
                                    districts="W9", **{field: value})
    with pytest.raises(DomainError) as raised:
        services.create_entry(lead, details)
    assert raised.value.field == field
    assert db.session.scalar(select(DirectoryEntry)) is None


def test_the_demo_directory_has_valid_contact_details(app):
    from app.demo import seed

    seed()
    entries = list(db.session.scalars(select(DirectoryEntry)))
    assert len(entries) > 50
    for entry in entries:
        assert email_address(entry.email) == entry.email
        assert web_address(entry.website) == entry.website
        assert phone_number(entry.phone) == entry.phone
    by_name = {e.name: e for e in entries}
    assert by_name["Carers' Coffee Morning, Chelsea"].email == "hello@carers-coffee-morning-chelsea.example.org"
    assert by_name["Mind in the West: Peer Support"].website == "https://mind-in-the-west-peer-support.example.org"
    assert by_name["Notting Hill Dementia Café"].website == "https://notting-hill-dementia-cafe.example.org"


def test_reseeding_mends_addresses_from_before_the_checks_and_changes_nothing_after(app):
    from app.demo import seed

    seed()
    coffee = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "Carers' Coffee Morning, Chelsea"))
    coffee.email, coffee.website = BAD_EMAIL, "https://carers-coffee-morning,-chelsea.example.org"
    knit = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "Knit and Natter"))
    knit.email = "knitting@maidahill.example.org"  # a hub lead's valid change is left alone
    db.session.commit()

    assert seed() == 0
    db.session.expire_all()
    coffee = db.session.get(DirectoryEntry, coffee.id)
    assert coffee.email == "hello@carers-coffee-morning-chelsea.example.org"
    assert coffee.website == "https://carers-coffee-morning-chelsea.example.org"
    assert db.session.get(DirectoryEntry, knit.id).email == "knitting@maidahill.example.org"
    before = {e.id: (e.email, e.website, e.phone, e.updated_at) for e in db.session.scalars(select(DirectoryEntry))}
    seed()
    db.session.expire_all()
    assert {e.id: (e.email, e.website, e.phone, e.updated_at)
            for e in db.session.scalars(select(DirectoryEntry))} == before
