"""Support plans through the pages: writing (what was typed is kept beside each message), the
moves by the people allowed them, the comparison marked for screen readers, the easy-read and
print views, the funder's home, and the audit of every view by anyone but the owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.models import AuditEvent
from app.core.timeutil import today_in_london
from app.extensions import db
from app.plans import services as plans
from app.plans.models import PlanStatus
from tests.conftest import sign_in_as
from tests.plan_helpers import access_of, plan_world, signed, submitted, written_plan


@pytest.fixture
def w(app, world):
    return plan_world(world)


def client_of(app, user):
    return sign_in_as(app.test_client(), user)


def base(plan):
    return f"/people/{plan.holder_id}/plans/{plan.id}"


def test_the_broker_starts_a_plan_and_each_part_keeps_what_was_typed(app, w):
    broker = client_of(app, w["broker"].user)
    person = w["person"]
    page = broker.get(f"/people/{person.id}/plans/new")
    assert page.status_code == 200 and w["body"].name in page.get_data(as_text=True)
    assert broker.submit(f"/people/{person.id}/plans/new", {}).status_code == 400
    response = broker.submit(f"/people/{person.id}/plans/new", {"funding_body": str(w["body"].id)})
    assert response.status_code == 302
    plan = person_plan(person)
    too_long = "x" * 6001
    failed = broker.submit(f"{base(plan)}/sections/about_me", {"text": too_long})
    assert failed.status_code == 400 and "6000 characters or fewer" in failed.get_data(as_text=True)
    assert too_long in failed.get_data(as_text=True)
    assert broker.submit(f"{base(plan)}/sections/about_me", {"text": "I am Grace."}).status_code == 302
    money = broker.submit(f"{base(plan)}/sections/money", {"text": "I decide."})
    assert money.status_code == 400 and "Choose how the money is paid and managed" in money.get_data(as_text=True)
    start = broker.submit(f"{base(plan)}/sections/start", {"starts_on": ["31", "2", "2027"], "review_weeks": "6"})
    assert start.status_code == 400 and "31" in start.get_data(as_text=True)
    assert broker.get(f"{base(plan)}/sections/nonsense").status_code == 404
    db.session.expire_all()
    assert plan.sections == {"about_me": "I am Grace."}
    assert plan.edits[-1].user_id == w["broker"].user_id


def person_plan(person):
    from app.plans.models import SupportPlan

    return db.session.scalar(select(SupportPlan).where(SupportPlan.holder_id == person.id))


def test_a_line_form_keeps_what_was_typed_and_offers_her_streams(app, w):
    plan = written_plan(w)
    client = client_of(app, w["person"].user)
    page = client.get(f"{base(plan)}/lines/new").get_data(as_text=True)
    assert "Westminster personal budget" in page and "Access to Work" in page
    failed = client.submit(f"{base(plan)}/lines/new", {"need": "Cooking", "support": "A PA", "given_by": "provider",
                                                       "quantity": "3 hours", "cost": "12.345", "paid_by": "indicative"})
    html = failed.get_data(as_text=True)
    assert failed.status_code == 400 and "Cooking" in html and "12.345" in html
    ok = client.submit(f"{base(plan)}/lines/new", {"need": "Cooking", "support": "A PA", "given_by": "provider",
                                                   "quantity": "3 hours", "cost": "1,500", "paid_by": "indicative"})
    assert ok.status_code == 302
    db.session.expire_all()
    assert plan.lines[-1].cost_pence == 150_000


def test_submitting_needs_agreement_and_lists_what_is_missing(app, w):
    person = w["person"]
    client = client_of(app, person.user)
    client.submit(f"/people/{person.id}/plans/new", {"funding_body": str(w["body"].id)})
    plan = person_plan(person)
    page = client.get(f"{base(plan)}/submit").get_data(as_text=True)
    assert "Still to fill in" in page and "What happens in an emergency" in page
    refused = client.submit(f"{base(plan)}/submit", {"agree": "y"})
    assert refused.status_code == 400 and "cannot be submitted yet" in refused.get_data(as_text=True)
    assert person_plan(person).status == PlanStatus.DRAFT


def test_the_broker_cannot_submit_and_a_view_only_helper_cannot_change_anything(app, w):
    plan = written_plan(w)
    broker = client_of(app, w["broker"].user)
    assert broker.get(f"{base(plan)}/submit").status_code == 302  # nothing for a broker to submit
    assert broker.submit(f"{base(plan)}/submit", {"agree": "y"}, form_url=base(plan)).status_code == 403
    viewer = client_of(app, w["viewer"])
    assert viewer.get(base(plan)).status_code == 200
    assert viewer.get(f"{base(plan)}/sections/about_me").status_code == 403
    assert viewer.submit(f"{base(plan)}/messages", {"body": "Hello"}).status_code == 403
    db.session.expire_all()
    assert plan.status == PlanStatus.DRAFT and not plan.messages[1:]


def test_the_whole_journey_through_the_pages(app, w):
    plan = written_plan(w, start=today_in_london())
    person, officer = client_of(app, w["person"].user), client_of(app, w["officer"])
    assert officer.get(base(plan)).status_code == 404  # not submitted yet
    assert person.submit(f"{base(plan)}/submit", {"agree": "y"}).status_code == 302
    queue = officer.get("/funder").get_data(as_text=True)
    assert "Plans waiting for your answer" in queue and "Grace Okafor" in queue and "Today" in queue
    no_section = officer.submit(f"{base(plan)}/changes", {"reason": "More please"})
    assert no_section.status_code == 400 and "Choose the part or parts" in no_section.get_data(as_text=True)
    assert officer.submit(f"{base(plan)}/changes", {"sections": ["risks"],
                                                   "reason": "Say who checks the rail."}).status_code == 302
    page = person.get(base(plan)).get_data(as_text=True)
    assert "Changes asked for" in page and "Change asked for:</strong> Say who checks the rail." in page
    assert person.submit(f"{base(plan)}/sections/risks", {"text": "My PA checks the rail every Monday."}).status_code == 302
    assert person.submit(f"{base(plan)}/submit", {"agree": "y"}).status_code == 302
    assert officer.submit(f"{base(plan)}/approve", {}).status_code == 302
    assert person.submit(f"{base(plan)}/sign", {}).status_code == 400
    assert person.submit(f"{base(plan)}/sign", {"confirm": "y"}).status_code == 302
    assert "Sign version 2" in officer.get("/funder").get_data(as_text=True)
    assert officer.submit(f"{base(plan)}/sign", {"confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert plan.status == PlanStatus.ACTIVE
    compare = person.get(f"{base(plan)}/compare?a=1&b=2").get_data(as_text=True)
    assert '<del class="oc-removed"><span class="govuk-visually-hidden">Removed: </span>' in compare
    assert '<ins class="oc-added"><span class="govuk-visually-hidden">Added: </span>' in compare
    assert "Monday." in compare and "shower." in compare
    assert person.submit(f"{base(plan)}/early-review", {"reason": "I had a fall."}).status_code == 302
    form = officer.get(f"{base(plan)}/review").get_data(as_text=True)
    assert "Get up and dressed by 9 each morning" in form
    failed = officer.submit(f"{base(plan)}/review", {"notes": "Going well", "outcome_0": "met"})
    assert failed.status_code == 400 and "Going well" in failed.get_data(as_text=True)
    assert officer.submit(f"{base(plan)}/review", {"notes": "Going well", "outcome_0": "met",
                                                  "outcome_1": "not_met"}).status_code == 302
    db.session.expire_all()
    assert plan.status == PlanStatus.REVIEWED
    assert plan.open_review.due_on == today_in_london().replace(year=today_in_london().year + 1)


def test_the_easy_read_puts_her_own_words_first_and_the_print_view_has_the_signatures(app, w):
    plan = written_plan(w, start=today_in_london())
    signed(w, plan)
    client = client_of(app, w["person"].user)
    easy = client.get(f"{base(plan)}/easy-read").get_data(as_text=True)
    body = easy[easy.index("<h1"):]
    assert body.index("I want to live in my own flat") < body.index("This plan is about")
    assert "govuk-body-l" in easy and "We will check my plan on" in easy
    printed = client.get(f"{base(plan)}/print").get_data(as_text=True)
    assert plan.latest_version.content_hash in printed and "Change<span" not in printed


def test_the_funder_of_another_body_and_a_stranger_get_404_and_views_are_audited(app, w):
    from tests.factories import FundingOfficerFactory, UserFactory

    plan = written_plan(w)
    submitted(w, plan)
    for user in (FundingOfficerFactory().user, UserFactory()):
        client = client_of(app, user)
        for path in ("", "/easy-read", "/print", "/versions/1", "/compare"):
            assert client.get(base(plan) + path).status_code == 404
    officer = client_of(app, w["officer"])
    for path in ("", "/easy-read", "/print", "/versions/1"):
        assert officer.get(base(plan) + path).status_code == 200
    client_of(app, w["person"].user).get(base(plan))
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client_record.viewed",
                                                        AuditEvent.object_type == "SupportPlan")).all()
    assert sorted(e.details["view"] for e in views) == ["easy read", "plan", "print", "version 1"]
    assert {e.actor_id for e in views} == {w["officer"].id}


def test_the_funder_sets_an_indicative_budget_for_someone_their_body_funds(app, w):
    officer = client_of(app, w["officer"])
    url = f"/funder/people/{w['person'].id}/bodies/{w['body'].id}/budget"
    assert "Not set" in officer.get("/funder").get_data(as_text=True)
    assert officer.submit(url, {"amount": "0"}).status_code == 400
    assert officer.submit(url, {"amount": "20,000"}).status_code == 302
    assert "£20,000.00" in officer.get("/funder").get_data(as_text=True)
    plan = written_plan(w, cost=2_100_000)
    warning = client_of(app, w["person"].user).get(base(plan)).get_data(as_text=True)
    assert "The plan costs more than the money available" in warning
    assert "£1,000.00 more than the £20,000.00 available" in warning


def test_overdue_and_coming_reviews_on_the_funders_home(app, w):
    plan = written_plan(w, start=today_in_london())
    signed(w, plan)
    plan.open_review.due_on = today_in_london() - timedelta(days=3)
    db.session.commit()
    home = client_of(app, w["officer"]).get("/funder").get_data(as_text=True)
    assert "First review" in home and "Overdue" in home
    assert access_of(w["officer"], plan).role == "funder"


def test_the_persons_home_says_what_waits_on_a_plan(app, w):
    plan = written_plan(w)
    submitted(w, plan)
    home = client_of(app, w["person"].user)
    assert "asked for changes to your support plan" not in home.get("/").get_data(as_text=True)
    plans.ask_for_changes(access_of(w["officer"], plan), plan, ["risks"], "More, please.")
    db.session.commit()
    page = home.get("/").get_data(as_text=True)
    assert f"{w['body'].name} asked for changes to your support plan." in page
    helper_page = client_of(app, w["actor"]).get(f"/people/{w['person'].id}").get_data(as_text=True)
    assert f"{w['body'].name} asked for changes to Grace Okafor&#39;s support plan." in helper_page


def test_sign_and_review_pages_with_nothing_to_do_go_back_to_the_plan(app, w):
    plan = written_plan(w)
    client = client_of(app, w["person"].user)
    for path in ("/sign", "/review"):
        response = client.get(base(plan) + path)
        assert response.status_code == 302 and response.headers["Location"].endswith(base(plan))


def test_an_approval_from_a_page_showing_an_older_version_is_refused(app, w):
    plan = written_plan(w)
    submitted(w, plan)
    officer = client_of(app, w["officer"])
    response = officer.submit(f"{base(plan)}/approve", {"version": "2"}, form_url=base(plan), follow_redirects=True)
    assert "Version 1 has been submitted since you opened this page" in response.get_data(as_text=True)
    db.session.expire_all()
    assert plan.status == PlanStatus.SUBMITTED
    assert officer.submit(f"{base(plan)}/approve", {"version": "1"}, form_url=base(plan)).status_code == 302
    db.session.expire_all()
    assert plan.status == PlanStatus.APPROVED


def test_the_print_of_a_draft_carries_no_signatures(app, w):
    plan = written_plan(w, start=today_in_london())
    signed(w, plan)
    person = access_of(w["person"].user, plan)
    plans.start_new_version(person, plan)
    plans.save_section(person, plan, "about_me", "A new draft.")
    db.session.commit()
    printed = client_of(app, w["person"].user).get(f"{base(plan)}/print").get_data(as_text=True)
    assert "A new draft." in printed and "A draft has no signatures" in printed
    assert plan.versions[0].content_hash not in printed


def test_a_message_email_says_who_wrote_but_not_what(app, w):
    from tests.conftest import outbox

    plan = written_plan(w)
    client_of(app, w["broker"].user).submit(f"{base(plan)}/messages", {"body": "Her diabetes needs a check at 8."},
                                            form_url=base(plan))
    emails = outbox(w["person"].user.email)
    assert emails and all("diabetes" not in (e.body_text + e.subject) for e in emails)
    assert "diabetes" in client_of(app, w["person"].user).get(base(plan)).get_data(as_text=True)


def test_starting_a_new_version_of_an_approved_plan_asks_first_and_says_what_is_lost(app, w):
    plan = written_plan(w)
    submitted(w, plan)
    plans.approve(access_of(w["officer"], plan), plan)
    db.session.commit()
    client = client_of(app, w["person"].user)
    page = client.get(f"{base(plan)}/new-version").get_data(as_text=True)
    assert "Version 1 has been approved" in page and "will not count for the new version" in page
    db.session.expire_all()
    assert plan.status == PlanStatus.APPROVED  # only reading the question changes nothing
    assert client.submit(f"{base(plan)}/new-version", {}).status_code == 302
    db.session.expire_all()
    assert plan.status == PlanStatus.DRAFT
    again = client.get(f"{base(plan)}/new-version")
    assert again.status_code == 302  # a draft has nothing to start


def test_the_funder_home_lists_approved_plans_waiting_for_the_persons_signature(app, w):
    plan = written_plan(w)
    submitted(w, plan)
    plans.approve(access_of(w["officer"], plan), plan)
    plans.sign(access_of(w["officer"], plan), plan, confirmed=True)
    db.session.commit()
    home = client_of(app, w["officer"]).get("/funder").get_data(as_text=True)
    assert "Grace Okafor’s signature" in home and "Sign version 1" not in home
