"""Hubs: created by an admin with their lead invited; suspended, reopened and closed."""

from datetime import date

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.models import Notification
from app.engagements.models import BrokerRequest, RequestStatus
from app.extensions import db
from app.hubs import services
from app.hubs.models import Hub, HubStatus
from app.invitations.models import Invitation
from tests.conftest import outbox
from tests.factories import BudgetHolderFactory, HubFactory, accredited_broker, engagement

HUB = {
    "name": "Camden Hub", "districts": "nw1, NW3 ,NW5", "description": "North London",
    "agreement_start": ["1", "4", "2026"], "agreement_signed_on": ["12", "3", "2026"],
    "agreement_fee_arrangement": "8% of fees, quarterly", "agreement_reference": "CIL-AA-2026-020",
    "monthly_fee": "250", "fee_per_new_client": "40.50",
    "lead_name": "Lena Hubbard", "lead_email": "lena@example.org",
}


def test_admin_creates_a_hub_and_invites_its_lead(client, login, admin_user):
    login(admin_user)
    response = client.submit("/admin/hubs/new", HUB)
    assert response.status_code == 302
    hub = db.session.scalar(select(Hub).where(Hub.name == "Camden Hub"))
    assert hub.district_codes == ["NW1", "NW3", "NW5"] and hub.slug == "camden-hub"
    assert hub.agreement_start == date(2026, 4, 1) and hub.agreement_signed_on == date(2026, 3, 12)
    assert hub.agreement_reference == "CIL-AA-2026-020" and hub.status == HubStatus.ACTIVE
    assert (hub.monthly_fee_pence, hub.fee_per_new_client_pence, hub.agreement_end) == (25000, 4050, None)
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "lena@example.org" and invitation.hub_id == hub.id
    assert "hub lead" in outbox("lena@example.org")[0].subject
    page = client.get(f"/admin/hubs/{hub.id}").get_data(as_text=True)
    assert "CIL-AA-2026-020" in page and "Invited, not yet accepted" in page


@pytest.mark.parametrize(("districts", "message"), [
    ("W9, banana", "BANANA is not a postcode district"),
    ("", "Enter at least one postcode district"),
])
def test_hub_districts_are_checked(client, login, admin_user, districts, message):
    login(admin_user)
    response = client.submit("/admin/hubs/new", {**HUB, "districts": districts})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert 'value="Camden Hub"' in response.get_data(as_text=True)  # what was typed is kept


def test_a_district_belongs_to_one_hub(client, login, admin_user):
    HubFactory(name="Westminster Hub", districts=["W9"])
    login(admin_user)
    response = client.submit("/admin/hubs/new", {**HUB, "districts": "W9, NW1"})
    assert response.status_code == 400
    assert "Already covered by another hub: W9 (Westminster Hub)" in response.get_data(as_text=True)


def test_bad_agreement_date_is_explained(client, login, admin_user):
    login(admin_user)
    response = client.submit("/admin/hubs/new", {**HUB, "agreement_start": ["31", "2", "2026"]})
    assert response.status_code == 400
    assert "Agreement start date must be a real date" in response.get_data(as_text=True)


def test_edit_hub(client, login, admin_user):
    hub = HubFactory(districts=["NW1"])
    login(admin_user)
    response = client.submit(f"/admin/hubs/{hub.id}/edit", {
        "name": hub.name, "districts": "NW1, NW2", "agreement_fee_arrangement": "10%",
        "agreement_reference": "REF-2", "monthly_fee": "0", "fee_per_new_client": "12"})
    assert response.status_code == 302
    assert hub.district_codes == ["NW1", "NW2"] and hub.agreement_fee_arrangement == "10%"
    assert hub.fee_per_new_client_pence == 1200


def test_public_hub_page_lists_only_accredited_brokers(client):
    hub = HubFactory(name="Camden Hub", slug="camden", districts=["NW1"])
    listed = accredited_broker(hub, name="Listed Lucy")
    accredited_broker(hub, name="Expired Eve", insurance_days_left=-1)
    page = client.get("/hubs/camden").get_data(as_text=True)
    assert "Listed Lucy" in page and "Expired Eve" not in page
    assert "NW1" in page
    assert listed.user.email not in page


def test_suspending_a_hub_hides_its_brokers_and_tells_their_clients(app, client, login, admin_user):
    hub = HubFactory(districts=["NW1"])
    broker = accredited_broker(hub, name="Bea Broker")
    client_profile = BudgetHolderFactory()
    engagement(client_profile, broker)
    waiting = BudgetHolderFactory()
    db.session.add(BrokerRequest(holder=waiting, broker=broker, respond_by=client_profile.created_at,
                                 sent_by_id=waiting.user_id))
    db.session.commit()
    assert "Bea Broker" in client.get("/brokers").get_data(as_text=True)

    login(admin_user)
    response = client.submit(f"/admin/hubs/{hub.id}/status", {"status": "suspended", "reason": "Agreement under review."},
                             form_url=f"/admin/hubs/{hub.id}")
    assert response.status_code == 302
    assert hub.status == HubStatus.SUSPENDED
    assert "Bea Broker" not in client.get("/brokers").get_data(as_text=True)
    told = db.session.scalar(select(Notification).where(Notification.user_id == client_profile.user_id))
    assert "stopped trading" in told.title and told.link == "/brokers"
    request = db.session.scalar(select(BrokerRequest))
    assert request.status == RequestStatus.DECLINED and "not taking new clients" in request.decline_reason
    assert client.get(f"/brokers/{broker.id}").status_code == 404

    client.submit(f"/admin/hubs/{hub.id}/status", {"status": "active", "reason": ""}, form_url=f"/admin/hubs/{hub.id}")
    assert hub.status == HubStatus.ACTIVE
    assert "Bea Broker" in client.get("/brokers").get_data(as_text=True)


def test_suspending_needs_a_reason_and_closing_is_final(client, login, admin_user):
    hub = HubFactory()
    login(admin_user)
    response = client.submit(f"/admin/hubs/{hub.id}/status", {"status": "closed", "reason": ""},
                             form_url=f"/admin/hubs/{hub.id}")
    assert response.status_code == 400 and "Give the reason" in response.get_data(as_text=True)
    client.submit(f"/admin/hubs/{hub.id}/status", {"status": "closed", "reason": "Merged with Camden."},
                  form_url=f"/admin/hubs/{hub.id}")
    assert hub.status == HubStatus.CLOSED
    with pytest.raises(DomainError):
        services.change_status(admin_user, hub.id, HubStatus.ACTIVE, "")
    assert client.get(f"/hubs/{hub.slug}").status_code == 404


def test_an_agreement_cannot_end_before_it_starts_and_fees_cannot_be_negative(client, login, admin_user):
    login(admin_user)
    response = client.submit("/admin/hubs/new", {**HUB, "agreement_end": ["31", "3", "2026"], "monthly_fee": "-5"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Amounts cannot be negative" in page
    assert db.session.scalar(select(Hub).where(Hub.name == "Camden Hub")) is None
    response = client.submit("/admin/hubs/new", {**HUB, "agreement_end": ["31", "3", "2026"]})
    assert response.status_code == 400 and "The agreement cannot end before it starts" in response.get_data(as_text=True)
    assert 'value="250"' in response.get_data(as_text=True)  # what was typed is kept
