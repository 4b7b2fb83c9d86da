"""A verified provider that changes what was checked (a new regulated service, new districts, a
new CQC number) puts those parts back to the hub lead before needs there reach it; a hub lead
verifies only the districts of their own hub."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.core.models import Notification
from app.core.timeutil import today_in_london
from app.extensions import db
from app.needs import offers, posting
from app.search import services as search_service
from tests.conftest import sign_in_as
from tests.factories import (
    BudgetHolderFactory,
    HubFactory,
    HubLeadFactory,
    accredited_broker,
    agree_and_publish,
    category,
    engagement,
    provider,
)
from tests.integration.test_providers import profile_data


def need_for(hub, district: str, slug: str):
    broker = accredited_broker(hub)
    person = BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor")
    row = engagement(person, broker)
    need = posting.create_draft(broker.user, row.id, posting.NeedDetails(
        category_id=category(slug).id, district=district, schedule=[(0, "morning")], times_note="",
        minutes_per_week=300, start_date=today_in_london() + timedelta(days=3), end_date=None, required_skills=[],
        required_languages=[], worker_gender=None, double_up=False, driver=False, urgency="routine",
        max_hourly_rate_pence=2600, public_description="Help in the mornings."))
    agree_and_publish(broker.user, need)
    return need


def board_needs(organisation) -> set[int]:
    items = offers.board(organisation.staff[0].user, organisation.id, offers.BoardFilters())
    return {item.need.id for item in items}


def test_a_new_regulated_service_without_a_cqc_number_is_refused(app):
    organisation = provider("Friendly Help", services=("help-at-home",), districts=("W9",))
    client = sign_in_as(app.test_client(), organisation.staff[0].user)
    response = client.submit(f"/providers/{organisation.id}/profile", profile_data(
        regulated_personal_care="no", cqc_number="", districts="W9"))
    assert response.status_code == 400
    assert "Enter your CQC registration number" in response.get_data(as_text=True)
    assert {s.category.slug for s in organisation.services} == {"help-at-home"}


def test_added_services_and_districts_wait_for_the_hub_lead(app):
    west = HubFactory(districts=["W9", "W2"])
    west_lead = HubLeadFactory(hub=west).user
    east = HubFactory(districts=["E1"])
    east_lead = HubLeadFactory(hub=east).user
    organisation = provider("Friendly Help", services=("help-at-home",), districts=("W9",))
    care_in_w9 = need_for(west, "W9", "personal-care")
    help_in_w2 = need_for(west, "W2", "help-at-home")
    help_in_e1 = need_for(east, "E1", "help-at-home")
    assert board_needs(organisation) == set()

    client = sign_in_as(app.test_client(), organisation.staff[0].user)
    response = client.submit(f"/providers/{organisation.id}/profile", profile_data(districts="W9, W2, E1"))
    assert response.status_code == 302
    # Still verified for what was checked, but nothing new reaches it yet.
    assert organisation.is_verified and organisation.has_pending_changes
    assert organisation.served_district_codes == ["W9"] and organisation.pending_districts == ["E1", "W2"]
    assert board_needs(organisation) == set()
    assert organisation.id not in {o.id for o in posting.matching_providers(care_in_w9)}
    overview = client.get(f"/providers/{organisation.id}").get_data(as_text=True)
    assert "waiting for a hub lead" in overview and "W2" in overview
    # Each lead concerned is asked to check.
    for lead in (west_lead, east_lead):
        titles = db.session.scalars(select(Notification.title).where(Notification.user_id == lead.id)).all()
        assert any("please check it" in t for t in titles)
    # Not in the directory for the new parts either.
    results = search_service.search("", search_service.Filters(districts=["W2"], kinds=["provider"]))
    assert "Friendly Help" not in [hit.display.get("name") for hit in results.hits]

    # The west lead checks: its own districts and the services; E1 waits for the east lead.
    west_client = sign_in_as(app.test_client(), west_lead)
    assert "Changes to check" in west_client.get("/hub/providers").get_data(as_text=True)
    west_client.submit(f"/hub/providers/{organisation.id}", {"decision": "verify", "note": "CQC checked."})
    assert organisation.served_district_codes == ["W2", "W9"] and organisation.pending_districts == ["E1"]
    assert board_needs(organisation) == {care_in_w9.id, help_in_w2.id}
    east_client = sign_in_as(app.test_client(), east_lead)
    east_client.submit(f"/hub/providers/{organisation.id}", {"decision": "verify", "note": "Checked for E1."})
    assert organisation.pending_districts == []
    assert board_needs(organisation) == {care_in_w9.id, help_in_w2.id, help_in_e1.id}


def test_a_changed_cqc_number_puts_regulated_services_back_to_the_lead(app):
    west = HubFactory(districts=["W9"])
    HubLeadFactory(hub=west)
    organisation = provider("Maida Vale Care", services=("personal-care", "help-at-home"), districts=("W9",),
                            regulated_personal_care=True, cqc_number="1-101234567")
    care = need_for(west, "W9", "personal-care")
    assert care.id in board_needs(organisation)
    client = sign_in_as(app.test_client(), organisation.staff[0].user)
    client.submit(f"/providers/{organisation.id}/profile", profile_data(cqc_number="1-109999999", districts="W9"))
    assert [s.category.slug for s in organisation.pending_services] == ["personal-care"]
    assert care.id not in board_needs(organisation)


def test_open_data_publishes_only_what_the_hub_lead_checked(app, client):
    HubFactory(districts=["W9", "W2"])
    organisation = provider("Friendly Help", services=("help-at-home",), districts=("W9",))
    owner = sign_in_as(app.test_client(), organisation.staff[0].user)
    owner.submit(f"/providers/{organisation.id}/profile", profile_data(districts="W9, W2"))
    from app.openreferral.services import masked

    listed = client.get(f"/api/openreferral/services/{masked(organisation.uuid, 'provider-service')}")
    assert listed.status_code == 200, listed.get_data(as_text=True)[:500]
    data = listed.json
    assert [area["extent"] for area in data["service_areas"]] == ["W9"]
    names = {a["taxonomy_term"]["name"] for a in data["attributes"]}
    assert "Personal care" not in names and "Help at home" in names


def test_the_lead_can_decline_the_changes_and_keep_the_provider_verified(app):
    west = HubFactory(districts=["W9", "W2"])
    west_lead = HubLeadFactory(hub=west).user
    HubLeadFactory(hub=HubFactory(districts=["E1"]))
    organisation = provider("Friendly Help", services=("help-at-home",), districts=("W9",))
    owner = sign_in_as(app.test_client(), organisation.staff[0].user)
    owner.submit(f"/providers/{organisation.id}/profile", profile_data(districts="W9, W2, E1"))
    lead = sign_in_as(app.test_client(), west_lead)
    page = lead.get(f"/hub/providers/{organisation.id}").get_data(as_text=True)
    assert "do not accept the new services" in page
    no_reason = lead.submit(f"/hub/providers/{organisation.id}", {"decision": "decline_changes"})
    assert no_reason.status_code == 400 and "Say why" in no_reason.get_data(as_text=True)
    lead.submit(f"/hub/providers/{organisation.id}", {"decision": "decline_changes",
                                                      "note": "We could not find your CQC registration."})
    assert organisation.is_verified
    assert {s.category.slug for s in organisation.services} == {"help-at-home"}
    # Only this lead's district is declined; E1 still waits for its own hub's lead.
    assert organisation.district_codes == ["E1", "W9"] and organisation.pending_districts == ["E1"]
    told = db.session.scalars(select(Notification.title).where(
        Notification.user_id == organisation.staff[0].user_id)).all()
    assert any(t.startswith("Your hub lead did not accept") and "W2" in t for t in told)
    # Nothing is left for this lead to check, so the choice is not offered again.
    assert "do not accept the new services" not in lead.get(f"/hub/providers/{organisation.id}").get_data(as_text=True)
