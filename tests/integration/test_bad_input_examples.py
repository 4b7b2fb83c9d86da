"""The inputs the review found crashing pages, one by one, with the answer each now gets (the
whole portal is walked in test_bad_input.py)."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from app.core.models import Notification
from app.extensions import db
from tests.conftest import sign_in_as
from tests.factories import BrokerProfileFactory
from tests.integration.test_needs_and_offers import apply, clients, offer_of, post_need, publish

HUGE = "9" * 5000


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("value", ["2147483648", "9223372036854775808", "%C2%B2", "%D9%A3", HUGE, "0"])
def test_record_ids_beyond_the_database_or_not_ascii_are_not_found(client, value):
    assert client.get(f"/directory/services/{value}").status_code == 404
    assert client.get(f"/brokers/{value}").status_code == 404


def test_a_page_past_the_end_shows_the_last_page(client, holder):
    from app.core.notifications import notify

    for n in range(30):
        notify(holder, "invitations", f"Note {n}", "Body")
    db.session.commit()
    sign_in_as(client, holder)
    assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 30
    for page in ("9223372036854775807", "2147483648", HUGE):
        response = client.get(f"/notifications?page={page}")
        assert response.status_code == 200
        assert "Note 0" in text_of(response)  # the oldest: on the last page
    for page in ("%C2%B2", "%D9%A3", "-1", "abc"):
        response = client.get(f"/notifications?page={page}")
        assert response.status_code == 200
        assert "Note 29" in text_of(response)  # the newest: the first page


@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "9223372036854775808", HUGE])
def test_comparing_brokers_with_ids_that_are_not_ids_says_choose_one(client, value):
    response = client.get(f"/brokers/compare?broker={value}", follow_redirects=True)
    assert response.status_code == 200
    assert "Choose at least one broker to compare" in text_of(response)


def test_asking_a_broker_for_someone_with_a_nonsense_id_shows_the_form(app, client, holder, hub):
    from tests.factories import accredited_broker

    broker = accredited_broker(hub)
    sign_in_as(client, holder)
    for value in ("%C2%B2", "%D9%A3", HUGE, "9223372036854775808"):
        assert client.get(f"/brokers/{broker.id}/ask?for={value}").status_code == 200


def test_a_nul_in_the_query_string_is_a_clear_400(client):
    response = client.get("/directory?q=care%00home")
    assert response.status_code == 400
    assert "NUL character" in text_of(response)
    assert client.get("/hubs/no%00such").status_code == 404


# --- Forms --------------------------------------------------------------------------------------


def test_a_nul_in_a_text_field_is_refused_beside_the_field(app, world):
    c = clients(app, world)
    response = c["broker"].submit(f"/broker/clients/{world['engagement'].id}/needs/new",
                                  {"public_description": "Help in the\x00 mornings"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Description for providers contains a character that cannot be saved (a NUL character)" in page
    assert 'id="public_description-error"' in page  # beside the field, not only in the summary


@pytest.mark.parametrize(("value", "message"), [
    ("1e30", "Enter an amount in pounds, like 25 or 25.50"),
    ("NaN", "Enter an amount in pounds, like 25 or 25.50"),
    ("inf", "Enter an amount in pounds, like 25 or 25.50"),
    ("\u0663", "Enter an amount in pounds, like 25 or 25.50"),
    ("10000.01", "Enter an amount of £10,000 or less"),
    (HUGE, "Enter an amount of £10,000 or less"),
])
def test_money_fields_refuse_nonsense_and_huge_amounts(app, world, value, message):
    c = clients(app, world)
    response = c["broker"].submit(f"/broker/clients/{world['engagement'].id}/needs/new", {"max_rate": value})
    assert response.status_code == 400
    assert message in text_of(response)


def test_reopening_with_huge_numbers_is_explained_not_a_server_error(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    response = c["broker"].submit(f"/broker/needs/{need.id}/reopen",
                                  {"response_hours": HUGE, "max_rate": HUGE, "travel_supplement": "1e30",
                                   "invited_ids": ["\u00b2", HUGE]},
                                  form_url=f"/broker/needs/{need.id}")
    assert response.status_code == 400
    page = text_of(response)
    assert "Choose from the options shown" in page
    assert "Enter an amount of £10,000 or less" in page
    assert "Enter an amount in pounds, like 25 or 25.50" in page


def test_a_broker_profile_with_a_5000_digit_fee_is_explained(app, client, hub):
    from app.engagements.services import active_bands

    broker = BrokerProfileFactory(hub=hub)
    sign_in_as(client, broker.user)
    band = active_bands()[0]
    response = client.submit("/broker/application/profile", {
        "specialisms": ["learning_disability"], "languages": ["english"], "districts": [HUGE],
        "profile_text": "I help people plan.", "hourly_fee": HUGE, f"fee_band_{band.id}": HUGE})
    assert response.status_code == 400
    page = text_of(response)
    assert "Enter an amount of £10,000 or less" in page
    assert "Enter an amount of £1,000,000 or less" in page
    assert "Choose from the options shown" in page


def test_a_select_field_with_a_number_not_offered_says_choose_from_the_options(app, world):
    c = clients(app, world)
    for value in ("\u00b2", "\u0663", HUGE, "2147483648", "9223372036854775808"):
        response = c["broker"].submit(f"/broker/clients/{world['engagement'].id}/needs/new", {"category_id": value})
        assert response.status_code == 400
        assert "Choose from the options shown" in text_of(response), value


# --- An offer above the need's maximum ----------------------------------------------------------


def test_an_offer_above_the_needs_maximum_rate_warns_first(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)  # at most £26 an hour
    publish(c["broker"], need)
    response = apply(c["maida"], world["maida"], need, rate="26.01")
    assert response.status_code == 400
    assert ("Your rate of £26.01 an hour is above the most this need can pay (£26.00 an hour). You can still "
            "send it; the broker will see it is above the maximum.") in text_of(response)
    assert offer_of(world["maida"], need) is None
    assert apply(c["maida"], world["maida"], need, rate="26").status_code == 302


def test_the_refusal_names_the_travel_supplement_paid_on_top(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    need.travel_supplement_pence = 250
    db.session.commit()
    response = apply(c["maida"], world["maida"], need, rate="28")
    assert response.status_code == 400
    assert "The travel supplement of £2.50 an hour is paid on top of your rate." in text_of(response)
