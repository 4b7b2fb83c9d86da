"""Needs and offers: posting, publishing to the providers who fit, applying, deadlines,
private details, choosing, acceptance, withdrawal, re-opening, hand back and gaps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEvent, Notification
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.needs import matching, tasks
from app.needs.models import (
    AgreementStatus,
    Gap,
    Need,
    NeedStatus,
    Offer,
    OfferStatus,
    ServiceAgreement,
)
from tests.conftest import sign_in_as
from tests.factories import (
    BudgetHolderFactory,
    HubFactory,
    HubLeadFactory,
    accredited_broker,
    category,
)


def d(day):
    return [str(day.day), str(day.month), str(day.year)]


def clients(app, world):
    return {
        "broker": sign_in_as(app.test_client(), world["broker"].user),
        "person": sign_in_as(app.test_client(), world["person"].user),
        "maida": sign_in_as(app.test_client(), world["maida"].staff[0].user),
        "notting": sign_in_as(app.test_client(), world["notting"].staff[0].user),
        "unverified": sign_in_as(app.test_client(), world["unverified"].staff[0].user),
        "lead": sign_in_as(app.test_client(), world["lead"]),
    }


NEED = {
    "district": "W9", "schedule": ["0:morning", "1:morning", "2:morning"], "times_note": "8am to 9am",
    "hours": "3", "minutes": "0", "required_skills": ["medication"], "worker_gender": "female",
    "urgency": "routine", "max_rate": "26", "public_description": "Help to get up and dressed each morning.",
    "health_conditions": "Type 2 diabetes", "medication": "prompted", "address": "12 Elgin Avenue, W9 2EG",
    "access_arrangements": "Key safe",
}


def post_need(c, world, agreed=True, **overrides) -> Need:
    data = dict(NEED, category_id=str(category("personal-care").id), start_date=d(today_in_london() + timedelta(days=7)))
    data.update(overrides)
    response = c.submit(f"/broker/clients/{world['engagement'].id}/needs/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:4000]
    need = db.session.scalar(select(Need).order_by(Need.id.desc()))
    if agreed:  # the person agreed by phone to what will be shared (tests of that step pass agreed=False)
        recorded = c.submit(f"/broker/needs/{need.id}/sharing", {"sharing-method": "verbal",
                                                                 "sharing-note": "By phone on Monday"},
                            form_url=f"/broker/needs/{need.id}")
        assert recorded.status_code == 302, recorded.get_data(as_text=True)[:4000]
    return need


def publish(c, need, **overrides):
    data = {"response_hours": "48", "visibility": "all_verified"}
    data.update(overrides)
    return c.submit(f"/broker/needs/{need.id}/publish", data, form_url=f"/broker/needs/{need.id}")


def apply(c, organisation, need, rate="25", **overrides):
    data = {"hourly_rate": rate, "proposed_start": d(today_in_london() + timedelta(days=7)),
            "requirements_met": ["skill:medication"], "message": "Joanna lives nearby.",
            "worker_languages": ["english"], "worker_gender": "female"}
    data.update(overrides)
    return c.submit(f"/providers/{organisation.id}/needs/{need.id}/offer", data,
                    form_url=f"/providers/{organisation.id}/needs/{need.id}")


def offer_of(organisation, need) -> Offer:
    return db.session.scalar(select(Offer).where(Offer.organisation_id == organisation.id, Offer.need_id == need.id))


def offered(c, world, organisation_key="maida", *, rival=False) -> tuple[Need, Offer]:
    """A need posted and published, and the provider's offer for it (and, with `rival`, Notting
    Hill's offer at £24.50 too)."""
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    apply(c[organisation_key], world[organisation_key], need)
    if rival:
        apply(c["notting"], world["notting"], need, rate="24.50")
    return need, offer_of(world[organisation_key], need)


def broker_steps(c, need, offer, *steps):
    """The broker takes each step ("shortlist", "propose"...) with the offer, as a button on the need."""
    for step in steps:
        data = {f"p{offer.id}-reason": "Meets every requirement, close by."} if step == "propose" else {}
        c["broker"].submit(f"/broker/needs/{need.id}/offers/{offer.id}/{step}", data, form_url=f"/broker/needs/{need.id}")


# --- Posting and publishing ------------------------------------------------------------------------


def test_posting_and_publishing_tells_the_providers_who_fit(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    assert need.status == NeedStatus.DRAFT and need.minutes_per_week == 180
    assert need.private.address.startswith("12 Elgin")
    # A draft is seen by nobody else.
    assert c["person"].get(f"/people/{world['person'].id}/needs/{need.id}").status_code == 404
    assert c["maida"].get(f"/providers/{world['maida'].id}/needs/{need.id}").status_code == 404

    assert publish(c["broker"], need).status_code == 302
    assert need.status == NeedStatus.OPEN and need.published_at and need.deadline_at
    assert need.deadline_at - need.published_at == timedelta(hours=48)
    told = {n.user_id for n in db.session.scalars(select(Notification).where(Notification.kind == "needs_for_you"))}
    assert told == {world["maida"].staff[0].user_id, world["notting"].staff[0].user_id}
    assert "Your broker has posted a need" in db.session.scalar(
        select(Notification.title).where(Notification.user_id == world["person"].user_id)
        .order_by(Notification.id.desc()))

    board = c["maida"].get("/needs").get_data(as_text=True)
    assert "Personal care in W9" in board and "left)" in board
    assert "Personal care in W9" not in c["unverified"].get("/needs").get_data(as_text=True)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"district": "12 Elgin Avenue"}, "postcode district only"),
    ({"public_description": "Grace needs help in the mornings"}, "must not include the person&#39;s name"),
    ({"hours": "0", "minutes": "0"}, "Enter the hours needed each week"),
    ({"max_rate": ""}, "Enter the most you can pay an hour"),
    ({"schedule": ["9:morning"]}, "Choose from the grid"),
])
def test_need_problems_are_explained(app, world, overrides, message):
    c = clients(app, world)
    data = dict(NEED, category_id=str(category("personal-care").id), start_date=d(today_in_london()))
    data.update(overrides)
    response = c["broker"].submit(f"/broker/clients/{world['engagement'].id}/needs/new", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Need)) == 0


def test_response_window_rules(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    short = publish(c["broker"], need, response_hours="2")
    assert short.status_code == 400 and "Only urgent needs" in short.get_data(as_text=True)
    urgent = post_need(c["broker"], world, urgency="hospital_discharge")
    assert publish(c["broker"], urgent, response_hours="1").status_code == 302
    assert urgent.deadline_at - urgent.published_at == timedelta(hours=1)


def test_invited_only_needs_reach_only_the_invited(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need, visibility="invited", invited_ids=[str(world["unverified"].id)])
    assert "Personal care in W9" in c["unverified"].get("/needs").get_data(as_text=True)
    assert "Personal care in W9" not in c["maida"].get("/needs").get_data(as_text=True)
    assert c["maida"].get(f"/providers/{world['maida'].id}/needs/{need.id}").status_code == 404


def test_nobody_sees_another_brokers_needs(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    other = sign_in_as(app.test_client(), accredited_broker(world["hub"]).user)
    assert other.get(f"/broker/needs/{need.id}").status_code == 404
    assert "Personal care" not in other.get("/broker/needs").get_data(as_text=True)
    stranger = sign_in_as(app.test_client(), BudgetHolderFactory().user)
    publish(c["broker"], need)
    assert stranger.get(f"/people/{world['person'].id}/needs/{need.id}").status_code == 404


# --- Offers ----------------------------------------------------------------------------------------------


def test_offers_can_be_made_changed_and_withdrawn_until_the_deadline(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    assert apply(c["maida"], world["maida"], need).status_code == 302
    assert apply(c["maida"], world["maida"], need, rate="24").status_code == 302  # a change, not a second offer
    assert db.session.scalar(select(func.count()).select_from(Offer)) == 1
    offer = offer_of(world["maida"], need)
    assert offer.hourly_rate_pence == 2400 and need.first_offer_at is not None
    c["maida"].submit(f"/providers/{world['maida'].id}/needs/{need.id}/withdraw", {},
                      form_url=f"/providers/{world['maida'].id}/needs/{need.id}")
    assert offer.status == OfferStatus.WITHDRAWN
    assert apply(c["maida"], world["maida"], need).status_code == 302  # applying again
    assert offer.status == OfferStatus.SUBMITTED

    need.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    late = apply(c["maida"], world["maida"], need, rate="20")
    assert late.status_code == 404 or "deadline for offers has passed" in late.get_data(as_text=True)
    assert offer.hourly_rate_pence == 2500
    late_new = apply(c["notting"], world["notting"], need)
    assert late_new.status_code == 400 and "deadline for offers has passed" in late_new.get_data(as_text=True)
    assert offer_of(world["notting"], need) is None
    assert "Personal care in W9" not in c["notting"].get("/needs").get_data(as_text=True)  # off the board
    withdraw_late = c["maida"].submit(f"/providers/{world['maida'].id}/needs/{need.id}/withdraw", {},
                                      form_url=f"/providers/{world['maida'].id}/needs/{need.id}", follow_redirects=True)
    assert "deadline for offers has passed" in withdraw_late.get_data(as_text=True)
    assert offer.status == OfferStatus.SUBMITTED


def test_offer_problems_are_explained(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    response = apply(c["maida"], world["maida"], need, rate="", message="",
                     proposed_start=d(today_in_london() - timedelta(days=1)))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter your hourly rate" in page and "Say how you would meet" in page
    zero = apply(c["maida"], world["maida"], need, rate="0")
    assert zero.status_code == 400 and "must be more than £0" in zero.get_data(as_text=True)


def test_private_details_only_after_shortlisting_and_audited(app, world):
    c = clients(app, world)
    need, offer = offered(c, world, rival=True)
    url = f"/providers/{world['maida'].id}/needs/{need.id}"
    assert "12 Elgin Avenue" not in c["maida"].get(url).get_data(as_text=True)
    broker_steps(c, need, offer, "shortlist")
    assert offer.status == OfferStatus.SHORTLISTED and need.shortlisted_at is not None
    page = c["maida"].get(url).get_data(as_text=True)
    assert "12 Elgin Avenue" in page and "Type 2 diabetes" in page
    viewed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "client_record.viewed",
                                                        AuditEvent.actor_id == world["maida"].staff[0].user_id))
    assert viewed.budget_holder_id == world["person"].id
    notting_page = c["notting"].get(f"/providers/{world['notting'].id}/needs/{need.id}").get_data(as_text=True)
    assert "12 Elgin Avenue" not in notting_page and "Type 2 diabetes" not in notting_page


def test_choosing_accepting_and_telling_everyone(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    apply(c["maida"], world["maida"], need)
    apply(c["notting"], world["notting"], need, rate="24.50", requirements_met=[])
    maida, notting = offer_of(world["maida"], need), offer_of(world["notting"], need)
    page = c["broker"].get(f"/broker/needs/{need.id}").get_data(as_text=True)
    assert "Match score" in page and "How it was worked out" in page
    base = f"/broker/needs/{need.id}/offers/{maida.id}"
    c["broker"].submit(f"{base}/shortlist", {}, form_url=f"/broker/needs/{need.id}")
    c["broker"].submit(f"{base}/messages", {f"m{maida.id}-body": "Can Joanna start at 8?"},
                       form_url=f"/broker/needs/{need.id}")
    c["maida"].submit(f"/providers/{world['maida'].id}/needs/{need.id}/messages", {"body": "Yes, 8am is fine."})
    assert [m.body for m in maida.messages] == ["Can Joanna start at 8?", "Yes, 8am is fine."]
    c["broker"].submit(f"{base}/propose", {f"p{maida.id}-reason": "Joanna can start at 8."},
                       form_url=f"/broker/needs/{need.id}")
    assert maida.status == OfferStatus.PROPOSED and maida.proposal_reason == "Joanna can start at 8."

    person_page = c["person"].get(f"/people/{world['person'].id}/needs/{need.id}").get_data(as_text=True)
    assert "Recommended by your broker" in person_page and "Joanna can start at 8." in person_page
    c["person"].submit(f"/people/{world['person'].id}/needs/{need.id}/offers/{maida.id}/accept", {},
                       form_url=f"/people/{world['person'].id}/needs/{need.id}")
    agreement = db.session.scalar(select(ServiceAgreement))
    assert agreement.hourly_rate_pence == 2500 and agreement.minutes_per_week == 180
    assert agreement.status == AgreementStatus.ACTIVE and agreement.accepted_by_id == world["person"].user_id
    assert need.status == NeedStatus.FILLED and need.accepted_at is not None
    assert maida.status == OfferStatus.ACCEPTED and notting.status == OfferStatus.NOT_CHOSEN
    notting_news = db.session.scalars(select(Notification.title).where(
        Notification.user_id == world["notting"].staff[0].user_id)).all()
    assert any("Another offer was chosen" in t for t in notting_news)
    assert "Personal care in W9" not in c["notting"].get("/needs").get_data(as_text=True)
    outcome = c["notting"].get(f"/providers/{world['notting'].id}/needs/{need.id}").get_data(as_text=True)
    assert "This need has been filled" in outcome
    assert apply(c["notting"], world["notting"], need, rate="20").status_code == 400
    # Times for reporting time to fill
    assert need.published_at <= need.first_offer_at <= need.shortlisted_at <= need.accepted_at


def test_a_helper_who_can_act_accepts_and_a_viewer_cannot(app, world):
    from app.holders.models import DelegateAccess, Delegation, DelegationStatus
    from tests.factories import UserFactory

    c = clients(app, world)
    need, offer = offered(c, world)
    broker_steps(c, need, offer, "shortlist", "propose")
    viewer, actor = UserFactory(), UserFactory()
    for user, level in ((viewer, DelegateAccess.VIEW), (actor, DelegateAccess.ACT)):
        db.session.add(Delegation(holder=world["person"], user=user, email=user.email, name=user.name, access=level,
                                  status=DelegationStatus.ACTIVE, expires_at=utcnow(), invited_by_id=world["person"].user_id))
    db.session.commit()
    url = f"/people/{world['person'].id}/needs/{need.id}"
    refused = sign_in_as(app.test_client(), viewer).submit(f"{url}/offers/{offer.id}/accept", {}, form_url=url)
    assert refused.status_code == 403 and need.status == NeedStatus.OPEN
    sign_in_as(app.test_client(), actor).submit(f"{url}/offers/{offer.id}/accept", {}, form_url=url)
    assert need.status == NeedStatus.FILLED
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "offer.accepted"))
    assert event.actor_id == actor.id and event.on_behalf_of_id == world["person"].user_id


def test_turning_down_a_proposal(app, world):
    c = clients(app, world)
    need, offer = offered(c, world)
    broker_steps(c, need, offer, "shortlist", "propose")
    url = f"/people/{world['person'].id}/needs/{need.id}"
    c["person"].submit(f"{url}/offers/{offer.id}/decline", {"note": "I would prefer a morning start at 7."}, form_url=url)
    assert offer.status == OfferStatus.SHORTLISTED and offer.decline_note.startswith("I would prefer")
    assert "Recommended by your broker" not in c["person"].get(url).get_data(as_text=True)
    # Still on the shortlist: the person may change their mind and choose it after all.
    c["person"].submit(f"{url}/offers/{offer.id}/accept", {}, form_url=url)
    assert offer.status == OfferStatus.ACCEPTED and need.status == NeedStatus.FILLED


def test_withdrawing_a_need_removes_it_everywhere(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    apply(c["maida"], world["maida"], need)
    c["broker"].submit(f"/broker/needs/{need.id}/withdraw", {"withdraw-reason": "Family arranged care"},
                       form_url=f"/broker/needs/{need.id}")
    assert need.status == NeedStatus.WITHDRAWN
    assert offer_of(world["maida"], need).status == OfferStatus.NOT_CHOSEN
    for name in ("maida", "notting"):
        assert "Personal care in W9" not in c[name].get("/needs").get_data(as_text=True)
        titles = db.session.scalars(select(Notification.title).where(
            Notification.user_id == world[name].staff[0].user_id)).all()
        assert any(t.startswith("No longer needed") for t in titles), name
    assert apply(c["maida"], world["maida"], need).status_code == 400


def test_reopening_with_a_higher_rate_travel_supplement_and_invitations(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    need.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert tasks.close_expired() == 1 and need.status == NeedStatus.CLOSED
    lower = c["broker"].submit(f"/broker/needs/{need.id}/reopen", {"response_hours": "24", "max_rate": "20"},
                               form_url=f"/broker/needs/{need.id}")
    assert lower.status_code == 400 and "can only go up" in lower.get_data(as_text=True)
    c["broker"].submit(f"/broker/needs/{need.id}/reopen", {
        "response_hours": "24", "max_rate": "30", "travel_supplement": "2.50",
        "invited_ids": [str(world["far"].id)]}, form_url=f"/broker/needs/{need.id}")
    assert need.status == NeedStatus.OPEN and need.max_hourly_rate_pence == 3000
    assert need.travel_supplement_pence == 250 and need.times_reopened == 1
    far = sign_in_as(app.test_client(), world["far"].staff[0].user)
    assert "Personal care in W9" in far.get("/needs").get_data(as_text=True)
    assert [e.kind for e in need.events][-2:] == ["closed", "reopened"]


def test_hand_back_reopens_the_need_and_tells_people_at_once(app, world):
    c = clients(app, world)
    need, offer = offered(c, world, rival=True)
    broker_steps(c, need, offer, "shortlist", "propose")
    url = f"/people/{world['person'].id}/needs/{need.id}"
    c["person"].submit(f"{url}/offers/{offer.id}/accept", {}, form_url=url)
    agreement = db.session.scalar(select(ServiceAgreement))
    agreement_url = f"/providers/{world['maida'].id}/agreements/{agreement.id}"
    assert "12 Elgin Avenue" in c["maida"].get(agreement_url).get_data(as_text=True)
    missing = c["maida"].submit(agreement_url, {"reason": ""})
    assert missing.status_code == 400
    c["maida"].submit(agreement_url, {"notice_ends_on": d(today_in_london() + timedelta(days=14)),
                                      "reason": "Our carer in W9 is leaving."})
    assert agreement.status == AgreementStatus.HANDED_BACK
    assert need.status == NeedStatus.OPEN and need.deadline_at > utcnow()
    for user_id in (world["person"].user_id, world["broker"].user_id):
        titles = db.session.scalars(select(Notification.title).where(Notification.user_id == user_id)).all()
        assert any("handing back" in t for t in titles)
    assert "handed_back" in [e.kind for e in need.events]
    # The provider not chosen before can apply again.
    assert apply(c["notting"], world["notting"], need, rate="24").status_code == 302
    assert offer_of(world["notting"], need).status == OfferStatus.SUBMITTED


def test_gaps_are_flagged_after_three_days_and_answered_by_the_hub(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    assert tasks.flag_gaps() == 0
    need.published_at = utcnow() - timedelta(days=3, minutes=1)
    db.session.commit()
    assert tasks.flag_gaps() == 1
    assert tasks.flag_gaps() == 0
    gap = db.session.scalar(select(Gap))
    assert gap.need_id == need.id
    page = c["lead"].get("/hub/gaps").get_data(as_text=True)
    assert "Personal care in W9" in page
    c["lead"].submit(f"/hub/gaps/{gap.id}", {f"g{gap.id}-response": "We are recruiting two new carers in W9."},
                     form_url="/hub/gaps")
    assert gap.response.startswith("We are recruiting")
    titles = db.session.scalars(select(Notification.title).where(Notification.user_id == world["broker"].user_id)).all()
    assert any("Your hub responded" in t for t in titles)
    other_lead = sign_in_as(app.test_client(), HubLeadFactory(hub=HubFactory()).user)
    assert "Personal care in W9" not in other_lead.get("/hub/gaps").get_data(as_text=True)


def test_broker_raises_a_gap(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    c["broker"].submit(f"/broker/needs/{need.id}/gap", {"gap-note": "No Tamil-speaking carers in W9."},
                       form_url=f"/broker/needs/{need.id}")
    assert need.gap.note == "No Tamil-speaking carers in W9." and need.gap.reason.value == "raised"


# --- The match score ------------------------------------------------------------------------------------


def test_match_score_weighs_more_than_price_and_ignores_time(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    apply(c["maida"], world["maida"], need, rate="25")
    apply(c["notting"], world["notting"], need, rate="20", requirements_met=[])
    maida, notting = offer_of(world["maida"], need), offer_of(world["notting"], need)
    ranked = [offer for offer, _ in matching.rank([maida, notting])]
    assert ranked == [maida, notting]  # meeting the requirements beats being cheaper
    before = matching.match_score(maida).total
    maida.created_at = need.published_at + timedelta(hours=40)
    db.session.commit()
    assert matching.match_score(maida).total == before  # when the offer came is not a factor
    maida.hourly_rate_pence = 2700  # above the maximum of 26
    assert next(p for p in matching.match_score(maida).parts if p.label == "Price").points == 0


def test_board_orders_by_fit(app, world):
    c = clients(app, world)
    poor = post_need(c["broker"], world, schedule=["5:night"], required_skills=["peg_feeding"])
    good = post_need(c["broker"], world)
    publish(c["broker"], poor)
    publish(c["broker"], good)
    page = c["maida"].get("/needs").get_data(as_text=True)
    assert page.index(f"/needs/{good.id}\"") < page.index(f"/needs/{poor.id}\"")
