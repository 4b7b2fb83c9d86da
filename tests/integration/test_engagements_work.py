"""Brokerage work: time against the band, band changes, who sees which client, reviews."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.errors import NotFound
from app.core.models import AuditEvent
from app.core.reference import QUALITY_QUESTIONS
from app.core.timeutil import today_in_london
from app.engagements import services as engagements
from app.engagements.models import BandChangeStatus, ReviewStatus
from app.extensions import db
from tests.conftest import sign_in_as
from tests.factories import BudgetHolderFactory, HubFactory, HubLeadFactory, accredited_broker, band, engagement


@pytest.fixture
def setup(app, hub, hub_lead):
    broker = accredited_broker(hub, name="Daniel Price")
    person = BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor")
    return {"broker": broker, "person": person, "engagement": engagement(person, broker), "lead": hub_lead}


def d(day):
    return [str(day.day), str(day.month), str(day.year)]


def log(client, engagement_id, **overrides):
    data = {"worked_on": d(today_in_london()), "hours": "1", "minutes": "30", "function": "planning",
            "note": "Support plan draft"}
    data.update(overrides)
    return client.submit(f"/broker/clients/{engagement_id}/time", data)


def test_hours_used_are_seen_by_broker_person_and_hub_lead(app, setup):
    e = setup["engagement"]
    broker_client = sign_in_as(app.test_client(), setup["broker"].user)
    assert log(broker_client, e.id).status_code == 302
    assert log(broker_client, e.id, hours="0", minutes="45", function="informing").status_code == 302
    assert e.minutes_used == 135
    expected = "2 hours 15 minutes</strong> used of 10 hours"
    assert expected in broker_client.get(f"/broker/clients/{e.id}").get_data(as_text=True)
    person_client = sign_in_as(app.test_client(), setup["person"].user)
    page = person_client.get(f"/people/{setup['person'].id}/engagements/{e.id}").get_data(as_text=True)
    assert expected in page and "Support plan draft" in page
    lead_client = sign_in_as(app.test_client(), setup["lead"])
    assert expected in lead_client.get(f"/hub/engagements/{e.id}").get_data(as_text=True)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"worked_on": None}, "Enter the date you did the work"),
    ({"hours": "0", "minutes": "0"}, "Enter between 1 minute and 12 hours"),
    ({"hours": "13"}, "Hours must be between 0 and 12"),
    ({"hours": "one"}, "Hours must be a whole number"),
    ({"function": ""}, "Choose which kind of brokerage work"),
])
def test_time_entries_are_checked(app, setup, overrides, message):
    broker_client = sign_in_as(app.test_client(), setup["broker"].user)
    if overrides.get("worked_on", 1) is None:
        overrides["worked_on"] = ["", "", ""]
    response = log(broker_client, setup["engagement"].id, **overrides)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_time_cannot_be_in_the_future(app, setup):
    broker_client = sign_in_as(app.test_client(), setup["broker"].user)
    response = log(broker_client, setup["engagement"].id, worked_on=d(today_in_london() + timedelta(days=1)))
    assert "cannot be in the future" in response.get_data(as_text=True)


def test_time_past_the_band_is_logged_with_a_warning_and_the_band_change(app, setup):
    e = setup["engagement"]
    broker_client = sign_in_as(app.test_client(), setup["broker"].user)
    before = broker_client.get(f"/broker/clients/{e.id}/time").get_data(as_text=True)
    assert "You have logged 0 minutes of the 10 hours in Band A (10 hours left)" in before
    assert "Warning" not in before

    # Up to the band's hours: no warning.
    logged = log(broker_client, e.id, hours="10", minutes="0")
    assert logged.status_code == 302
    page = broker_client.get(logged.location).get_data(as_text=True)
    assert "Time logged." in page and "This takes" not in page and "is at 10 hours" not in page

    # Past them: the time is kept, and the broker is told, with the band change offered.
    logged = log(broker_client, e.id, hours="2", minutes="0")
    assert logged.status_code == 302
    assert e.minutes_used == 12 * 60
    page = broker_client.get(logged.location).get_data(as_text=True)
    assert "Time logged. This takes Grace Okafor to 12 hours of the 10 hours in Band A." in page
    assert "Grace Okafor is at 12 hours of the 10 hours in Band A, past the band's hours." in page
    band_link = f'href="/broker/clients/{e.id}/band">ask your hub lead for a higher band</a>'
    assert band_link in page
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "time.logged")
                               .order_by(AuditEvent.id.desc())).first()
    assert event.details["past_band"] is True

    assert "12 hours used, <strong>past the band's 10 hours</strong>." in broker_client.get(
        "/broker/clients").get_data(as_text=True)

    # Before logging more, the time page says so too.
    before = broker_client.get(f"/broker/clients/{e.id}/time").get_data(as_text=True)
    assert "Grace Okafor is at 12 hours of the 10 hours in Band A" in before and band_link in before
    logged = log(broker_client, e.id, hours="0", minutes="30")
    page = broker_client.get(logged.location).get_data(as_text=True)
    assert "This takes Grace Okafor to 12 hours 30 minutes of the 10 hours in Band A." in page

    # Once a higher band is asked for, the warning says it is waiting rather than offering it again.
    broker_client.submit(f"/broker/clients/{e.id}/band", {"to_band_id": str(band("B").id),
                                                          "reason": "Two funders to untangle."})
    page = broker_client.get(f"/broker/clients/{e.id}").get_data(as_text=True)
    assert "You asked your hub lead for Band B on" in page and band_link not in page


def test_past_the_highest_band_there_is_no_band_change_to_offer(app, setup):
    highest = engagement(BudgetHolderFactory(name="Ola Bello"), setup["broker"], band_code="C")
    broker_client = sign_in_as(app.test_client(), setup["broker"].user)
    for _ in range(3):
        assert log(broker_client, highest.id, hours="9", minutes="0").status_code == 302
    page = broker_client.get(f"/broker/clients/{highest.id}").get_data(as_text=True)
    assert "Ola Bello is at 27 hours of the 25 hours in Band C" in page
    assert "Band C is the highest band. Talk to your hub lead" in page


def test_band_change_decided_by_the_hub_lead(app, setup):
    e = setup["engagement"]
    broker_client = sign_in_as(app.test_client(), setup["broker"].user)
    no_reason = broker_client.submit(f"/broker/clients/{e.id}/band", {"to_band_id": str(band("B").id), "reason": ""})
    assert no_reason.status_code == 400
    broker_client.submit(f"/broker/clients/{e.id}/band", {"to_band_id": str(band("B").id),
                                                          "reason": "Two funders and a hospital discharge."})
    change = e.band_changes[0]
    assert change.status == BandChangeStatus.PENDING

    lead_client = sign_in_as(app.test_client(), setup["lead"])
    page = lead_client.get("/hub/band-changes").get_data(as_text=True)
    assert "Two funders and a hospital discharge." in page
    refused = lead_client.submit(f"/hub/band-changes/{change.id}", {f"c{change.id}-decision": "decline"},
                                 form_url="/hub/band-changes")
    assert refused.status_code == 400 and "Give the reason" in refused.get_data(as_text=True)
    lead_client.submit(f"/hub/band-changes/{change.id}", {f"c{change.id}-decision": "approve"},
                       form_url="/hub/band-changes")
    assert change.status == BandChangeStatus.APPROVED
    assert e.band.code == "B" and e.allocated_minutes == 15 * 60


def test_a_broker_sees_only_their_own_clients(app, setup, hub):
    other = accredited_broker(hub, name="Other Olu")
    other_client = sign_in_as(app.test_client(), other.user)
    e = setup["engagement"]
    for url in (f"/broker/clients/{e.id}", f"/broker/clients/{e.id}/time", f"/broker/clients/{e.id}/band",
                f"/broker/clients/{e.id}/end"):
        assert other_client.get(url).status_code == 404, url
    assert log(other_client, e.id).status_code == 404
    assert "Grace Okafor" not in other_client.get("/broker/clients").get_data(as_text=True)


def test_a_hub_lead_sees_only_their_own_hub(app, setup):
    e = setup["engagement"]
    other_lead = HubLeadFactory(hub=HubFactory()).user
    lead_client = sign_in_as(app.test_client(), other_lead)
    assert lead_client.get(f"/hub/engagements/{e.id}").status_code == 404
    assert "Grace Okafor" not in lead_client.get("/hub/engagements").get_data(as_text=True)
    assert lead_client.get(f"/hub/brokers/{setup['broker'].id}").status_code == 404


def test_every_view_of_a_client_record_is_audited(app, setup):
    e = setup["engagement"]
    sign_in_as(app.test_client(), setup["broker"].user).get(f"/broker/clients/{e.id}")
    sign_in_as(app.test_client(), setup["lead"]).get(f"/hub/engagements/{e.id}")
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client_record.viewed")).all()
    assert [(v.actor_id, v.budget_holder_id) for v in views] == [
        (setup["broker"].user_id, setup["person"].id), (setup["lead"].id, setup["person"].id)]
    assert views[1].details == {"as_role": "hub_lead"}


def review_answers(**overrides):
    data = {f"q_{key}": "yes" for key in QUALITY_QUESTIONS}
    data.update({"rating": "4", "comment": "Kind and patient."})
    data.update(overrides)
    return data


def test_review_after_the_end_moderated_then_replied_to_once(app, setup):
    e, person, broker = setup["engagement"], setup["person"], setup["broker"]
    person_client = sign_in_as(app.test_client(), person.user)
    early = person_client.get(f"/people/{person.id}/engagements/{e.id}/review")
    assert early.status_code == 302  # not before the end
    broker_client = sign_in_as(app.test_client(), broker.user)
    broker_client.submit(f"/broker/clients/{e.id}/end", {"reason": "Plan signed off."})
    assert "Tell us how it went" in person_client.get(f"/people/{person.id}").get_data(as_text=True)

    missing = person_client.submit(f"/people/{person.id}/engagements/{e.id}/review",
                                   review_answers(q_listened=None, rating=None))
    page = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "Answer this question" in page and "Choose a rating" in page
    assert "Kind and patient." in page
    person_client.submit(f"/people/{person.id}/engagements/{e.id}/review", review_answers(q_kept_informed="partly"))
    review = e.review
    assert review.rating == 4 and review.answers["kept_informed"] == "partly"
    assert review.status == ReviewStatus.PENDING
    public = app.test_client()
    assert "Kind and patient." not in public.get(f"/brokers/{broker.id}").get_data(as_text=True)

    lead_client = sign_in_as(app.test_client(), setup["lead"])
    lead_client.submit(f"/hub/reviews/{review.id}", {f"r{review.id}-decision": "publish"}, form_url="/hub/reviews")
    profile = public.get(f"/brokers/{broker.id}").get_data(as_text=True)
    assert "Kind and patient." in profile and "4.0 out of 5" in profile

    broker_client.submit(f"/broker/reviews/{review.id}/reply", {f"r{review.id}-reply": "Thank you, Grace."},
                         form_url="/broker/reviews")
    assert review.reply == "Thank you, Grace."
    # The reply is checked by the hub lead like the review, before anyone else sees it.
    assert review.reply_status == ReviewStatus.PENDING
    assert "Thank you, Grace." not in public.get(f"/brokers/{broker.id}").get_data(as_text=True)
    lead_client.submit(f"/hub/reviews/{review.id}/reply", {f"reply{review.id}-decision": "publish"},
                       form_url="/hub/reviews")
    assert review.reply_status == ReviewStatus.PUBLISHED
    assert "Thank you, Grace." in public.get(f"/brokers/{broker.id}").get_data(as_text=True)
    from app.core.errors import DomainError
    from app.engagements import reviews

    with pytest.raises(DomainError):
        reviews.reply(broker.user, review.id, "Another reply")
    # One review per engagement.
    again = person_client.get(f"/people/{person.id}/engagements/{e.id}/review")
    assert again.status_code == 302


def test_only_people_who_had_the_engagement_can_review(app, setup):
    e = setup["engagement"]
    stranger = BudgetHolderFactory()
    client = sign_in_as(app.test_client(), stranger.user)
    assert client.get(f"/people/{setup['person'].id}/engagements/{e.id}/review").status_code == 404
    assert client.get(f"/people/{stranger.id}/engagements/{e.id}/review").status_code == 404


def test_rejected_review_stays_off_the_profile(app, setup):
    e, person = setup["engagement"], setup["person"]
    sign_in_as(app.test_client(), setup["broker"].user).submit(f"/broker/clients/{e.id}/end", {"reason": "Done."})
    sign_in_as(app.test_client(), person.user).submit(f"/people/{person.id}/engagements/{e.id}/review",
                                                      review_answers(comment="Call Mr Smith on 0207..."))
    lead_client = sign_in_as(app.test_client(), setup["lead"])
    review = e.review
    lead_client.submit(f"/hub/reviews/{review.id}", {f"r{review.id}-decision": "reject",
                                                     f"r{review.id}-note": "Contains contact details."},
                       form_url="/hub/reviews")
    assert review.status == ReviewStatus.REJECTED
    assert "Mr Smith" not in app.test_client().get(f"/brokers/{setup['broker'].id}").get_data(as_text=True)


def test_admin_changes_band_hours(client, login, admin_user):
    login(admin_user)
    a = band("A")
    client.submit(f"/admin/bands/{a.id}", {"code": "A", "name": "Band A", "hours": "12", "active": "yes"})
    assert a.hours == 12
    client.submit("/admin/bands/new", {"code": "LD1", "name": "Learning disability task band", "hours": "6",
                                       "active": "yes"})
    assert band("LD1").hours == 6
    clash = client.submit("/admin/bands/new", {"code": "a", "name": "Dup", "hours": "3", "active": "yes"})
    assert clash.status_code == 400 and "already uses this code" in clash.get_data(as_text=True)


def test_a_reply_the_hub_lead_does_not_publish_is_never_shown_and_can_be_written_again(app, setup):
    from app.engagements import reviews

    e, broker, person = setup["engagement"], setup["broker"], setup["person"]
    engagements.end_by_broker(broker.user, e.id, "Work complete.")
    person_client = sign_in_as(app.test_client(), person.user)
    person_client.submit(f"/people/{person.id}/engagements/{e.id}/review", review_answers())
    review = e.review
    lead_client = sign_in_as(app.test_client(), setup["lead"])
    lead_client.submit(f"/hub/reviews/{review.id}", {f"r{review.id}-decision": "publish"}, form_url="/hub/reviews")
    reviews.reply(broker.user, review.id, "Call me on 07700 900123, Grace Okafor of 4 Elm Road.")
    hub_page = lead_client.get("/hub/reviews").get_data(as_text=True)
    assert "Call me on 07700 900123" in hub_page and "Decision on this reply" in hub_page
    # Not publishing needs a reason, shown beside the form.
    empty = lead_client.submit(f"/hub/reviews/{review.id}/reply", {f"reply{review.id}-decision": "reject"},
                               form_url="/hub/reviews")
    assert empty.status_code == 400 and "Give the reason" in empty.get_data(as_text=True)
    lead_client.submit(f"/hub/reviews/{review.id}/reply",
                       {f"reply{review.id}-decision": "reject", f"reply{review.id}-note": "It names the person."},
                       form_url="/hub/reviews")
    assert review.reply_status == ReviewStatus.REJECTED
    assert "07700 900123" not in app.test_client().get(f"/brokers/{broker.id}").get_data(as_text=True)
    # The broker sees why, and may write the reply again; it waits for the hub lead once more.
    broker_client = sign_in_as(app.test_client(), broker.user)
    page = broker_client.get("/broker/reviews").get_data(as_text=True)
    assert "It names the person." in page and "Send reply" in page
    reviews.reply(broker.user, review.id, "Thank you for your kind words.")
    assert review.reply_status == ReviewStatus.PENDING
    assert "kind words" not in app.test_client().get(f"/brokers/{broker.id}").get_data(as_text=True)
    # Another hub's lead cannot decide on it.
    from tests.factories import HubFactory, HubLeadFactory

    other_lead = HubLeadFactory(hub=HubFactory()).user
    with pytest.raises(NotFound):
        reviews.moderate_reply(other_lead, review.id, publish=True, note="")
