"""Invitations: admins invite hub leads, funder officers and admins; hub leads invite brokers."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.errors import DomainError, NotFound
from app.core.models import AuditEvent, Notification
from app.core.roles import Role
from app.core.timeutil import utcnow
from app.extensions import db
from app.hubs.policies import hubs_led_by
from app.invitations import services
from app.invitations.models import Invitation
from tests.conftest import link_in_last_email, outbox, sign_in_as
from tests.factories import PASSWORD, FundingBodyFactory, HubFactory, UserFactory

NEW = "marmalade orbit lantern"


def invite_hub_lead(client, hub, email="lead@example.org"):
    return client.submit("/admin/invitations/new", {
        "name": "Lena Hubbard", "email": email, "role": "hub_lead", "hub_id": str(hub.id),
        "funding_body_id": ""})


def test_admin_invites_a_hub_lead_who_creates_an_account(app, client, login, admin_user, hub):
    login(admin_user)
    response = invite_hub_lead(client, hub)
    assert response.status_code == 302
    message = outbox("lead@example.org")[-1]
    assert "hub lead" in message.subject and hub.name in message.body_text

    newcomer = app.test_client()
    link = link_in_last_email("lead@example.org", "/invitations/")
    page = newcomer.get(link).get_data(as_text=True)
    assert "Create your account" in page and 'value="Lena Hubbard"' in page
    response = newcomer.submit(link, {"name": "Lena Hubbard", "password": NEW, "confirm_password": NEW})
    assert response.status_code == 302

    lead = db.session.scalar(select(User).where(User.email == "lead@example.org"))
    assert lead.is_verified and Role.HUB_LEAD in lead.roles and hubs_led_by(lead) == [hub]
    assert "Your hub" in newcomer.get("/").get_data(as_text=True)
    assert db.session.scalar(select(Notification).where(Notification.user_id == admin_user.id)).title == \
        "Lena Hubbard accepted your invitation"
    assert {"invitation.sent", "invitation.accepted"} <= set(db.session.scalars(select(AuditEvent.action)))
    # The link works once.
    again = app.test_client().get(link)
    assert again.status_code == 400 and "already been accepted" in again.get_data(as_text=True)


def test_funder_officer_invitation_needs_a_funding_body(client, login, admin_user):
    login(admin_user)
    response = client.submit("/admin/invitations/new", {
        "name": "Fay Fund", "email": "fay@example.org", "role": "funder_officer", "hub_id": "", "funding_body_id": ""})
    assert response.status_code == 400
    assert "Choose the funding body" in response.get_data(as_text=True)
    body = FundingBodyFactory()
    response = client.submit("/admin/invitations/new", {
        "name": "Fay Fund", "email": "fay@example.org", "role": "funder_officer", "hub_id": "",
        "funding_body_id": str(body.id)})
    assert response.status_code == 302
    assert db.session.scalar(select(Invitation)).funding_body == body


def test_existing_user_signs_in_to_accept(app, client, login, admin_user, hub):
    person = UserFactory(email="existing@example.org")
    login(admin_user)
    invite_hub_lead(client, hub, email="existing@example.org")
    link = link_in_last_email("existing@example.org", "/invitations/")

    visitor = app.test_client()
    page = visitor.get(link).get_data(as_text=True)
    assert "Sign in to accept" in page
    response = visitor.submit(f"/sign-in?next={link}", {"email": person.email, "password": PASSWORD})
    assert response.headers["Location"] == link
    visitor.submit(link, {})
    assert Role.HUB_LEAD in person.roles


def test_someone_else_signed_in_cannot_accept(app, client, login, admin_user, hub):
    login(admin_user)
    invite_hub_lead(client, hub)
    link = link_in_last_email("lead@example.org", "/invitations/")
    intruder = sign_in_as(app.test_client(), UserFactory())
    response = intruder.submit(link, {})
    assert response.status_code == 400 and "This invitation is for lead@example.org" in response.get_data(as_text=True)
    assert db.session.scalar(select(Invitation)).accepted_at is None


def test_expired_invitation(app, client, login, admin_user, hub):
    login(admin_user)
    invite_hub_lead(client, hub)
    link = link_in_last_email("lead@example.org", "/invitations/")
    invitation = db.session.scalar(select(Invitation))
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().get(link)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert "Expired" in client.get("/admin/invitations").get_data(as_text=True)


def test_withdrawn_invitation_and_resend_replaces_the_old_link(app, client, login, admin_user, hub):
    login(admin_user)
    invite_hub_lead(client, hub)
    first = link_in_last_email("lead@example.org", "/invitations/")
    invite_hub_lead(client, hub)
    second = link_in_last_email("lead@example.org", "/invitations/")
    assert app.test_client().get(first).status_code == 400
    pending = db.session.scalar(select(Invitation).where(Invitation.revoked_at.is_(None)))
    client.submit(f"/invitations/{pending.id}/withdraw", {}, form_url="/admin/invitations")
    response = app.test_client().get(second)
    assert response.status_code == 400 and "withdrawn" in response.get_data(as_text=True)


def test_hub_lead_invites_brokers_to_their_own_hub_only(client, login, hub_lead, hub):
    login(hub_lead)
    response = client.submit("/hub/invitations/new", {
        "name": "Bea Broker", "email": "bea@example.org", "hub_id": str(hub.id)})
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.role == Role.BROKER and invitation.hub_id == hub.id
    assert "bea@example.org" in client.get("/hub/invitations").get_data(as_text=True)

    other_hub = HubFactory()
    response = client.submit("/hub/invitations/new", {
        "name": "Bea Broker", "email": "bea2@example.org", "hub_id": str(other_hub.id)})
    assert response.status_code == 400  # not one of the choices
    with pytest.raises(DomainError):
        services.invite(hub_lead, services.NewInvitation("x@example.org", "X", Role.BROKER, hub_id=other_hub.id))
    with pytest.raises(DomainError):
        services.invite(hub_lead, services.NewInvitation("x@example.org", "X", Role.HUB_LEAD, hub_id=hub.id))


def test_broker_accepting_gets_a_profile_in_the_hub(app, client, login, hub_lead, hub):
    login(hub_lead)
    client.submit("/hub/invitations/new", {"name": "Bea Broker", "email": "bea@example.org", "hub_id": str(hub.id)})
    link = link_in_last_email("bea@example.org", "/invitations/")
    app.test_client().submit(link, {"name": "Bea Broker", "password": NEW, "confirm_password": NEW})
    bea = db.session.scalar(select(User).where(User.email == "bea@example.org"))
    assert bea.broker_profile.hub_id == hub.id


def test_hub_lead_cannot_withdraw_an_admins_invitation(client, login, admin_user, hub_lead, hub):
    invitation = services.invite(admin_user, services.NewInvitation("x@example.org", "X", Role.ADMIN))
    with pytest.raises(NotFound):
        services.revoke(hub_lead, invitation.id)
    login(hub_lead)
    response = client.submit(f"/invitations/{invitation.id}/withdraw", {}, form_url="/hub/invitations")
    assert response.status_code == 404
    assert invitation.revoked_at is None


def test_already_has_the_role(client, login, admin_user):
    login(admin_user)
    response = client.submit("/admin/invitations/new", {
        "name": admin_user.name, "email": admin_user.email, "role": "admin", "hub_id": "", "funding_body_id": ""})
    assert response.status_code == 400 and "already has that role" in response.get_data(as_text=True)


def test_invitation_form_errors(client, login, admin_user):
    login(admin_user)
    response = client.submit("/admin/invitations/new", {"name": "", "email": "not-an-email", "role": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("Enter the person", "Enter an email address in the correct format", "Choose the role"):
        assert message in page


def test_made_up_invitation_link(client):
    response = client.get("/invitations/made-up")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)
