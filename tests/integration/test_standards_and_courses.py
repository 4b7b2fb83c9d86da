"""Broker standards (versioned, accepted before taking new clients) and the course list."""

from sqlalchemy import select

from app.brokers import rules
from app.brokers.models import AccreditedCourse, StandardsAcceptance
from app.core.models import Notification
from app.engagements import services as engagements
from app.extensions import db
from tests.factories import BudgetHolderFactory, accredited_broker, engagement


def publish(client, text, summary=""):
    return client.submit("/admin/standards/new", {"text": text, "summary_of_changes": summary})


def test_brokers_accept_each_new_version_before_taking_new_clients(app, client, login, admin_user):
    broker = accredited_broker(name="Bea Broker")
    existing_client = BudgetHolderFactory()
    current = engagement(existing_client, broker)

    login(admin_user)
    assert publish(client, "1. The person is in charge.").status_code == 302
    assert not rules.availability(broker).can_take_new_clients
    assert "accept the latest broker standards" in rules.availability(broker).reason_not_available
    assert db.session.scalar(select(Notification).where(Notification.user_id == broker.user_id)).title == \
        "Broker standards version 1 has been published"

    broker_client = app.test_client()
    from tests.conftest import sign_in_as

    sign_in_as(broker_client, broker.user)
    page = broker_client.get("/broker/standards").get_data(as_text=True)
    assert "The person is in charge." in page
    broker_client.submit("/broker/standards/accept", {}, form_url="/broker/standards")
    assert rules.availability(broker).can_take_new_clients
    first = db.session.scalar(select(StandardsAcceptance))
    assert first.version.number == 1 and first.accepted_at is not None

    publish(client, "1. The person is in charge.\n2. Declare every link.", "Added rule 2")
    assert not rules.availability(broker).can_take_new_clients
    assert current.is_active  # existing clients are unaffected
    broker_client.submit("/broker/standards/accept", {}, form_url="/broker/standards")
    assert [a.version.number for a in broker.acceptances] == [1, 2]
    assert rules.availability(broker).can_take_new_clients
    again = broker_client.submit("/broker/standards/accept", {}, form_url="/broker/standards", follow_redirects=True)
    assert "already accepted version 2" in again.get_data(as_text=True)


def test_asking_needs_the_broker_to_have_accepted_the_current_standards(app, client, login, admin_user):
    broker = accredited_broker()
    login(admin_user)
    publish(client, "Be independent.")
    person = BudgetHolderFactory()
    reason = engagements.why_cannot_ask(person, broker)
    assert reason and "standards" in reason


def test_publishing_the_same_text_again_is_refused(client, login, admin_user):
    login(admin_user)
    publish(client, "Same text")
    response = publish(client, "Same text")
    assert response.status_code == 400 and "same as the current version" in response.get_data(as_text=True)


def test_admin_keeps_the_course_list(client, login, admin_user):
    login(admin_user)
    client.submit("/admin/courses/new", {"title": "Support Brokerage", "awarding_body": "Open College Network",
                                         "level": "Level 3"})
    course = db.session.scalar(select(AccreditedCourse))
    assert course.active
    duplicate = client.submit("/admin/courses/new", {"title": "support brokerage", "awarding_body": "open college network",
                                                     "level": "level 3"})
    assert duplicate.status_code == 400 and "already on the list" in duplicate.get_data(as_text=True)
    client.submit(f"/admin/courses/{course.id}/active", {}, form_url="/admin/courses")
    assert not course.active
    # A retired course is no longer offered to applicants.
    from app.brokers.application import active_courses

    assert course not in active_courses()
