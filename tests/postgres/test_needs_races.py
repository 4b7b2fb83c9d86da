"""Needs and offers under pressure, on a real PostgreSQL server, with real concurrent
transactions: many providers applying in the same second, a double-clicked submit, an offer
withdrawn while it is being accepted, two people accepting at once, a need withdrawn while
offers arrive."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.errors import DomainError
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db
from app.holders import services as holders
from app.holders.models import DelegateAccess, Delegation, DelegationStatus
from app.needs import choosing, offers, posting
from app.needs.models import Need, NeedStatus, Offer, OfferStatus, ServiceAgreement
from tests.factories import (
    BudgetHolderFactory,
    HubFactory,
    UserFactory,
    accredited_broker,
    agree_and_publish,
    category,
    engagement,
    provider,
)
from tests.postgres.test_engagements_races import race


def open_need(providers_count: int = 0):
    hub = HubFactory(districts=["W9"])
    broker = accredited_broker(hub)
    person = BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor")
    row = engagement(person, broker)
    need = posting.create_draft(broker.user, row.id, posting.NeedDetails(
        category_id=category("personal-care").id, district="W9", schedule=[(0, "morning")], times_note="",
        minutes_per_week=300, start_date=today_in_london() + timedelta(days=3), end_date=None, required_skills=[],
        required_languages=[], worker_gender=None, double_up=False, driver=False, urgency="routine",
        max_hourly_rate_pence=2600, public_description="Help in the mornings."))
    agree_and_publish(broker.user, need)
    organisations = [provider(f"Care {n}", districts=("W9",)) for n in range(providers_count)]
    db.session.commit()  # the set-up is a unit of work of its own, seen by the racing connections
    return broker, person, need, organisations


def details(rate: int = 2500) -> offers.OfferDetails:
    return offers.OfferDetails(hourly_rate_pence=rate, proposed_start=today_in_london() + timedelta(days=3),
                               requirements_met=[], message="We can help.", worker_languages=[], worker_gender=None)


def as_user(user_id: int) -> User:
    return db.session.get(User, user_id)


def test_many_providers_apply_in_the_same_second(pg_app):
    _, _, need, organisations = open_need(8)
    calls = [(o.staff[0].user_id, o.id) for o in organisations]
    outcomes = race(pg_app, [lambda u=u, o=o: offers.save_offer(as_user(u), o, need.id, details()) for u, o in calls])
    assert all(isinstance(o, Offer) for o in outcomes), outcomes
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Offer)) == 8
    assert db.session.get(Need, need.id).first_offer_at is not None


def test_a_double_clicked_submit_makes_one_offer(pg_app):
    _, _, need, [organisation] = open_need(1)
    user_id = organisation.staff[0].user_id
    outcomes = race(pg_app, [lambda: offers.save_offer(as_user(user_id), organisation.id, need.id, details())] * 3)
    assert sum(isinstance(o, Offer) for o in outcomes) >= 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Offer)) == 1


def test_no_offer_lands_on_a_need_withdrawn_at_the_same_moment(pg_app):
    broker, _, need, organisations = open_need(4)
    broker_id = broker.user_id
    jobs = [lambda u=o.staff[0].user_id, o=o.id: offers.save_offer(as_user(u), o, need.id, details())
            for o in organisations]
    jobs.append(lambda: posting.withdraw(as_user(broker_id), need.id, "No longer needed"))
    race(pg_app, jobs)
    db.session.expire_all()
    assert db.session.get(Need, need.id).status == NeedStatus.WITHDRAWN
    live = db.session.scalar(select(func.count()).select_from(Offer).where(Offer.status == OfferStatus.SUBMITTED))
    assert live == 0  # any offer that got in first was closed by the withdrawal


def test_no_offer_after_the_deadline(pg_app):
    _, _, need, [organisation] = open_need(1)
    row = db.session.get(Need, need.id)
    row.deadline_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    user_id = organisation.staff[0].user_id
    outcomes = race(pg_app, [lambda: offers.save_offer(as_user(user_id), organisation.id, need.id, details())] * 2)
    assert all(isinstance(o, DomainError) for o in outcomes)
    assert db.session.scalar(select(func.count()).select_from(Offer)) == 0


def _proposed(broker, need, organisation) -> Offer:
    offer = offers.save_offer(organisation.staff[0].user, organisation.id, need.id, details())
    choosing.shortlist(broker.user, need.id, offer.id)
    choosing.propose(broker.user, need.id, offer.id, "Meets every requirement.")
    return offer


def test_offer_withdrawn_while_being_accepted(pg_app):
    broker, person, need, [organisation] = open_need(1)
    offer = _proposed(broker, need, organisation)
    holder_user_id, holder_id, provider_user_id = person.user_id, person.id, organisation.staff[0].user_id

    def accept():
        return choosing.accept(holders.access(as_user(holder_user_id), holder_id, act=True), need.id, offer.id)

    def withdraw():
        return offers.withdraw_offer(as_user(provider_user_id), organisation.id, need.id)

    outcomes = race(pg_app, [accept, withdraw])
    db.session.expire_all()
    final = db.session.get(Offer, offer.id)
    agreements = db.session.scalar(select(func.count()).select_from(ServiceAgreement))
    if final.status == OfferStatus.ACCEPTED:
        assert agreements == 1 and isinstance(outcomes[1], DomainError)
    else:
        assert final.status == OfferStatus.WITHDRAWN and agreements == 0 and isinstance(outcomes[0], DomainError)


def test_two_people_accepting_at_once_make_one_agreement(pg_app):
    broker, person, need, [organisation] = open_need(1)
    offer = _proposed(broker, need, organisation)
    helper = UserFactory()
    db.session.add(Delegation(holder_id=person.id, user_id=helper.id, email=helper.email, name=helper.name,
                              access=DelegateAccess.ACT, status=DelegationStatus.ACTIVE, expires_at=utcnow(),
                              invited_by_id=person.user_id))
    db.session.commit()
    people = [person.user_id, helper.id, person.user_id]
    outcomes = race(pg_app, [lambda u=u: choosing.accept(holders.access(as_user(u), person.id, act=True), need.id,
                                                         offer.id) for u in people])
    assert sum(isinstance(o, ServiceAgreement) for o in outcomes) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ServiceAgreement)) == 1


def test_proposing_two_offers_at_once_leaves_one_proposed(pg_app):
    broker, _, need, organisations = open_need(2)
    made = [offers.save_offer(o.staff[0].user, o.id, need.id, details()) for o in organisations]
    for offer in made:
        choosing.shortlist(broker.user, need.id, offer.id)
    broker_id = broker.user_id
    race(pg_app, [lambda o=o.id: choosing.propose(as_user(broker_id), need.id, o, "The best fit.") for o in made])
    db.session.expire_all()
    proposed = db.session.scalar(select(func.count()).select_from(Offer).where(Offer.status == OfferStatus.PROPOSED))
    assert proposed == 1


def test_a_lock_reads_the_row_as_it_is_now_not_as_the_page_first_loaded_it(pg_app):
    """A view loads the need, another request fills it and commits, then the withdrawal locks the
    row: it must see 'filled' (the locked row is re-read), not the copy loaded before."""
    from sqlalchemy import text

    broker, _, need, _ = open_need()
    loaded = db.session.get(Need, need.id)  # what the view loaded, status open
    assert loaded.status == NeedStatus.OPEN
    with db.engine.begin() as other:  # another request fills the need meanwhile
        other.execute(text("UPDATE needs SET status = 'filled' WHERE id = :id"), {"id": need.id})
    try:
        posting.withdraw(broker.user, need.id, "No longer needed")
    except DomainError as error:
        assert "filled" in error.message
    else:
        raise AssertionError("a filled need was withdrawn")
    db.session.rollback()
    assert db.session.get(Need, need.id).status == NeedStatus.FILLED
