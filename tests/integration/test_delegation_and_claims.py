"""People who help: delegated "can view" / "can act" access, shown as "by X on behalf of Y"
and revocable; records a broker creates for someone without a login, and claiming them."""

import re

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.models import AuditEvent
from app.engagements.models import BrokerRequest
from app.extensions import db
from app.holders.models import BudgetHolder, ConsentMethod, DelegationStatus
from tests.conftest import link_in_last_email, outbox, sign_in_as
from tests.factories import PASSWORD, BudgetHolderFactory, UserFactory, accredited_broker

NEW = "marmalade orbit lantern"


@pytest.fixture
def person(app):
    return BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor", district="W9")


def invite(client, person, email="ada@example.org", access="act"):
    return client.submit(f"/people/{person.id}/helpers/new", {"name": "Ada Okafor", "email": email,
                                                              "relationship": "daughter", "access": access})


def accept_as_new_account(app, email="ada@example.org"):
    helper = app.test_client()
    link = link_in_last_email(email, "/helpers/")
    response = helper.submit(link, {"name": "Ada Okafor", "password": NEW, "confirm_password": NEW})
    assert response.status_code == 302
    return helper


def test_helper_who_can_act_asks_a_broker_on_the_persons_behalf(app, client, login, person, hub):
    broker = accredited_broker(hub, name="Daniel Price")
    login(person.user)
    assert invite(client, person).status_code == 302
    assert "asked you to help them" in outbox("ada@example.org")[0].subject
    helper = accept_as_new_account(app)
    ada = db.session.scalar(select(User).where(User.email == "ada@example.org"))
    assert "People you help" in helper.get("/").get_data(as_text=True)
    assert "You are helping Grace Okafor" in helper.get(f"/people/{person.id}").get_data(as_text=True)

    page = helper.get(f"/brokers/{broker.id}/ask").get_data(as_text=True)
    holder_id = re.search(r'name="holder_id" value="(\d+)"', page).group(1)
    assert int(holder_id) == person.id
    response = helper.submit(f"/brokers/{broker.id}/ask", {"holder_id": holder_id, "help_wanted": ["planning"],
                                                           "message": "For my mum.", "consent": "y"})
    assert response.status_code == 302
    request = db.session.scalar(select(BrokerRequest))
    assert request.holder_id == person.id and request.sent_by_id == ada.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "broker_request.sent"))
    assert event.actor_id == ada.id and event.on_behalf_of_id == person.user_id and event.budget_holder_id == person.id
    # Everyone sees who did it for whom.
    assert "by Ada Okafor on behalf of Grace Okafor" in sign_in_as(app.test_client(), broker.user).get(
        f"/broker/requests/{request.id}").get_data(as_text=True)
    assert "sent by Ada Okafor on behalf of Grace Okafor" in client.get(f"/people/{person.id}").get_data(as_text=True)


def test_view_only_helper_cannot_act(app, client, login, person, hub):
    broker = accredited_broker(hub)
    login(person.user)
    invite(client, person, access="view")
    helper = accept_as_new_account(app)
    assert helper.get(f"/people/{person.id}").status_code == 200
    assert helper.get(f"/people/{person.id}/about").status_code == 403
    response = helper.submit(f"/brokers/{broker.id}/ask", {"holder_id": str(person.id), "help_wanted": ["planning"],
                                                           "message": "x", "consent": "y"},
                             form_url=f"/brokers/{broker.id}")
    assert response.status_code in (400, 403)
    assert db.session.scalar(select(BrokerRequest)) is None


def test_revoking_access_ends_it_at_once(app, client, login, person):
    login(person.user)
    invite(client, person)
    helper = accept_as_new_account(app)
    delegation = person.delegations[0]
    assert delegation.status == DelegationStatus.ACTIVE
    client.submit(f"/people/{person.id}/helpers/{delegation.id}/stop", {}, form_url=f"/people/{person.id}/helpers")
    assert delegation.status == DelegationStatus.REVOKED
    assert helper.get(f"/people/{person.id}").status_code == 404
    assert "People you help" not in helper.get("/").get_data(as_text=True)


def test_only_the_person_chooses_helpers(app, client, login, person):
    login(person.user)
    invite(client, person)
    helper = accept_as_new_account(app)
    response = helper.get(f"/people/{person.id}/helpers/new", follow_redirects=True)
    assert "Only the person themselves can choose who helps them" in response.get_data(as_text=True)


def test_invitation_for_someone_else_cannot_be_accepted(app, client, login, person):
    login(person.user)
    invite(client, person)
    link = link_in_last_email("ada@example.org", "/helpers/")
    intruder = sign_in_as(app.test_client(), UserFactory())
    response = intruder.submit(link, {})
    assert response.status_code == 400 and "This invitation is for ada@example.org" in response.get_data(as_text=True)
    assert person.delegations[0].status == DelegationStatus.INVITED


def test_existing_user_signs_in_to_accept(app, client, login, person):
    existing = UserFactory(email="ada@example.org")
    login(person.user)
    invite(client, person)
    link = link_in_last_email("ada@example.org", "/helpers/")
    helper = app.test_client()
    assert "Sign in" in helper.get(link).get_data(as_text=True)
    helper.submit(f"/sign-in?next={link}", {"email": existing.email, "password": PASSWORD})
    helper.submit(link, {})
    assert person.delegations[0].user_id == existing.id


def test_broker_creates_a_record_with_consent_and_the_person_claims_it(app, hub):
    broker = accredited_broker(hub, name="Tomasz Nowak")
    broker_client = sign_in_as(app.test_client(), broker.user)
    missing = broker_client.submit("/broker/clients/new", {"name": "Peter Johnson", "consent_method": "",
                                                           "consent_note": ""})
    page = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "Say how the person gave their consent" in page
    response = broker_client.submit("/broker/clients/new", {
        "name": "Peter Johnson", "district": "nw8", "email": "peter@example.org", "consent_method": "verbal",
        "consent_note": "By phone, 20 November 2026"})
    assert response.status_code == 302
    holder = db.session.scalar(select(BudgetHolder).where(BudgetHolder.name == "Peter Johnson"))
    assert holder.user_id is None and holder.district == "NW8" and holder.created_by_id == broker.user_id
    consent = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "consent.recorded"))
    assert consent.details["method"] == ConsentMethod.VERBAL.value
    assert "record is ready for you" in outbox("peter@example.org")[0].subject

    peter = app.test_client()
    link = link_in_last_email("peter@example.org", "/claim/")
    peter.submit(link, {"name": "Peter Johnson", "password": NEW, "confirm_password": NEW})
    assert holder.user is not None and holder.user.email == "peter@example.org"
    page = peter.get(f"/people/{holder.id}").get_data(as_text=True)
    assert "Your support" in page and "Tomasz Nowak" in page
    assert peter.get(link).status_code == 400  # used


def test_claim_link_for_an_account_that_already_has_a_record(app, hub, person):
    broker = accredited_broker(hub)
    broker_client = sign_in_as(app.test_client(), broker.user)
    broker_client.submit("/broker/clients/new", {"name": "Grace Again", "email": person.user.email,
                                                 "consent_method": "written", "consent_note": "Signed form"})
    link = link_in_last_email(person.user.email, "/claim/")
    response = sign_in_as(app.test_client(), person.user).submit(link, {})
    assert response.status_code == 400 and "already has its own budget holder record" in response.get_data(as_text=True)


def test_closing_an_account_ends_access_and_engagements(app, client, login, person, hub):
    from app.engagements.models import EngagementStatus
    from tests.factories import engagement

    broker = accredited_broker(hub)
    row = engagement(person, broker)
    login(person.user)
    invite(client, person)
    helper = accept_as_new_account(app)
    client.submit("/account/close", {"password": PASSWORD, "understood": "y"})
    assert person.delegations[0].status == DelegationStatus.REVOKED
    assert helper.get(f"/people/{person.id}").status_code == 404
    assert row.status == EngagementStatus.ENDED and "closed their account" in row.end_reason


def test_a_broker_closing_their_account_is_delisted_and_clients_told(app, hub, person):
    from app.brokers import rules
    from app.core.models import Notification
    from app.engagements.models import EngagementStatus
    from tests.factories import engagement

    broker = accredited_broker(hub)
    row = engagement(person, broker)
    sign_in_as(app.test_client(), broker.user).submit("/account/close", {"password": PASSWORD, "understood": "y"})
    assert not rules.is_accredited(broker)
    assert row.status == EngagementStatus.ENDED
    told = db.session.scalar(select(Notification).where(Notification.user_id == person.user_id))
    assert told.title == "Your broker has left OurChoice"
