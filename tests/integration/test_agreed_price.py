"""The price agreed when an engagement starts is kept on the engagement, ready for invoicing: a
broker changing their fees later does not change what a client already agreed to pay."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.brokers.models import BrokerFee
from app.core.timeutil import add_working_days, utcnow
from app.engagements import services as engagements
from app.engagements.models import BrokerRequest, Engagement
from app.extensions import db
from tests.conftest import sign_in_as
from tests.factories import BudgetHolderFactory, accredited_broker, band


@pytest.fixture
def broker(app, hub):
    """Charges £40 an hour, or £450 for Band A and £600 for Band B."""
    profile = accredited_broker(hub, name="Daniel Price")
    profile.fees = [BrokerFee(band_id=band("A").id, pence=45_000), BrokerFee(band_id=band("B").id, pence=60_000)]
    db.session.commit()
    return profile


def accepted(app, broker, person) -> Engagement:
    request = BrokerRequest(holder=person, broker=broker, sent_by_id=person.user_id,
                            respond_by=add_working_days(utcnow(), 5))
    db.session.add(request)
    db.session.commit()
    broker_client = sign_in_as(app.test_client(), broker.user)
    response = broker_client.submit(f"/broker/requests/{request.id}/accept", {},
                                    form_url=f"/broker/requests/{request.id}")
    assert response.status_code == 302
    return db.session.scalar(select(Engagement).where(Engagement.request_id == request.id))


def raise_fees(broker) -> None:
    broker.hourly_fee_pence = 5_000
    for fee in broker.fees:
        fee.pence += 10_000
    db.session.commit()


def test_accepting_a_request_keeps_the_price_agreed_when_the_broker_changes_their_fees(app, broker, hub_lead):
    person = BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor")
    engagement = accepted(app, broker, person)
    assert (engagement.agreed_band_fee_pence, engagement.agreed_hourly_fee_pence) == (45_000, 4_000)

    raise_fees(broker)
    db.session.expire_all()
    assert (engagement.agreed_band_fee_pence, engagement.agreed_hourly_fee_pence) == (45_000, 4_000)
    pages = [
        sign_in_as(app.test_client(), broker.user).get(f"/broker/clients/{engagement.id}"),
        sign_in_as(app.test_client(), person.user).get(f"/people/{person.id}/engagements/{engagement.id}"),
        sign_in_as(app.test_client(), hub_lead).get(f"/hub/engagements/{engagement.id}"),
    ]
    for page in pages:
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Agreed price" in text and "£450.00" in text and "£40.00 an hour" in text
        assert "£550.00" not in text and "£50.00 an hour" not in text


def test_a_new_client_record_agrees_the_price_too(app, broker):
    broker_client = sign_in_as(app.test_client(), broker.user)
    response = broker_client.submit("/broker/clients/new", {
        "name": "Peter Johnson", "district": "", "email": "", "consent_method": "verbal",
        "consent_note": "By phone on 20 November 2026."})
    assert response.status_code == 302
    engagement = db.session.scalar(select(Engagement).where(Engagement.broker_id == broker.id))
    assert (engagement.agreed_band_fee_pence, engagement.agreed_hourly_fee_pence) == (45_000, 4_000)


def test_an_approved_band_change_agrees_the_new_bands_fee_and_keeps_the_hourly_fee(app, broker, hub_lead):
    engagement = accepted(app, broker, BudgetHolderFactory())
    raise_fees(broker)
    change = engagements.request_band_change(broker.user, engagement.id, band("B").id, "Two funders.")
    db.session.commit()
    engagements.decide_band_change(hub_lead, change.id, approve=True, note="")
    db.session.commit()
    db.session.expire_all()
    assert engagement.band.code == "B"
    assert engagement.agreed_band_fee_pence == 70_000  # the broker's fee for Band B when it was approved
    assert engagement.agreed_hourly_fee_pence == 4_000  # as agreed at the start


def test_a_broker_without_fees_for_the_band_agrees_only_what_they_charge(app, hub):
    broker = accredited_broker(hub)  # an hourly fee of £40 and no band fees
    engagement = accepted(app, broker, BudgetHolderFactory())
    assert (engagement.agreed_band_fee_pence, engagement.agreed_hourly_fee_pence) == (None, 4_000)
    page = sign_in_as(app.test_client(), broker.user).get(f"/broker/clients/{engagement.id}").get_data(as_text=True)
    assert "£40.00 an hour" in page and "For Band A" not in page
