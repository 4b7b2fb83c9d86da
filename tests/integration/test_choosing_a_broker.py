"""A budget holder finds, compares and asks a broker; the broker answers; requests lapse;
the person ends the engagement and can choose again."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEvent, Notification
from app.core.timeutil import add_working_days, utcnow
from app.engagements import tasks
from app.engagements.models import BrokerRequest, Engagement, EngagementStatus, RequestStatus
from app.extensions import db
from app.holders.models import Consent
from tests.conftest import sign_in_as
from tests.factories import BudgetHolderFactory, HubFactory, accredited_broker, engagement


@pytest.fixture
def hub(app):
    return HubFactory(name="Westminster Hub", districts=["W2", "W9", "NW8"])


@pytest.fixture
def brokers(hub):
    return {
        "daniel": accredited_broker(hub, name="Daniel Price", districts=["W9"], specialisms=["older_people"],
                                    languages=["english", "yoruba"]),
        "fatima": accredited_broker(hub, name="Fatima Rahman", districts=["W2"], specialisms=["autism"],
                                    languages=["english", "bengali"]),
        "full": accredited_broker(hub, name="Full Frances", districts=["W9"], max_clients=0),
        "hidden": accredited_broker(hub, name="Expired Eric", districts=["W9"], insurance_days_left=-3),
    }


@pytest.fixture
def person(app):
    return BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor", district="W9")


def names(page: str, brokers) -> set[str]:
    return {name for name in ("Daniel Price", "Fatima Rahman", "Full Frances", "Expired Eric") if name in page}


def test_directory_lists_accredited_brokers_with_filters(client, brokers):
    assert names(client.get("/brokers").get_data(as_text=True), brokers) == {"Daniel Price", "Fatima Rahman",
                                                                              "Full Frances"}
    assert names(client.get("/brokers?district=W2").get_data(as_text=True), brokers) == {"Fatima Rahman"}
    assert names(client.get("/brokers?specialism=older_people").get_data(as_text=True), brokers) == {
        "Daniel Price", "Full Frances"}
    assert names(client.get("/brokers?language=yoruba").get_data(as_text=True), brokers) == {"Daniel Price"}
    page = client.get("/brokers?district=W9&accepting=y").get_data(as_text=True)
    assert names(page, brokers) == {"Daniel Price"}
    assert "1 broker found" in page


def test_profile_shows_what_was_checked_but_no_contact_details(client, brokers):
    daniel = brokers["daniel"]
    page = client.get(f"/brokers/{daniel.id}").get_data(as_text=True)
    for text in ("DBS check", "Professional indemnity insurance", "Accreditation", "Checked by Westminster Hub",
                 "No links with any care provider or funder declared", "Older people", "Yoruba", "£40.00 an hour"):
        assert text in page, text
    assert daniel.user.email not in page
    assert client.get(f"/brokers/{brokers['hidden'].id}").status_code == 404


def test_compare_up_to_three(client, brokers):
    ids = [brokers[k].id for k in ("daniel", "fatima", "full")]
    page = client.get("/brokers/compare?" + "&".join(f"broker={i}" for i in ids)).get_data(as_text=True)
    assert names(page, brokers) == {"Daniel Price", "Fatima Rahman", "Full Frances"}
    four = client.get("/brokers/compare?" + "&".join(f"broker={i}" for i in [*ids, brokers["hidden"].id]),
                      follow_redirects=True)
    assert "You can compare up to 3 brokers" in four.get_data(as_text=True)


def ask(client, broker, **overrides):
    """Send the ask form, for the person the page offers (or `holder_id`, when it offers nobody)."""
    data = {"holder_id": "", "help_wanted": ["planning", "organising"], "message": "I need help at home.",
            "consent": "y"}
    data.update(overrides)
    if not data["holder_id"]:
        page = client.get(f"/brokers/{broker.id}/ask").get_data(as_text=True)
        data["holder_id"] = re.search(r'name="holder_id" value="(\d+)"', page).group(1)
    return client.submit(f"/brokers/{broker.id}/ask", data, form_url=f"/brokers/{broker.id}")


def no_form(page: str) -> bool:
    return 'name="help_wanted"' not in page and "Send request" not in page


def test_asking_a_broker_and_the_broker_accepting(app, client, login, person, brokers):
    daniel = brokers["daniel"]
    login(person.user)
    response = ask(client, daniel)
    assert response.status_code == 302
    request = db.session.scalar(select(BrokerRequest))
    assert request.status == RequestStatus.PENDING and request.help_wanted == ["planning", "organising"]
    assert request.respond_by == add_working_days(request.created_at, 5)
    consent = db.session.get(Consent, request.consent_id)
    assert consent.broker_id == daniel.id and consent.withdrawn_at is None
    note = db.session.scalar(select(Notification).where(Notification.user_id == daniel.user_id))
    assert "Grace Okafor has asked you" in note.title

    broker_client = sign_in_as(app.test_client(), daniel.user)
    page = broker_client.get(f"/broker/requests/{request.id}").get_data(as_text=True)
    assert "I need help at home." in page and "W9" in page
    viewed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "client_record.viewed"))
    assert viewed.budget_holder_id == person.id and viewed.actor_id == daniel.user_id
    response = broker_client.submit(f"/broker/requests/{request.id}/accept", {}, form_url=f"/broker/requests/{request.id}")
    assert response.status_code == 302
    engagement_row = db.session.scalar(select(Engagement))
    assert engagement_row.holder_id == person.id and engagement_row.band.code == "A"
    assert engagement_row.allocated_minutes == 600
    assert request.status == RequestStatus.ACCEPTED
    overview = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Daniel Price" in overview and "0 minutes" in overview


def test_consent_and_help_are_required(client, login, person, brokers):
    login(person.user)
    response = ask(client, brokers["daniel"], consent="", help_wanted=[])
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "agree to share your details" in page and "Choose at least one kind of help" in page
    assert "I need help at home." in page  # the message typed is kept
    assert db.session.scalar(select(BrokerRequest)) is None


def test_one_request_at_a_time_and_withdrawing(client, login, person, brokers):
    login(person.user)
    ask(client, brokers["daniel"])
    waiting = "You already have a request waiting with Daniel Price. You can withdraw it to ask someone else."
    before = client.get(f"/brokers/{brokers['fatima'].id}/ask")
    assert before.status_code == 200 and waiting in before.get_data(as_text=True)
    assert no_form(before.get_data(as_text=True))
    assert f'href="/people/{person.id}"' in before.get_data(as_text=True)  # where the request can be withdrawn
    second = ask(client, brokers["fatima"], holder_id=str(person.id))  # sent anyway: the service refuses it
    assert second.status_code == 400 and waiting in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BrokerRequest)) == 1
    request = db.session.scalar(select(BrokerRequest))
    client.submit(f"/people/{person.id}/requests/{request.id}/withdraw", {}, form_url=f"/people/{person.id}")
    assert request.status == RequestStatus.WITHDRAWN
    assert db.session.get(Consent, request.consent_id).withdrawn_at is not None
    assert ask(client, brokers["fatima"]).status_code == 302


def test_a_full_broker_cannot_be_asked(client, login, person, brokers):
    login(person.user)
    full = brokers["full"]
    before = client.get(f"/brokers/{full.id}/ask").get_data(as_text=True)
    assert "Full Frances has no places left at the moment. You can ask another broker." in before
    assert no_form(before)
    assert "Ask this broker" not in client.get(f"/brokers/{full.id}").get_data(as_text=True)
    response = ask(client, full, holder_id=str(person.id))
    assert response.status_code == 400 and "no places left" in response.get_data(as_text=True)
    assert db.session.scalar(select(BrokerRequest)) is None


def test_declining_tells_the_person_why(app, client, login, person, brokers):
    daniel = brokers["daniel"]
    login(person.user)
    ask(client, daniel)
    request = db.session.scalar(select(BrokerRequest))
    broker_client = sign_in_as(app.test_client(), daniel.user)
    missing = broker_client.submit(f"/broker/requests/{request.id}/decline", {"reason": ""},
                                   form_url=f"/broker/requests/{request.id}")
    assert missing.status_code == 400 and "Tell the person why" in missing.get_data(as_text=True)
    broker_client.submit(f"/broker/requests/{request.id}/decline", {"reason": "I am full until March."},
                         form_url=f"/broker/requests/{request.id}")
    assert request.status == RequestStatus.DECLINED
    told = db.session.scalar(select(Notification).where(Notification.user_id == person.user_id))
    assert "cannot work with you" in told.title and "I am full until March." in told.body


def test_requests_get_a_reminder_then_lapse(app, client, login, person, brokers):
    login(person.user)
    ask(client, brokers["daniel"])
    request = db.session.scalar(select(BrokerRequest))
    assert tasks.remind_and_lapse_requests(now=request.created_at + timedelta(hours=1)) == (0, 0)
    almost = request.respond_by - timedelta(hours=20)
    assert tasks.remind_and_lapse_requests(now=almost) == (1, 0)
    assert tasks.remind_and_lapse_requests(now=almost) == (0, 0)  # once only
    assert tasks.remind_and_lapse_requests(now=request.respond_by + timedelta(minutes=1)) == (0, 1)
    assert request.status == RequestStatus.LAPSED
    told = db.session.scalar(select(Notification).where(Notification.user_id == person.user_id))
    assert "did not answer in time" in told.title
    # A lapsed request cannot be accepted.
    broker_client = sign_in_as(app.test_client(), brokers["daniel"].user)
    broker_client.submit(f"/broker/requests/{request.id}/accept", {}, form_url=f"/broker/requests/{request.id}")
    assert db.session.scalar(select(Engagement)) is None


def test_accepting_after_the_deadline_is_refused(app, client, login, person, brokers):
    login(person.user)
    ask(client, brokers["daniel"])
    request = db.session.scalar(select(BrokerRequest))
    request.respond_by = utcnow() - timedelta(minutes=1)
    db.session.commit()
    broker_client = sign_in_as(app.test_client(), brokers["daniel"].user)
    response = broker_client.submit(f"/broker/requests/{request.id}/accept", {}, form_url=f"/broker/requests/{request.id}",
                                    follow_redirects=True)
    assert "time to answer this request has passed" in response.get_data(as_text=True)


def test_ending_and_choosing_another_broker(app, client, login, person, brokers):
    first = engagement(person, brokers["daniel"])
    login(person.user)
    already = "You already work with Daniel Price. To choose another broker, end that work first."
    before = client.get(f"/brokers/{brokers['fatima'].id}/ask").get_data(as_text=True)
    assert already in before and no_form(before)
    assert f'href="/people/{person.id}/engagements/{first.id}"' in before
    blocked = ask(client, brokers["fatima"], holder_id=str(person.id))
    assert blocked.status_code == 400 and already in blocked.get_data(as_text=True)
    response = client.submit(f"/people/{person.id}/engagements/{first.id}/end", {"reason": "Moving away", "confirm": "y"})
    assert response.status_code == 302
    assert first.status == EngagementStatus.ENDED and first.ended_by_id == person.user_id
    assert ask(client, brokers["fatima"]).status_code == 302
    # Records stay with the person...
    overview = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Daniel Price" in overview and "Fatima Rahman" in overview
    # ...and the old broker no longer sees their details.
    old_broker = sign_in_as(app.test_client(), brokers["daniel"].user)
    page = old_broker.get(f"/broker/clients/{first.id}").get_data(as_text=True)
    shown = re.sub(r"<[^>]*>", " ", page)  # the words on the page, not tokens in its markup
    assert "Ended" in shown and not re.search(r"\bW9\b", shown)


def test_someone_elses_records_are_not_found(app, client, login, person, brokers):
    stranger = BudgetHolderFactory()
    login(stranger.user)
    assert client.get(f"/people/{person.id}").status_code == 404
    row = engagement(person, brokers["daniel"])
    assert client.get(f"/people/{person.id}/engagements/{row.id}").status_code == 404
    assert client.get(f"/people/{stranger.id}/engagements/{row.id}").status_code == 404


# --- Saying why not before the form, and whose profile it is ----------------------------------


def test_the_profile_of_your_own_broker_links_to_your_work_together(client, login, person, brokers):
    current = engagement(person, brokers["daniel"])
    login(person.user)
    page = client.get(f"/brokers/{brokers['daniel'].id}").get_data(as_text=True)
    assert "You already work with Daniel Price." in page and "Ask this broker" not in page
    assert f'href="/people/{person.id}/engagements/{current.id}">See your work with Daniel Price</a>' in page
    other = client.get(f"/brokers/{brokers['fatima'].id}").get_data(as_text=True)
    assert "You already work with Daniel Price. To choose another broker, end that work first." in other
    assert "Ask this broker" not in other
    asked = client.get(f"/brokers/{brokers['daniel'].id}/ask").get_data(as_text=True)
    assert "You already work with Daniel Price." in asked and no_form(asked)


def test_the_profile_says_a_request_is_waiting_before_any_form(client, login, person, brokers):
    login(person.user)
    ask(client, brokers["daniel"])
    page = client.get(f"/brokers/{brokers['fatima'].id}").get_data(as_text=True)
    assert "You already have a request waiting with Daniel Price. You can withdraw it to ask someone else." in page
    assert "Ask this broker" not in page
    same = client.get(f"/brokers/{brokers['daniel'].id}").get_data(as_text=True)
    assert "You already have a request waiting with Daniel Price. They will answer by" in same


def test_someone_without_a_budget_is_told_before_the_form(client, login, brokers, provider_user):
    login(provider_user)
    daniel = brokers["daniel"]
    page = client.get(f"/brokers/{daniel.id}").get_data(as_text=True)
    assert "Ask this broker" not in page
    assert "Only a person with a personal budget" in page and '"People who help you"' in page
    refused = client.get(f"/brokers/{daniel.id}/ask")
    assert refused.status_code == 403 and no_form(refused.get_data(as_text=True))
    assert "ask them to invite you from their own account" in refused.get_data(as_text=True)


def test_a_request_made_meanwhile_is_still_refused_when_the_form_is_sent(client, login, person, brokers):
    login(person.user)
    form_page = client.get(f"/brokers/{brokers['fatima'].id}/ask").get_data(as_text=True)
    assert 'name="help_wanted"' in form_page  # nothing stops it yet
    db.session.add(BrokerRequest(holder=person, broker=brokers["daniel"], message="", help_wanted=["planning"],
                                 sent_by_id=person.user_id, respond_by=utcnow() + timedelta(days=5)))
    db.session.commit()
    response = client.submit(f"/brokers/{brokers['fatima'].id}/ask",
                             {"holder_id": str(person.id), "help_wanted": ["planning"], "message": "Hello",
                              "consent": "y"}, form_url=f"/brokers/{brokers['fatima'].id}")
    assert response.status_code == 400
    assert "You already have a request waiting with Daniel Price" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BrokerRequest)) == 1


def test_the_broker_is_named_with_their_business(client, brokers):
    daniel = brokers["daniel"]
    daniel.trading_name = "Bright Path Brokerage"
    db.session.commit()
    both = "Daniel Price, Bright Path Brokerage"
    profile = client.get(f"/brokers/{daniel.id}").get_data(as_text=True)
    assert f'<h1 class="govuk-heading-l">{both}</h1>' in profile and f"<title>{both}, associate broker" in profile
    listing = client.get("/brokers").get_data(as_text=True)
    assert f">{both}</a></h3>" in listing and f"Compare {both}</label>" in listing
    compared = client.get(f"/brokers/compare?broker={daniel.id}&broker={brokers['fatima'].id}").get_data(as_text=True)
    assert f">{both}</a></th>" in compared
    assert ">Fatima Rahman</a></th>" in compared  # trading under their own name: said once
