"""Home and the person's page say what is waiting for them, each with a link to it."""

from __future__ import annotations

from app.core.timeutil import format_date
from tests.integration.test_needs_and_offers import broker_steps, clients, offered, post_need


def test_home_and_the_person_page_lead_to_what_is_waiting(app, world):
    c = clients(app, world)
    person_page = f"/people/{world['person'].id}"
    draft = post_need(c["broker"], world, agreed=False)
    for page in (c["person"].get("/").get_data(as_text=True), c["person"].get(person_page).get_data(as_text=True)):
        assert "check what will be shared" in page
        assert f"/people/{world['person'].id}/needs/{draft.id}/sharing" in page

    need, maida = offered(c, world, rival=True)
    home = c["person"].get("/").get_data(as_text=True)
    assert "2 offers for personal care so far" in home
    broker_steps(c, need, maida, "shortlist", "propose")
    home = c["person"].get("/").get_data(as_text=True)
    assert "Your broker recommends Maida Vale Care for personal care." in home
    assert f"/people/{world['person'].id}/needs/{need.id}\"" in home

    url = f"{person_page}/needs/{need.id}"
    c["person"].submit(f"{url}/offers/{maida.id}/accept", {}, form_url=url)
    agreement = need.agreements[0]
    page = c["person"].get(person_page).get_data(as_text=True)
    assert f"Maida Vale Care starts personal care on {agreement.start_date:%A} {format_date(agreement.start_date)}" in page
    assert f"/people/{world['person'].id}/agreements/{agreement.id}" in page
    assert "Your broker recommends" not in page


def test_the_hub_lead_home_says_what_is_waiting(app, world):
    from app.directory.models import Suggestion
    from app.extensions import db
    from app.needs import services as needs_services

    c = clients(app, world)
    home = c["lead"].get("/").get_data(as_text=True)
    assert "Waiting for you:" not in home
    need = post_need(c["broker"], world)
    c["broker"].submit(f"/broker/needs/{need.id}/publish", {"response_hours": "48", "visibility": "all_verified"},
                       form_url=f"/broker/needs/{need.id}")
    c["broker"].submit(f"/broker/needs/{need.id}/gap", {"gap-note": "Nobody speaks Yoruba in W9."},
                       form_url=f"/broker/needs/{need.id}")
    assert needs_services.hub_gaps(world["lead"])
    db.session.add(Suggestion(district="W9", proposed={"name": "Elgin Lunch Club", "description": "Lunch."},
                              suggested_by_id=world["person"].user_id))
    db.session.commit()
    home = c["lead"].get("/").get_data(as_text=True)
    assert "1 gap with no response yet" in home
    assert "1 directory suggestion waiting" in home
