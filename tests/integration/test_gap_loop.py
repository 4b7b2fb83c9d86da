"""The gap loop: a broker records a gap (with or without a posted need), needs unfilled after 3
days become gaps, the hub lead responds, and the broker and the person affected see the
response (the person in plain words) and are told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEvent
from app.core.timeutil import utcnow
from app.engagements.models import EngagementStatus
from app.extensions import db
from app.needs import posting
from app.needs import services as needs
from app.needs.models import Gap, GapReason
from tests.conftest import sign_in_as
from tests.factories import (
    BudgetHolderFactory,
    HubFactory,
    HubLeadFactory,
    accredited_broker,
    agree_and_publish,
    category,
    engagement,
    need_details,
)
from tests.integration.test_hub_lead_journey import text, titles


@pytest.fixture
def world(app):
    hub = HubFactory(name="Hub H", districts=["W9", "W10"])
    lead = HubLeadFactory(hub=hub).user
    broker = accredited_broker(hub, name="Bea Broker")
    person = BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor")
    eng = engagement(person, broker)
    return {"hub": hub, "lead": lead, "broker": broker, "person": person, "engagement": eng}


def _raise(client, world, **fields):
    data = {"engagement_id": str(world["engagement"].id), "category_id": str(category("befriending").id),
            "district": "w10", "needed": "An Arabic-speaking befriender, weekday mornings.",
            "happened": "The three services in W10 have no Arabic speakers.", **fields}
    return client.submit("/broker/gaps/new", data)


def test_a_broker_records_a_gap_and_the_hub_lead_is_told(client, world):
    sign_in_as(client, world["broker"].user)
    response = _raise(client, world)
    assert response.status_code == 302 and response.location.endswith("/broker/gaps")
    gap = db.session.scalar(select(Gap))
    assert (gap.hub_id, gap.broker_id, gap.holder_id, gap.district, gap.need_id) == (
        world["hub"].id, world["broker"].id, world["person"].id, "W10", None)
    assert gap.reason == GapReason.RAISED and gap.category.slug == "befriending"
    assert "Gap in W10: Befriending" in titles(world["lead"])
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "gap.raised"))
    page = text(client.get("/broker/gaps"))
    assert "Befriending in W10, " in page and ", for Grace Okafor" in page and "Waiting for your hub" in page


def test_a_gap_needs_every_part_and_keeps_what_was_typed(client, world):
    sign_in_as(client, world["broker"].user)
    response = _raise(client, world, district="not a district", needed="", category_id="")
    page = text(response)
    assert response.status_code == 400
    assert "Choose the kind of service that was needed" in page and "Say what was needed" in page
    assert "The three services in W10 have no Arabic speakers." in page  # kept
    other = engagement(BudgetHolderFactory(), accredited_broker(world["hub"], name="Other Broker"))
    response = _raise(client, world, engagement_id=str(other.id))
    assert response.status_code == 400 and "Choose from the options shown" in text(response)
    assert db.session.scalar(select(Gap)) is None


def test_the_response_reaches_the_broker_and_the_person_in_plain_words(client, world):
    sign_in_as(client, world["broker"].user)
    _raise(client, world)
    gap = db.session.scalar(select(Gap))
    sign_in_as(client, world["lead"])
    response = client.submit(f"/hub/gaps/{gap.id}", {f"g{gap.id}-response": "Asked two agencies to recruit "
                                                     "Arabic-speaking befrienders."}, form_url="/hub/gaps")
    assert response.status_code == 302
    assert "Your hub responded about the gap: Befriending in W10" in titles(world["broker"].user)
    assert "Your hub has looked at why befriending was hard to find" in titles(world["person"].user)
    sign_in_as(client, world["person"].user)
    page = text(client.get(f"/people/{world['person'].id}/needs"))
    assert "Support that was hard to find" in page
    assert "What they are doing" in page and "Asked two agencies to recruit Arabic-speaking befrienders." in page
    sign_in_as(client, world["broker"].user)
    assert "Asked two agencies to recruit Arabic-speaking befrienders." in text(client.get("/broker/gaps"))


def test_a_person_sees_no_gap_before_the_hub_has_responded(client, world):
    sign_in_as(client, world["broker"].user)
    _raise(client, world)
    sign_in_as(client, world["person"].user)
    assert "Support that was hard to find" not in text(client.get(f"/people/{world['person'].id}/needs"))


def test_an_unfilled_need_becomes_a_gap_of_its_brokers_hub_after_3_days(app, world):
    need = posting.create_draft(world["broker"].user, world["engagement"].id, need_details())
    agree_and_publish(world["broker"].user, need)
    db.session.commit()
    assert needs.flag_gaps(utcnow() + timedelta(days=2)) == 0
    assert needs.flag_gaps(utcnow() + timedelta(days=3, minutes=1)) == 1
    gap = need.gap
    assert (gap.hub_id, gap.broker_id, gap.holder_id, gap.category_id, gap.district) == (
        world["hub"].id, world["broker"].id, world["person"].id, need.category_id, "W9")
    assert gap.needed == need.public_description and gap.reason == GapReason.UNFILLED


def test_another_hubs_lead_cannot_respond(client, world):
    sign_in_as(client, world["broker"].user)
    _raise(client, world)
    gap = db.session.scalar(select(Gap))
    other_lead = HubLeadFactory(hub=HubFactory(districts=["NW1"])).user
    sign_in_as(client, other_lead)
    response = client.submit(f"/hub/gaps/{gap.id}", {f"g{gap.id}-response": "Not mine"}, form_url="/hub/gaps")
    assert response.status_code == 404 and gap.response == ""


def test_a_gap_about_someone_follows_them_to_their_new_broker(client, world):
    sign_in_as(client, world["broker"].user)
    _raise(client, world)
    gap = db.session.scalar(select(Gap))
    world["engagement"].status = EngagementStatus.ENDED
    db.session.commit()
    new_broker = accredited_broker(world["hub"], name="Nia New")
    engagement(world["person"], new_broker)
    sign_in_as(client, world["broker"].user)
    assert "Grace Okafor" not in text(client.get("/broker/gaps"))  # no longer their client
    sign_in_as(client, world["lead"])
    client.submit(f"/hub/gaps/{gap.id}", {f"g{gap.id}-response": "Recruiting befrienders."}, form_url="/hub/gaps")
    assert "Your hub responded about the gap: Befriending in W10" in titles(new_broker.user)
    assert "Your hub responded about the gap: Befriending in W10" not in titles(world["broker"].user)
    sign_in_as(client, new_broker.user)
    assert "Recruiting befrienders." in text(client.get("/broker/gaps"))


def test_the_same_gap_sent_twice_is_recorded_once(client, world):
    sign_in_as(client, world["broker"].user)
    assert _raise(client, world).status_code == 302
    again = _raise(client, world)
    assert again.status_code == 400 and "You have already recorded this gap" in text(again)
    assert db.session.scalar(select(func.count(Gap.id))) == 1
    assert _raise(client, world, needed="A Somali-speaking befriender.").status_code == 302  # another gap
