"""Private details (health, medication, address, key safe) are seen only while someone has a
reason to see them: a provider that hands back, a person who closes their account, a broker who
is no longer the person's broker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.errors import DomainError
from app.core.models import AuditEvent, Notification
from app.core.timeutil import today_in_london, utcnow
from app.engagements import services as engagements
from app.engagements.models import EngagementStatus
from app.extensions import db
from app.holders import services as holders
from app.holders.models import Consent
from app.needs import choosing, tasks
from app.needs.models import (
    AgreementStatus,
    Need,
    NeedPrivateDetails,
    NeedStatus,
    OfferMessage,
    OfferStatus,
    ServiceAgreement,
)
from tests.conftest import sign_in_as
from tests.factories import PASSWORD, HubFactory, HubLeadFactory, accredited_broker
from tests.integration.test_needs_and_offers import (
    apply,
    broker_steps,
    clients,
    d,
    offer_of,
    offered,
    post_need,
    publish,
)

PRIVATE = ("12 Elgin Avenue", "Type 2 diabetes", "Key safe")


def titles_for(user_id: int) -> list[str]:
    return list(db.session.scalars(select(Notification.title).where(Notification.user_id == user_id)))


def accepted(c, world, organisation_key="maida"):
    """A need posted, published, the provider's offer shortlisted, proposed and accepted."""
    need, offer = offered(c, world, organisation_key, rival=organisation_key != "notting")
    broker_steps(c, need, offer, "shortlist", "propose")
    url = f"/people/{world['person'].id}/needs/{need.id}"
    c["person"].submit(f"{url}/offers/{offer.id}/accept", {}, form_url=url)
    agreement = db.session.scalar(select(ServiceAgreement).where(ServiceAgreement.offer_id == offer.id))
    assert agreement is not None
    return need, offer, agreement


def shows_private(page: str) -> bool:
    return any(text in page for text in PRIVATE)


def provider_pages(world, need, agreement) -> tuple[str, str]:
    """Maida's page of the need and of its agreement."""
    maida = world["maida"]
    return f"/providers/{maida.id}/needs/{need.id}", f"/providers/{maida.id}/agreements/{agreement.id}"


def hand_back(c, world, agreement, days=7, reason="Leaving the area."):
    """Maida hands the agreement back, the notice ending `days` days from today."""
    return c["maida"].submit(f"/providers/{world['maida'].id}/agreements/{agreement.id}",
                             {"notice_ends_on": d(today_in_london() + timedelta(days=days)), "reason": reason})


# --- Hand back -------------------------------------------------------------------------------------


def test_after_hand_back_private_details_only_on_the_agreement_until_the_notice_ends(app, world):
    c = clients(app, world)
    need, offer, agreement = accepted(c, world)
    maida = world["maida"]
    need_url, agreement_url = provider_pages(world, need, agreement)
    assert shows_private(c["maida"].get(need_url).get_data(as_text=True))
    hand_back(c, world, agreement, days=14, reason="Our carer in W9 is leaving.")
    assert agreement.status == AgreementStatus.HANDED_BACK
    # The old offer has left the accepted state.
    assert offer.status == OfferStatus.HANDED_BACK
    # Never on the re-opened need...
    assert need.status == NeedStatus.OPEN
    reopened = c["maida"].get(need_url)
    assert reopened.status_code == 200 and not shows_private(reopened.get_data(as_text=True))
    # ... but on the agreement page while the support goes on (audited).
    before = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "client_record.viewed", AuditEvent.actor_id == maida.staff[0].user_id))
    assert shows_private(c["maida"].get(agreement_url).get_data(as_text=True))
    after = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "client_record.viewed", AuditEvent.actor_id == maida.staff[0].user_id))
    assert after == before + 1
    # The old question thread is closed.
    reply = c["maida"].submit(f"{need_url}/messages", {"body": "Still here?"},
                              form_url=need_url)
    assert reply.status_code == 400
    assert not offer.messages
    # It cannot apply for the support it handed back.
    assert apply(c["maida"], maida, need).status_code == 400
    # Once the notice has ended, the agreement page shows nothing private, and the view is not audited.
    agreement.notice_ends_on = today_in_london() - timedelta(days=1)
    db.session.commit()
    page = c["maida"].get(agreement_url).get_data(as_text=True)
    assert not shows_private(page) and "no longer shown" in page
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "client_record.viewed", AuditEvent.actor_id == maida.staff[0].user_id)) == after


def test_accepting_a_new_offer_after_hand_back_leaves_one_accepted_offer(app, world):
    c = clients(app, world)
    need, old_offer, agreement = accepted(c, world)
    hand_back(c, world, agreement)
    new_offer = offer_of(world["notting"], need)
    assert apply(c["notting"], world["notting"], need, rate="24").status_code == 302
    for step in ("shortlist", "propose"):
        c["broker"].submit(f"/broker/needs/{need.id}/offers/{new_offer.id}/{step}", {},
                           form_url=f"/broker/needs/{need.id}")
    url = f"/people/{world['person'].id}/needs/{need.id}"
    c["person"].submit(f"{url}/offers/{new_offer.id}/accept", {}, form_url=url)
    assert need.status == NeedStatus.FILLED
    statuses = sorted(o.status.value for o in need.offers)
    assert statuses == ["accepted", "handed_back"]


def test_the_database_allows_one_accepted_offer_per_need(app, world):
    c = clients(app, world)
    need, offer, _ = accepted(c, world)
    other = offer_of(world["notting"], need)
    other.status = OfferStatus.ACCEPTED
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- Closing a budget holder's account ----------------------------------------------------------------


def test_closing_the_persons_account_withdraws_needs_ends_agreements_and_erases_private_details(app, world):
    c = clients(app, world)
    filled, offer, agreement = accepted(c, world)
    offer_thread = OfferMessage(offer=offer, author_id=world["broker"].user_id, body="Grace's insulin is at 8am.")
    db.session.add(offer_thread)
    db.session.commit()
    open_need = post_need(c["broker"], world, public_description="Someone to go shopping with on Fridays.")
    publish(c["broker"], open_need)
    apply(c["notting"], world["notting"], open_need)
    shortlisted = offer_of(world["notting"], open_need)
    c["broker"].submit(f"/broker/needs/{open_need.id}/offers/{shortlisted.id}/shortlist", {},
                       form_url=f"/broker/needs/{open_need.id}")
    notting_url = f"/providers/{world['notting'].id}/needs/{open_need.id}"
    assert shows_private(c["notting"].get(notting_url).get_data(as_text=True))
    person, broker = world["person"], world["broker"]
    holders.record_consent(person, purpose="share_with_broker", recorded_by=person.user,
                           method=holders.ConsentMethod.ONLINE, broker=broker)
    db.session.commit()

    closed = c["person"].submit("/account/close", {"password": PASSWORD, "understood": "y"})
    assert closed.status_code == 302

    # Open needs are withdrawn, off the providers' boards, and the providers told.
    assert open_need.status == NeedStatus.WITHDRAWN
    assert shortlisted.status == OfferStatus.NOT_CHOSEN
    assert "Someone to go shopping" not in c["maida"].get("/needs").get_data(as_text=True)
    assert any(t.startswith("No longer needed") for t in titles_for(world["notting"].staff[0].user_id))
    # The agreement ends, with notice to the provider.
    assert agreement.status == AgreementStatus.ENDED and agreement.ended_at is not None
    assert any(t.startswith("Service agreement ended") for t in titles_for(world["maida"].staff[0].user_id))
    # The private details rows are erased, and messages about the person with them.
    assert db.session.scalar(select(func.count()).select_from(NeedPrivateDetails).where(
        NeedPrivateDetails.need_id.in_([filled.id, open_need.id]))) == 0
    assert "insulin" not in db.session.get(OfferMessage, offer_thread.id).body
    # Nothing private is shown anywhere any more.
    for client, url in ((c["notting"], notting_url),
                        (c["maida"], f"/providers/{world['maida'].id}/needs/{filled.id}"),
                        (c["maida"], f"/providers/{world['maida'].id}/agreements/{agreement.id}")):
        page = client.get(url)
        assert page.status_code == 200 and not shows_private(page.get_data(as_text=True)), url
    # The engagement ended through brokerage's own service: consent withdrawn and audited.
    row = world["engagement"]
    assert row.status == EngagementStatus.ENDED
    assert db.session.scalar(select(func.count()).select_from(Consent).where(
        Consent.holder_id == person.id, Consent.withdrawn_at.is_(None))) == 0
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.budget_holder_id == person.id)))
    assert {"engagement.ended", "consent.withdrawn", "need.withdrawn", "agreement.ended"} <= actions
    assert any("closed their account" in t for t in titles_for(broker.user_id))


def test_a_broker_closing_their_account_withdraws_the_consent_to_share_with_them(app, world):
    person, broker = world["person"], world["broker"]
    holders.record_consent(person, purpose="share_with_broker", recorded_by=person.user,
                           method=holders.ConsentMethod.ONLINE, broker=broker)
    db.session.commit()
    sign_in_as(app.test_client(), broker.user).submit("/account/close", {"password": PASSWORD, "understood": "y"})
    assert world["engagement"].status == EngagementStatus.ENDED
    assert db.session.scalar(select(func.count()).select_from(Consent).where(
        Consent.broker_id == broker.id, Consent.withdrawn_at.is_(None))) == 0
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "engagement.ended",
                                                      AuditEvent.budget_holder_id == person.id)) is not None


# --- Changing broker ----------------------------------------------------------------------------------


def change_broker(world, hub=None):
    """The person ends with their broker and a new one (in another hub) accepts their request."""
    person = world["person"]
    new_hub = hub or HubFactory(districts=["W2"])
    new_lead = HubLeadFactory(hub=new_hub).user
    new_broker = accredited_broker(new_hub, name="Fatima Begum")
    acting = holders.access(person.user, person.id, act=True)
    engagements.end_by_holder(acting, world["engagement"].id, "Moving to a broker nearer home.")
    request = engagements.ask_broker(holders.access(person.user, person.id, act=True), new_broker.id,
                                   message="Please help.", help_wanted=["planning"], consent=True)
    engagements.accept_request(new_broker.user, request.id)
    return new_broker, new_lead


def test_everything_about_a_need_goes_to_the_persons_current_broker(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    old_broker = world["broker"]
    new_broker, _ = change_broker(world)
    old_before = len(titles_for(old_broker.user_id))
    apply(c["maida"], world["maida"], need)
    offer = offer_of(world["maida"], need)
    choosing.shortlist(new_broker.user, need.id, offer.id)
    c["maida"].submit(f"/providers/{world['maida'].id}/needs/{need.id}/messages",
                      {"body": "Does Grace need help with her insulin?"})
    c["maida"].submit(f"/providers/{world['maida'].id}/needs/{need.id}/withdraw", {},
                      form_url=f"/providers/{world['maida'].id}/needs/{need.id}")
    assert len(titles_for(old_broker.user_id)) == old_before  # the former broker hears nothing more
    new_titles = titles_for(new_broker.user_id)
    assert any("New offer from Maida Vale Care" in t for t in new_titles)
    assert any("replied about their offer" in t for t in new_titles)
    assert any("withdrew their offer" in t for t in new_titles)
    # The need now belongs to the new broker, and its page is theirs, not the former broker's.
    assert need.broker_id == new_broker.id
    assert c["broker"].get(f"/broker/needs/{need.id}").status_code == 404


def test_gaps_go_to_the_hub_of_the_persons_current_broker(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    new_broker, new_lead = change_broker(world)
    need.published_at = need.published_at - timedelta(days=4)
    db.session.commit()
    assert tasks.flag_gaps() == 1
    assert any(t.startswith("Gap in W9") for t in titles_for(new_lead.id))
    assert not any(t.startswith("Gap in W9") for t in titles_for(world["lead"].id))
    lead_client = sign_in_as(app.test_client(), new_lead)
    assert "Personal care" in lead_client.get("/hub/gaps").get_data(as_text=True)
    before = len(titles_for(world["broker"].user_id))
    lead_client.submit(f"/hub/gaps/{need.gap.id}", {f"g{need.gap.id}-response": "We are recruiting in W9."},
                       form_url="/hub/gaps")
    assert need.gap.response == "We are recruiting in W9."
    assert any("responded about the gap" in t for t in titles_for(new_broker.user_id))
    assert len(titles_for(world["broker"].user_id)) == before


# --- The edit form ---------------------------------------------------------------------------------------


def test_opening_the_edit_form_is_audited_and_refused_once_published(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    url = f"/broker/needs/{need.id}/edit"

    def views():
        return db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "client_record.viewed", AuditEvent.object_id == str(need.id),
            AuditEvent.actor_id == world["broker"].user_id).order_by(AuditEvent.id)).all()

    before = len(views())
    page = c["broker"].get(url)
    assert page.status_code == 200 and "12 Elgin Avenue" in page.get_data(as_text=True)
    viewed = views()
    assert len(viewed) == before + 1 and viewed[-1].budget_holder_id == world["person"].id
    assert viewed[-1].details.get("form") == "edit"
    publish(c["broker"], need)
    refused = c["broker"].get(url)
    assert refused.status_code == 302 and refused.headers["Location"].endswith(f"/broker/needs/{need.id}")
    followed = c["broker"].get(refused.headers["Location"]).get_data(as_text=True)
    assert "A published need cannot be changed" in followed
    posted = c["broker"].submit(url, {"public_description": "Changed"}, form_url=f"/broker/needs/{need.id}")
    assert posted.status_code == 302
    assert db.session.get(Need, need.id).public_description != "Changed"
    with pytest.raises(DomainError):
        from app.needs import posting

        posting.draft_for_editing(world["broker"].user, need.id)


# --- Found in review ---------------------------------------------------------------------------------


def test_a_fixed_term_agreement_stops_showing_private_details_after_its_end_date(app, world):
    c = clients(app, world)
    need, offer, agreement = accepted(c, world)
    need_url, agreement_url = provider_pages(world, need, agreement)
    assert shows_private(c["maida"].get(agreement_url).get_data(as_text=True))
    agreement.end_date = today_in_london() - timedelta(days=1)
    db.session.commit()
    assert not shows_private(c["maida"].get(agreement_url).get_data(as_text=True))
    assert not shows_private(c["maida"].get(need_url).get_data(as_text=True))
    reply = c["maida"].submit(f"{need_url}/messages", {"body": "Hello"},
                              form_url=need_url)
    assert reply.status_code == 400


def test_messages_stay_in_the_portal_not_in_notifications_or_emails(app, world):
    from app.core.models import OutboxMessage

    c = clients(app, world)
    need, offer = offered(c, world)
    choosing.shortlist(world["broker"].user, need.id, offer.id)
    choosing.broker_message(world["broker"].user, need.id, offer.id, "Grace has type 2 diabetes and insulin.")
    choosing.provider_message(world["maida"].staff[0].user, world["maida"].id, need.id, "Our carer knows insulin.")
    bodies = list(db.session.scalars(select(Notification.body))) + list(db.session.scalars(
        select(OutboxMessage.body_text)))
    assert not any("insulin" in (body or "") for body in bodies)


def test_closing_the_account_tells_a_provider_in_its_notice_once(app, world):
    c = clients(app, world)
    need, offer, agreement = accepted(c, world)
    hand_back(c, world, agreement, days=14)
    before = len(titles_for(world["maida"].staff[0].user_id))
    c["person"].submit("/account/close", {"password": PASSWORD, "understood": "y"})
    new = titles_for(world["maida"].staff[0].user_id)[before:]
    assert len(new) == 1 and new[0].startswith("Service agreement ended"), new
    assert need.status == NeedStatus.WITHDRAWN


def test_a_provider_that_handed_back_is_not_offered_the_need_again(app, world):
    c = clients(app, world)
    need, offer, agreement = accepted(c, world)
    maida = world["maida"]
    hand_back(c, world, agreement)
    assert "Personal care in W9" not in c["maida"].get(f"/needs?org={maida.id}").get_data(as_text=True)
    page = c["maida"].get(f"/providers/{maida.id}/needs/{need.id}").get_data(as_text=True)
    assert "You handed this support back" in page and "Change offer" not in page
    before = len(titles_for(maida.staff[0].user_id))
    c["broker"].submit(f"/broker/needs/{need.id}/reopen", {"response_hours": "48"}, form_url=f"/broker/needs/{need.id}")
    assert not any(t.startswith("Re-opened") for t in titles_for(maida.staff[0].user_id)[before:])


def test_a_helpers_view_of_the_private_details_is_audited(app, world):
    from app.holders.models import DelegateAccess, Delegation, DelegationStatus
    from tests.factories import UserFactory

    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    helper = UserFactory(name="Ada Okafor")
    db.session.add(Delegation(holder=world["person"], user_id=helper.id, email=helper.email, name=helper.name,
                              relationship_to_holder="daughter", access=DelegateAccess.VIEW,
                              status=DelegationStatus.ACTIVE, invited_by_id=world["person"].user_id,
                              expires_at=utcnow() + timedelta(days=30)))
    db.session.commit()
    url = f"/people/{world['person'].id}/needs/{need.id}"
    assert "12 Elgin Avenue" in sign_in_as(app.test_client(), helper).get(url).get_data(as_text=True)
    viewed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "client_record.viewed",
                                                        AuditEvent.actor_id == helper.id))
    assert viewed is not None and viewed.budget_holder_id == world["person"].id
    # The person reading their own record is not a disclosure.
    c["person"].get(url)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "client_record.viewed", AuditEvent.actor_id == world["person"].user_id)) == 0


def test_every_render_of_the_brokers_need_page_is_audited(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)

    def views():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "client_record.viewed", AuditEvent.actor_id == world["broker"].user_id,
            AuditEvent.object_id == str(need.id)))

    before = views()
    failed = c["broker"].submit(f"/broker/needs/{need.id}/withdraw", {"withdraw-reason": ""},
                                form_url=f"/broker/needs/{need.id}")
    assert failed.status_code == 400 and "12 Elgin Avenue" in failed.get_data(as_text=True)
    assert views() == before + 2  # the page the form was read from, and the page with the error


def test_the_close_page_says_what_happens_to_the_support_and_the_name_leaves_others_messages(app, world):
    c = clients(app, world)
    need, offer, agreement = accepted(c, world)
    open_need = post_need(c["broker"], world, public_description="Someone to go shopping with on Fridays.")
    publish(c["broker"], open_need)
    page = c["person"].get("/account/close").get_data(as_text=True)
    assert "What happens to your support" in page
    assert "your support from Maida Vale Care (personal care) ends in OurChoice today" in page
    assert "1 need not yet filled is withdrawn" in page
    assert "your work with your broker, " in page
    broker_titles = titles_for(world["broker"].user_id)
    assert any("Grace Okafor" in t for t in broker_titles)
    c["person"].submit("/account/close", {"password": PASSWORD, "understood": "y"})
    bodies = [(n.title, n.body) for n in db.session.scalars(select(Notification).where(
        Notification.user_id == world["broker"].user_id))]
    assert bodies and not any("Grace Okafor" in f"{t} {b}" for t, b in bodies)
    assert any("former client" in f"{t} {b}".lower() for t, b in bodies)
    ended = next(n for n in db.session.scalars(select(Notification).where(
        Notification.user_id == world["maida"].staff[0].user_id)) if n.title.startswith("Service agreement ended"))
    assert world["hub"].name in ended.body  # the provider is told who can help with a handover
