"""The provider's side of needs and offers, and agreement pages for both sides: a rate above the
need's maximum is sent only once confirmed, a worker-gender match counts as met, withdrawing
asks first, the provider's home counts its work, the agreement shows who to contact (the
person only while it runs, each view audited), the person has their own agreement page, and a
filled need shows no deadline."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.models import AuditEvent, Notification
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.holders.models import DelegateAccess, Delegation, DelegationStatus
from app.needs import matching, services
from app.needs.models import AgreementStatus, OfferStatus, ServiceAgreement
from tests.conftest import sign_in_as
from tests.factories import BudgetHolderFactory, UserFactory
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

WARNING = ("Your rate of £27.00 an hour is above the most this need can pay (£26.00 an hour). You can still "
           "send it; the broker will see it is above the maximum.")


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def agreed(c, world):
    """Maida Vale's offer shortlisted, proposed and accepted by the person: the agreement."""
    need, offer = offered(c, world)
    broker_steps(c, need, offer, "shortlist", "propose")
    url = f"/people/{world['person'].id}/needs/{need.id}"
    c["person"].submit(f"{url}/offers/{offer.id}/accept", {}, form_url=url)
    agreement = db.session.scalar(select(ServiceAgreement).where(ServiceAgreement.offer_id == offer.id))
    assert agreement is not None and agreement.is_active
    return need, offer, agreement


def views_of(user) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "client_record.viewed", AuditEvent.actor_id == user.id))


# --- 1. A rate above the maximum ------------------------------------------------------------------


def test_a_rate_above_the_maximum_is_sent_only_once_confirmed(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    maida = world["maida"]
    warned = apply(c["maida"], maida, need, rate="27", message="Joanna lives on Elgin Avenue.")
    page = warned.get_data(as_text=True)
    assert warned.status_code == 400 and WARNING in html.unescape(page)
    assert offer_of(maida, need) is None  # nothing sent yet
    # Everything typed is kept, and the box to confirm is there.
    assert 'value="27' in page and "Joanna lives on Elgin Avenue." in page
    assert "Send my offer at this rate, above the maximum" in page

    sent = apply(c["maida"], maida, need, rate="27", confirm_above_maximum="y")
    assert sent.status_code == 302
    offer = offer_of(maida, need)
    assert offer.hourly_rate_pence == 2700 and offer.is_above_maximum
    broker_news = db.session.scalar(select(Notification.body).where(
        Notification.user_id == world["broker"].user_id, Notification.title.like("New offer%")))
    assert "above the maximum" in broker_news
    assert "Above the maximum" in page_of(c["broker"], f"/broker/needs/{need.id}")  # marked beside the offer
    assert "above the most this need can pay" in page_of(c["maida"], f"/providers/{maida.id}/needs/{need.id}")

    # Changing it keeps asking while it stays above; at or under the maximum it is simply saved.
    assert apply(c["maida"], maida, need, rate="28").status_code == 400 and offer.hourly_rate_pence == 2700
    assert apply(c["maida"], maida, need, rate="26").status_code == 302 and not offer.is_above_maximum
    # Derived from the need: a higher maximum later leaves the offer within it.
    offer.hourly_rate_pence = 2700
    need.max_hourly_rate_pence = 3000
    db.session.commit()
    assert not offer.is_above_maximum


def test_the_service_refuses_a_rate_above_the_maximum_unless_confirmed(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    details = services.OfferDetails(hourly_rate_pence=2700, proposed_start=today_in_london() + timedelta(days=7),
                                    requirements_met=[], message="We can help.", worker_languages=[],
                                    worker_gender=None)
    user = world["maida"].staff[0].user
    with pytest.raises(DomainError) as refused:
        services.save_offer(user, world["maida"].id, need.id, details)
    assert refused.value.field == "hourly_rate" and refused.value.message == WARNING
    details.above_maximum_confirmed = True
    assert services.save_offer(user, world["maida"].id, need.id, details).is_above_maximum


# --- 2. A worker-gender match -------------------------------------------------------------------


def test_a_worker_of_the_gender_asked_for_meets_the_requirement(app, world):
    c = clients(app, world)
    need = post_need(c["broker"], world)  # asks for a female worker and medication skills
    publish(c["broker"], need)
    maida, notting = world["maida"], world["notting"]
    apply(c["maida"], maida, need, requirements_met=[], worker_gender="female")
    apply(c["notting"], notting, need, requirements_met=[], worker_gender="male")
    offer = offer_of(maida, need)
    assert offer.requirements_met == ["gender:female"]
    assert offer_of(notting, need).requirements_met == []
    score = next(p for p in matching.match_score(offer).parts if p.label == "Requirements met")
    assert score.explanation == "Meets 1 of 2"

    page = page_of(c["maida"], f"/providers/{maida.id}/needs/{need.id}")
    assert "your offer meets 1 of 2" in page
    met_row = page.split("Worker: women</dt>")[1].split("</div>")[0]
    assert "Met" in met_row and "Not met" not in met_row
    broker_page = page_of(c["broker"], f"/broker/needs/{need.id}")
    assert "1 of 2<br>Worker: women" in broker_page

    # An offer stored with the gender unticked (as before) still counts the worker it names.
    offer.requirements_met = ["skill:medication"]
    db.session.commit()
    assert matching.met_requirements(offer) == ["skill:medication", "gender:female"]
    # The gender is answered by the worker, not by a tick of its own.
    ticked = apply(c["maida"], maida, need, requirements_met=["gender:female"], worker_gender="male")
    assert ticked.status_code == 400


# --- 3. Withdrawing asks first --------------------------------------------------------------------


def test_withdrawing_an_offer_asks_first(app, world):
    c = clients(app, world)
    need, offer = offered(c, world)
    need_url = f"/providers/{world['maida'].id}/needs/{need.id}"
    confirm_url = f"{need_url}/withdraw"
    assert f'href="{confirm_url}"' in page_of(c["maida"], need_url)  # a link: no JavaScript needed
    page = page_of(c["maida"], confirm_url)
    assert "Withdraw your offer for personal care in W9?" in page and "The broker will be told." in page
    assert offer.status == OfferStatus.SUBMITTED  # looking at the question changes nothing

    done = c["maida"].submit(confirm_url, {}, form_url=confirm_url, follow_redirects=True)
    assert "Your offer has been withdrawn." in done.get_data(as_text=True)
    assert offer.status == OfferStatus.WITHDRAWN
    assert db.session.scalar(select(Notification.id).where(
        Notification.user_id == world["broker"].user_id, Notification.title.like("%withdrew their offer")))
    assert c["maida"].get(confirm_url).status_code == 404  # nothing left to withdraw
    assert c["notting"].get(f"/providers/{world['notting'].id}/needs/{need.id}/withdraw").status_code == 404


# --- 4. The provider's home -----------------------------------------------------------------------


def test_the_providers_home_counts_offers_and_agreements(app, world):
    c = clients(app, world)
    maida = world["maida"]
    home = page_of(c["maida"], "/")
    assert "no offers waiting for a decision" in home and "no active agreements" in home
    for path in (f"/providers/{maida.id}/offers", f"/providers/{maida.id}/agreements",
                 f"/providers/{maida.id}/capacity"):
        assert f'href="{path}"' in home

    offered(c, world)
    second = post_need(c["broker"], world, public_description="An evening visit to help with dinner.")
    publish(c["broker"], second)
    apply(c["maida"], maida, second)
    assert "2 offers waiting for a decision" in page_of(c["maida"], "/")
    agreed(c, world)
    home = page_of(c["maida"], "/")
    assert "2 offers waiting for a decision" in home and "1 active agreement" in home


# --- 5. The provider's agreement page -------------------------------------------------------------


def test_the_agreement_shows_the_broker_and_the_person_only_while_it_runs(app, world):
    c = clients(app, world)
    need, offer, agreement = agreed(c, world)
    staff = world["maida"].staff[0].user
    url = f"/providers/{world['maida'].id}/agreements/{agreement.id}"
    person_email, broker_email = world["person"].user.email, world["broker"].user.email
    before = views_of(staff)
    page = page_of(c["maida"], url)
    assert person_email in page and "Grace Okafor" in page and broker_email in page
    assert views_of(staff) == before + 1
    page_of(c["maida"], url)
    assert views_of(staff) == before + 2  # every view is recorded
    viewed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "client_record.viewed",
                                                         AuditEvent.actor_id == staff.id)
                                .order_by(AuditEvent.id.desc())).first()
    assert viewed.budget_holder_id == world["person"].id

    # Handed back: still shown during the notice.
    c["maida"].submit(url, {"notice_ends_on": d(today_in_london() + timedelta(days=14)),
                            "reason": "Our carer in W9 is leaving."})
    assert agreement.status == AgreementStatus.HANDED_BACK
    assert person_email in page_of(c["maida"], url)
    # After the notice: gone, and no view recorded.
    agreement.notice_ends_on = today_in_london() - timedelta(days=1)
    db.session.commit()
    counted = views_of(staff)
    page = page_of(c["maida"], url)
    assert person_email not in page and "Grace Okafor" not in page and broker_email in page
    assert views_of(staff) == counted


def test_an_ended_agreement_no_longer_shows_the_persons_details(app, world):
    c = clients(app, world)
    need, offer, agreement = agreed(c, world)
    staff = world["maida"].staff[0].user
    url = f"/providers/{world['maida'].id}/agreements/{agreement.id}"
    assert world["person"].user.email in page_of(c["maida"], url)
    services.end_all_for_person_leaving(world["person"].id, world["person"].user)
    db.session.commit()
    counted = views_of(staff)
    page = page_of(c["maida"], url)
    assert agreement.status == AgreementStatus.ENDED
    assert world["person"].user.email not in page and "12 Elgin Avenue" not in page
    assert "contact details are not shown" in page
    assert views_of(staff) == counted


# --- 6. The person's agreement page ---------------------------------------------------------------


def test_the_person_sees_their_agreement_and_nobody_else_does(app, world):
    c = clients(app, world)
    need, offer, agreement = agreed(c, world)
    person = world["person"]
    url = f"/people/{person.id}/agreements/{agreement.id}"
    need_page = page_of(c["person"], f"/people/{person.id}/needs/{need.id}")
    assert f'href="{url}"' in need_page
    page = page_of(c["person"], url)
    for text in ("Your support agreement with Maida Vale Care", "Monday morning, Tuesday morning, Wednesday morning",
                 "3 hours", "£25.00 an hour", "£75.00 a week", world["maida"].staff[0].user.email,
                 "Daniel Price", world["broker"].user.email):
        assert text in page, text
    assert "Last day of support" not in page

    # Someone who may view Grace's records sees it too; a stranger, or Grace's address for
    # someone else's agreement, gets nothing.
    helper = UserFactory()
    db.session.add(Delegation(holder=person, user=helper, email=helper.email, name=helper.name,
                              access=DelegateAccess.VIEW, status=DelegationStatus.ACTIVE, expires_at=utcnow(),
                              invited_by_id=person.user_id))
    db.session.commit()
    assert "Grace Okafor's support agreement with Maida Vale Care" in page_of(sign_in_as(app.test_client(), helper),
                                                                                url)
    stranger = BudgetHolderFactory()
    assert sign_in_as(app.test_client(), stranger.user).get(url).status_code == 404
    other_url = f"/people/{stranger.id}/agreements/{agreement.id}"
    assert sign_in_as(app.test_client(), stranger.user).get(other_url).status_code == 404
    assert c["maida"].get(url).status_code == 404

    # After a hand back the page says when the support ends.
    last_day = today_in_london() + timedelta(days=14)
    c["maida"].submit(f"/providers/{world['maida'].id}/agreements/{agreement.id}",
                      {"notice_ends_on": d(last_day), "reason": "Our carer in W9 is leaving."})
    page = page_of(c["person"], url)
    assert "Last day of support" in page and f"{last_day.day} {last_day:%B %Y}" in page


# --- 7. No deadline on a filled need --------------------------------------------------------------


def test_a_filled_need_shows_no_deadline(app, world):
    c = clients(app, world)
    need, offer = offered(c, world)
    urls = {"person": f"/people/{world['person'].id}/needs/{need.id}", "broker": f"/broker/needs/{need.id}",
            "maida": f"/providers/{world['maida'].id}/needs/{need.id}"}
    for who, url in urls.items():
        assert "Deadline for offers" in page_of(c[who], url), who
    broker_steps(c, need, offer, "shortlist", "propose")
    c["person"].submit(f"{urls['person']}/offers/{offer.id}/accept", {}, form_url=urls["person"])
    assert need.is_filled and need.deadline_at > utcnow()  # filled before its deadline
    for who, url in urls.items():
        page = page_of(c[who], url)
        assert "Deadline for offers" not in page and "left)" not in page, who
    for who, url in (("person", f"/people/{world['person'].id}/needs"), ("broker", "/broker/needs"),
                     ("maida", f"/providers/{world['maida'].id}/offers")):
        assert "left)" not in page_of(c[who], url), who


def test_sending_an_offer_audits_only_the_pages_that_show_the_private_details(app, world):
    """The offer's POST shows nothing itself: only the page shown afterwards counts as a view."""
    from app.core.models import AuditEvent

    c = clients(app, world)
    need = post_need(c["broker"], world)
    publish(c["broker"], need)
    apply(c["maida"], world["maida"], need)
    offer = offer_of(world["maida"], need)
    c["broker"].submit(f"/broker/needs/{need.id}/offers/{offer.id}/shortlist", {}, form_url=f"/broker/needs/{need.id}")

    def provider_views() -> int:
        return len(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "client_record.viewed", AuditEvent.actor_id == world["maida"].staff[0].user_id)).all())

    before = provider_views()
    changed = apply(c["maida"], world["maida"], need, message="Joanna can start at 8.")
    assert changed.status_code == 302
    # apply() opened the need page once for its form (one view); the POST itself adds none.
    assert provider_views() == before + 1
