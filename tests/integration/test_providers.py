"""Provider organisations: profile, spare capacity, staff, verification by a hub lead, and the
service taxonomy."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.models import Notification
from app.core.timeutil import utcnow
from app.extensions import db
from app.providers import services
from app.providers.models import ProviderStaff
from app.taxonomy.models import ServiceCategory
from tests.conftest import link_in_last_email, sign_in_as
from tests.factories import HubFactory, HubLeadFactory, category, provider

PROFILE = {"name": "Maida Vale Home Care", "kind": "care_agency", "regulated_personal_care": "yes",
           "cqc_number": "1-101234567", "districts": "w9, W2", "double_up": "yes", "drivers": "no",
           "languages": ["english", "polish"], "skills": ["dementia"], "worker_genders": ["female"],
           "rate_from": "24", "rate_to": "28.50"}


def profile_data(**overrides):
    data = dict(PROFILE, category_ids=[str(category("personal-care").id), str(category("help-at-home").id)])
    data.update(overrides)
    return data


def test_provider_completes_their_profile(app):
    organisation = provider(services=(), districts=())
    client = sign_in_as(app.test_client(), organisation.staff[0].user)
    response = client.submit(f"/providers/{organisation.id}/profile", profile_data())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert organisation.cqc_number == "1-101234567" and organisation.district_codes == ["W2", "W9"]
    assert {c.category.slug for c in organisation.services} == {"personal-care", "help-at-home"}
    assert organisation.rate_from_pence == 2400 and organisation.rate_to_pence == 2850 and organisation.double_up


@pytest.mark.parametrize(("overrides", "message"), [
    ({"cqc_number": ""}, "Enter your CQC registration number"),
    ({"cqc_number": "12345"}, "CQC number in the correct format"),
    ({"districts": "W9, 12 Elgin Avenue"}, "enter postcode districts like W9"),
    ({"category_ids": []}, "Choose at least one service you offer"),
    ({"rate_from": "30", "rate_to": "20"}, "must not be less than the lowest"),
    ({"rate_from": "twenty"}, "Enter an amount in pounds"),
])
def test_profile_problems_are_explained(app, overrides, message):
    organisation = provider()
    client = sign_in_as(app.test_client(), organisation.staff[0].user)
    response = client.submit(f"/providers/{organisation.id}/profile", profile_data(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_spare_capacity_grid_and_staleness(app):
    organisation = provider(slots=())
    client = sign_in_as(app.test_client(), organisation.staff[0].user)
    client.submit(f"/providers/{organisation.id}/capacity", {"slots": ["0:morning", "6:night"]})
    assert organisation.available_slots == {(0, "morning"), (6, "night")}
    assert not services.capacity_is_stale(organisation)
    page = client.get(f"/providers/{organisation.id}/capacity").get_data(as_text=True)
    assert 'id="slots-0-morning" checked' in page and 'id="slots-0-evening" checked' not in page
    organisation.capacity_updated_at = utcnow() - timedelta(days=15)
    db.session.commit()
    assert services.capacity_is_stale(organisation)
    assert "out of date" in client.get(f"/providers/{organisation.id}").get_data(as_text=True)
    assert services.remind_stale_capacity() == 1
    assert services.remind_stale_capacity() == 0  # once, until they update it
    assert db.session.scalar(select(Notification).where(Notification.user_id == organisation.staff[0].user_id)) \
        .title == "Please update your spare capacity"


def test_owner_adds_and_removes_staff(app):
    organisation = provider()
    owner = sign_in_as(app.test_client(), organisation.staff[0].user)
    owner.submit(f"/providers/{organisation.id}/staff", {"name": "Kasia Nowak", "email": "kasia@example.org"})
    link = link_in_last_email("kasia@example.org", "/invitations/")
    newcomer = app.test_client()
    newcomer.submit(link, {"name": "Kasia Nowak", "password": "marmalade orbit lantern",
                           "confirm_password": "marmalade orbit lantern"})
    kasia = db.session.scalar(select(ProviderStaff).where(ProviderStaff.organisation_id == organisation.id,
                                                          ProviderStaff.is_owner.is_(False)))
    assert kasia.user.email == "kasia@example.org"
    # Staff who are not owners cannot add or remove staff.
    refused = newcomer.submit(f"/providers/{organisation.id}/staff", {"name": "X", "email": "x@example.org"})
    assert refused.status_code == 403
    owner.submit(f"/providers/{organisation.id}/staff/{kasia.id}/remove", {},
                 form_url=f"/providers/{organisation.id}/staff")
    assert newcomer.get(f"/providers/{organisation.id}").status_code == 403  # no longer provider staff at all
    assert [s.user.email for s in organisation.staff] == [organisation.staff[0].user.email]


def test_someone_elses_organisation_is_not_found(app):
    mine, theirs = provider(), provider()
    client = sign_in_as(app.test_client(), mine.staff[0].user)
    for url in (f"/providers/{theirs.id}", f"/providers/{theirs.id}/profile", f"/providers/{theirs.id}/capacity",
                f"/providers/{theirs.id}/staff"):
        assert client.get(url).status_code == 404, url
    response = client.submit(f"/providers/{mine.id}/staff/{theirs.staff[0].id}/remove", {},
                             form_url=f"/providers/{mine.id}/staff")
    assert response.status_code == 404


def test_hub_lead_verifies_providers_in_their_area(app):
    hub = HubFactory(districts=["W9", "W10"])
    lead = HubLeadFactory(hub=hub).user
    local = provider("Local Care", verified=False, districts=("W9",), cqc_number="1-101234567")
    far = provider("Far Care", verified=False, districts=("E1",))
    client = sign_in_as(app.test_client(), lead)
    page = client.get("/hub/providers").get_data(as_text=True)
    assert "Local Care" in page and "Far Care" not in page
    assert client.get(f"/hub/providers/{far.id}").status_code == 404
    client.submit(f"/hub/providers/{local.id}", {"decision": "verify", "note": "CQC and insurance checked"})
    assert local.is_verified and local.verified_by_id == lead.id
    told = db.session.scalar(select(Notification).where(Notification.user_id == local.staff[0].user_id))
    assert "now verified" in told.title


def test_regulated_care_without_cqc_cannot_be_verified(app):
    hub = HubFactory(districts=["W9"])
    lead = HubLeadFactory(hub=hub).user
    organisation = provider(verified=False, regulated_personal_care=True, cqc_number=None)
    client = sign_in_as(app.test_client(), lead)
    response = client.submit(f"/hub/providers/{organisation.id}", {"decision": "verify"})
    assert response.status_code == 400 and "has not given a CQC number" in response.get_data(as_text=True)


def test_admin_keeps_the_taxonomy(client, login, admin_user):
    login(admin_user)
    client.submit("/admin/categories/new", {"name": "Hairdressing at home", "regulated": "no", "active": "yes"})
    made = db.session.scalar(select(ServiceCategory).where(ServiceCategory.name == "Hairdressing at home"))
    assert made.slug == "hairdressing-at-home" and len(made.uuid) == 36
    duplicate = client.submit("/admin/categories/new", {"name": "personal care", "regulated": "no", "active": "yes"})
    assert duplicate.status_code == 400 and "already a category" in duplicate.get_data(as_text=True)
    client.submit(f"/admin/categories/{made.id}", {"name": "Hairdressing at home", "regulated": "no", "active": "no"})
    assert not made.active
