"""The person's part in a need: agreeing to what is shared (once per need, withdrawable), what
happens next, choosing any shortlisted offer after checking the terms, and the broker's side of
the same steps (the warning before shortlisting, why nobody was told, every error at once)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.core.models import AuditEvent, Notification
from app.core.timeutil import format_date, today_in_london
from app.extensions import db
from app.holders.models import Consent, DelegateAccess, Delegation, DelegationStatus
from app.needs.models import NeedStatus, OfferStatus, ServiceAgreement
from tests.conftest import sign_in_as
from tests.factories import UserFactory
from tests.integration.test_needs_and_offers import (
    NEED,
    apply,
    broker_steps,
    clients,
    d,
    offer_of,
    offered,
    post_need,
    publish,
)


def sharing_url(world, need) -> str:
    return f"/people/{world['person'].id}/needs/{need.id}/sharing"


def titles_for(user) -> list[str]:
    return list(db.session.scalars(select(Notification.title).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


# --- Agreeing to what is shared ------------------------------------------------------------------


def test_a_need_is_not_published_until_the_person_agrees_to_what_is_shared(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world, agreed=False)
    page = c["broker"].get(f"/broker/needs/{need.id}").get_data(as_text=True)
    assert "must agree to what they will see" in page and "Publish to providers" not in page
    assert "address" in page and "health conditions and disabilities" in page

    refused = publish(c["broker"], need)
    assert refused.status_code == 400 and need.status == NeedStatus.DRAFT
    assert "has not agreed yet to what will be shared" in refused.get_data(as_text=True)

    asked = c["broker"].submit(f"/broker/needs/{need.id}/sharing/ask", {}, form_url=f"/broker/needs/{need.id}")
    assert asked.status_code == 302
    assert any("Please check what your broker will share" in t for t in titles_for(world["person"].user))

    # The person sees the draft's details and exactly who sees what.
    page = c["person"].get(sharing_url(world, need))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "12 Elgin Avenue" in text and "Type 2 diabetes" in text
    assert "Providers the broker shortlists will also see" in text

    unticked = c["person"].submit(sharing_url(world, need), {})
    assert unticked.status_code == 400 and "Tick the box to agree" in unticked.get_data(as_text=True)
    assert need.sharing_consent is None

    agreed = c["person"].submit(sharing_url(world, need), {"confirm": "y"})
    assert agreed.status_code == 302
    consent = need.sharing_consent
    assert consent.purpose == "share_need_details" and consent.method.value == "online"
    assert consent.recorded_by_id == world["person"].user_id and "12 Elgin" not in consent.note
    assert "address" in consent.note
    assert any("agreed to share the details" in t for t in titles_for(world["broker"].user))

    # Once per need: a second agreement is refused.
    again = c["person"].submit(sharing_url(world, need), {"confirm": "y"})
    assert again.status_code == 400 and "already been given" in again.get_data(as_text=True)
    assert db.session.scalar(select(Consent.id).where(Consent.purpose == "share_need_details")
                             .order_by(Consent.id.desc())) == consent.id

    assert publish(c["broker"], need).status_code == 302 and need.status == NeedStatus.OPEN


def test_the_broker_records_an_agreement_given_by_phone_and_the_person_is_told(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world, agreed=False)
    missing = c["broker"].submit(f"/broker/needs/{need.id}/sharing", {}, form_url=f"/broker/needs/{need.id}")
    text = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "Say how the person agreed" in text and "Record when and how" in text

    c["broker"].submit(f"/broker/needs/{need.id}/sharing", {"sharing-method": "verbal",
                                                            "sharing-note": "On the phone on Monday"},
                       form_url=f"/broker/needs/{need.id}")
    assert need.sharing_consent.method.value == "verbal"
    assert need.sharing_consent.recorded_by_id == world["broker"].user_id
    assert any("Your broker recorded that you agreed" in t for t in titles_for(world["person"].user))
    page = c["person"].get(sharing_url(world, need)).get_data(as_text=True)
    assert "recorded by Daniel Price" in page and "Stop sharing these details" in page


def test_stopping_sharing_hides_the_private_details_from_the_shortlist_but_not_from_an_agreement(app, world):
    c = clients(app, world)
    need, maida = offered(c, world, rival=True)
    notting = offer_of(world["notting"], need)
    broker_steps(c, need, maida, "shortlist")
    maida_page = f"/providers/{world['maida'].id}/needs/{need.id}"
    assert "12 Elgin Avenue" in c["maida"].get(maida_page).get_data(as_text=True)

    stopped = c["person"].submit(f"{sharing_url(world, need)}/withdraw", {}, form_url=sharing_url(world, need))
    assert stopped.status_code == 302 and need.sharing_consent.withdrawn_at is not None
    assert "12 Elgin Avenue" not in c["maida"].get(maida_page).get_data(as_text=True)
    assert any("stopped sharing" in t for t in titles_for(world["broker"].user))
    assert any("stopped sharing" in t for t in titles_for(world["maida"].staff[0].user))
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "consent.withdrawn")) is not None

    broker_page = c["broker"].get(f"/broker/needs/{need.id}").get_data(as_text=True)
    assert "once Grace Okafor agrees again" in broker_page
    broker_steps(c, need, notting, "shortlist")
    assert notting.status == OfferStatus.SUBMITTED

    # Agreeing again, then accepting: the chosen provider keeps what it needs even if sharing stops.
    c["person"].submit(sharing_url(world, need), {"confirm": "y"})
    url = f"/people/{world['person'].id}/needs/{need.id}"
    c["person"].submit(f"{url}/offers/{maida.id}/accept", {}, form_url=url)
    assert need.status == NeedStatus.FILLED
    c["person"].submit(f"{sharing_url(world, need)}/withdraw", {}, form_url=sharing_url(world, need))
    assert "12 Elgin Avenue" in c["maida"].get(maida_page).get_data(as_text=True)


def test_changing_a_draft_after_the_person_agreed_asks_them_again(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    consent = need.sharing_consent
    form = dict(NEED, category_id=str(need.category_id), start_date=d(need.start_date))
    # Saved again as it was: what is shared is the same, so the agreement stands.
    assert c["broker"].submit(f"/broker/needs/{need.id}/edit", form).status_code == 302
    assert need.sharing_consent.withdrawn_at is None
    form["address"] = "3 Warwick Avenue, W9 2PT"  # the address is part of what was agreed
    assert c["broker"].submit(f"/broker/needs/{need.id}/edit", form).status_code == 302
    assert consent.withdrawn_at is not None
    assert any("Your broker changed your need" in t for t in titles_for(world["person"].user))
    assert publish(c["broker"], need).status_code == 400


def test_a_helper_who_can_only_view_sees_what_is_shared_but_cannot_agree(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world, agreed=False)
    viewer = UserFactory()
    db.session.add(Delegation(holder=world["person"], user=viewer, email=viewer.email, name=viewer.name,
                              access=DelegateAccess.VIEW, status=DelegationStatus.ACTIVE,
                              expires_at=world["person"].created_at, invited_by_id=world["person"].user_id))
    db.session.commit()
    helper = sign_in_as(app.test_client(), viewer)
    page = helper.get(sharing_url(world, need))
    assert page.status_code == 200 and "can agree to this" in page.get_data(as_text=True)
    viewed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "client_record.viewed",
                                                        AuditEvent.actor_id == viewer.id))
    assert viewed is not None
    assert helper.submit(sharing_url(world, need), {"confirm": "y"}).status_code == 403
    assert need.sharing_consent is None
    stranger = sign_in_as(app.test_client(), UserFactory())
    assert stranger.get(sharing_url(world, need)).status_code == 404


# --- Choosing --------------------------------------------------------------------------------------


def test_the_person_may_choose_any_shortlisted_offer_after_checking_the_terms(app, world):
    c = clients(app, world)
    need, maida = offered(c, world, rival=True)
    notting = offer_of(world["notting"], need)
    url = f"/people/{world['person'].id}/needs/{need.id}"

    waiting = c["person"].get(url).get_data(as_text=True)
    assert "What happens next" in waiting and "shortlists the ones that suit you" in waiting
    assert "2 offers so far" in waiting
    # Not on the shortlist yet: nothing to check or accept.
    assert c["person"].get(f"{url}/offers/{notting.id}/accept").status_code == 404

    broker_steps(c, need, maida, "shortlist", "propose")
    broker_steps(c, need, notting, "shortlist")
    page = c["person"].get(url).get_data(as_text=True)
    assert "Recommended by your broker" in page and "Meets every requirement, close by." in page
    assert "Choose Notting Hill Care" in page and "Choose Maida Vale Care" in page
    # The shortlist shows the terms the agreement would record (the same as the check step).
    assert f"about £73.50 a week, starting {format_date(today_in_london() + timedelta(days=7))}" in page

    check = c["person"].get(f"{url}/offers/{notting.id}/accept")
    text = check.get_data(as_text=True)
    assert check.status_code == 200 and "Check before you accept Notting Hill Care" in text
    assert "£24.50 an hour" in text and "3 hours a week" in text and "your broker recommends Maida Vale Care" in text
    assert need.status == NeedStatus.OPEN  # looking changes nothing

    c["person"].submit(f"{url}/offers/{notting.id}/accept", {}, form_url=f"{url}/offers/{notting.id}/accept")
    agreement = db.session.scalar(select(ServiceAgreement))
    assert agreement.organisation_id == world["notting"].id and agreement.hourly_rate_pence == 2450
    assert agreement.start_date == today_in_london() + timedelta(days=7)
    assert notting.status == OfferStatus.ACCEPTED and maida.status == OfferStatus.NOT_CHOSEN
    assert need.events[-1].details["recommended"] is False


def test_the_broker_is_warned_before_shortlisting_and_gives_a_reason_to_recommend(app, world):
    c = clients(app, world)
    need, maida = offered(c, world)
    page = c["broker"].get(f"/broker/needs/{need.id}").get_data(as_text=True)
    assert "Shortlisting shares Grace Okafor's health conditions and disabilities" in page
    assert "address" in page and "with Maida Vale Care" in page
    broker_steps(c, need, maida, "shortlist")
    no_reason = c["broker"].submit(f"/broker/needs/{need.id}/offers/{maida.id}/propose", {},
                                   form_url=f"/broker/needs/{need.id}")
    assert no_reason.status_code == 400 and "Say why you recommend this offer" in no_reason.get_data(as_text=True)
    assert maida.status == OfferStatus.SHORTLISTED


# --- The broker's page ----------------------------------------------------------------------------


def test_a_need_nobody_was_told_about_says_why_and_what_next(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world, district="W10", schedule=["6:night"])
    told = publish(c["broker"], need)
    follow = c["broker"].get(told.headers["Location"]).get_data(as_text=True)
    assert "No providers could be told yet" in follow
    assert "No providers have been told about this need yet" in follow
    assert "no spare capacity at the days and times asked for" in follow
    assert "Invite named providers" in follow and "Raise the most that can be paid" in follow

    other = post_need(c["broker"], world, category_id=str(need.category_id), district="E2")
    publish(c["broker"], other)
    page = c["broker"].get(f"/broker/needs/{other.id}").get_data(as_text=True)
    assert "No verified provider offers personal care in E2 yet." in page


def test_every_problem_with_a_need_form_is_shown_at_once(app, world):
    c = clients(app, world)
    response = c["broker"].submit(f"/broker/clients/{world['engagement'].id}/needs/new", {
        "district": "NOT A DISTRICT", "hours": "3", "minutes": "0", "urgency": "routine", "max_rate": "26",
        "medication": "none", "public_description": "Grace Okafor needs help in the morning.",
        "category_id": "", "start_date": ["", "", ""]})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the start date" in text  # the form's own check
    assert "must not include the person&#39;s name" in text  # the service's check, at the same time
    assert "Enter the postcode district only" in text


def test_offer_counts_read_as_words(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    listing = c["broker"].get("/broker/needs").get_data(as_text=True)
    assert "No offers." in listing and "offer(s)" not in listing
    apply(c["maida"], world["maida"], need)
    assert "1 offer." in c["broker"].get("/broker/needs").get_data(as_text=True)


# --- What the person saw is what they agree to ----------------------------------------------------


def test_accepting_uses_the_terms_the_check_page_showed(app, world):
    from tests.conftest import find_csrf

    c = clients(app, world)
    need, maida = offered(c, world)
    broker_steps(c, need, maida, "shortlist")
    url = f"/people/{world['person'].id}/needs/{need.id}/offers/{maida.id}/accept"
    page = c["person"].get(url).get_data(as_text=True)
    shown = re.search(r'name="terms" type="hidden" value="([^"]+)"', page).group(1)
    # The provider changes its rate after the person looked.
    maida.hourly_rate_pence = 2590
    db.session.commit()
    stale = c["person"].post(url, data={"csrf_token": find_csrf(page), "terms": shown}, follow_redirects=True)
    assert "The offer changed after you checked it" in stale.get_data(as_text=True)
    assert need.status == NeedStatus.OPEN and db.session.scalar(select(ServiceAgreement)) is None
    fresh = c["person"].get(url).get_data(as_text=True)
    assert "£25.90 an hour" in fresh
    terms = re.search(r'name="terms" type="hidden" value="([^"]+)"', fresh).group(1)
    c["person"].post(url, data={"csrf_token": find_csrf(fresh), "terms": terms})
    assert db.session.scalar(select(ServiceAgreement)).hourly_rate_pence == 2590
    # Pressed again: told in words, not a missing page.
    again = c["person"].post(url, data={"csrf_token": find_csrf(fresh), "terms": terms}, follow_redirects=True)
    assert again.status_code == 200 and "This need has already been filled" in again.get_data(as_text=True)


def test_agreeing_to_sharing_is_to_what_the_page_showed(app, world):
    from tests.conftest import find_csrf

    c = clients(app, world)
    need = post_need(c["broker"], world, agreed=False)
    page = c["person"].get(sharing_url(world, need)).get_data(as_text=True)
    shown = re.search(r'name="shown" type="hidden" value="([^"]+)"', page).group(1)
    need.private.address = "3 Warwick Avenue, W9 2PT"  # the broker changed it meanwhile
    db.session.commit()
    stale = c["person"].post(sharing_url(world, need), data={"csrf_token": find_csrf(page), "shown": shown,
                                                             "confirm": "y"})
    assert stale.status_code == 400 and "changed this need while you were reading" in stale.get_data(as_text=True)
    assert need.sharing_consent is None


def test_stopping_sharing_closes_the_messages_and_choosing_waits_for_it(app, world):
    c = clients(app, world)
    need, maida = offered(c, world)
    broker_steps(c, need, maida, "shortlist")
    c["person"].submit(f"{sharing_url(world, need)}/withdraw", {}, form_url=sharing_url(world, need))
    page = c["maida"].get(f"/providers/{world['maida'].id}/needs/{need.id}").get_data(as_text=True)
    assert "stopped sharing their private details" in page and "Messages with the broker" not in page
    refused = c["maida"].submit(f"/providers/{world['maida'].id}/needs/{need.id}/messages", {"body": "Hello?"})
    assert refused.status_code == 400 and not maida.messages
    url = f"/people/{world['person'].id}/needs/{need.id}"
    accept = c["person"].submit(f"{url}/offers/{maida.id}/accept", {}, form_url=url, follow_redirects=True)
    assert "agree to share them again first" in accept.get_data(as_text=True) and need.status == NeedStatus.OPEN


def test_a_helper_who_can_only_view_is_not_asked_to_agree(app, world):
    c = clients(app, world)
    post_need(c["broker"], world, agreed=False)
    viewer = UserFactory()
    db.session.add(Delegation(holder=world["person"], user=viewer, email=viewer.email, name=viewer.name,
                              access=DelegateAccess.VIEW, status=DelegationStatus.ACTIVE,
                              expires_at=world["person"].created_at, invited_by_id=world["person"].user_id))
    db.session.commit()
    page = sign_in_as(app.test_client(), viewer).get(f"/people/{world['person'].id}").get_data(as_text=True)
    assert "check what will be shared and agree" not in page
    assert "check what will be shared and agree" in c["person"].get(f"/people/{world['person'].id}").get_data(
        as_text=True)


def test_a_recommended_offer_whose_terms_change_is_no_longer_recommended(app, world):
    c = clients(app, world)
    need, maida = offered(c, world)
    broker_steps(c, need, maida, "shortlist", "propose")
    assert maida.is_proposed
    apply(c["maida"], world["maida"], need, rate="25.80")  # the provider raises its rate
    assert maida.status == OfferStatus.SHORTLISTED and maida.proposal_reason == "" and maida.hourly_rate_pence == 2580
    assert any("Maida Vale Care changed its offer" in t for t in titles_for(world["person"].user))
    assert any("Maida Vale Care changed its offer" in t for t in titles_for(world["broker"].user))
    page = c["person"].get(f"/people/{world['person'].id}/needs/{need.id}").get_data(as_text=True)
    assert "Recommended by your broker" not in page and "Choose Maida Vale Care" in page
    # Changing only the message leaves a recommendation alone.
    broker_steps(c, need, maida, "propose")
    apply(c["maida"], world["maida"], need, rate="25.80", message="Joanna can also drive.")
    assert maida.is_proposed


def test_languages_are_met_by_the_worker_the_offer_names(app, world):
    from app.needs import matching

    c = clients(app, world)
    need = post_need(c["broker"], world, required_languages=["arabic"])
    publish(c["broker"], need)
    apply(c["maida"], world["maida"], need, worker_languages=["arabic", "english"], requirements_met=[])
    apply(c["notting"], world["notting"], need, worker_languages=["english"], requirements_met=[])
    assert "language:arabic" in matching.met_requirements(offer_of(world["maida"], need))
    assert "language:arabic" not in matching.met_requirements(offer_of(world["notting"], need))
    # A tick (from an older offer, or sent by hand) does not count without a worker who speaks it.
    assert matching.requirements_met_by(need, ["language:arabic"], None, ["english"]) == []
    form = c["maida"].get(f"/providers/{world['maida'].id}/needs/{need.id}").get_data(as_text=True)
    assert 'value="language:arabic"' not in form
