"""Choosing an offer: the broker shortlists (revealing the private details to that provider, once
the person agreed to share them), asks questions in a thread, and proposes one offer as their
recommendation, with the reason; the budget holder (or someone who can act for them) accepts any
shortlisted offer, which makes the service agreement and fills the need, or turns the
recommendation down.

Acceptance locks the need and the offer rows, so two acceptances at once, or an acceptance
racing a withdrawal, end with exactly one agreement; a partial unique index (one active
agreement per need) backs this up in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import audit, unit_of_work
from app.core.errors import DomainError, NotFound
from app.core.permissions import ensure
from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.extensions import db
from app.holders.policies import can_act_for
from app.holders.services import HolderAccess, tell_holder
from app.needs import access, policies
from app.needs.events import (
    AGREEMENT_NEWS,
    NEED_NEWS,
    event,
    provider_link,
    tell_broker,
    tell_no_longer_needed,
    tell_provider,
)
from app.needs.models import Need, NeedStatus, Offer, OfferMessage, OfferStatus, ServiceAgreement
from app.needs.policies import refuse


def shortlist(user: User, need_id: int, offer_id: int) -> Offer:
    """The provider now sees the private details, and the broker may ask it questions."""
    need = access.need_for_broker(user, need_id, lock=True)
    refuse(policies.choosing_refusal(need))
    offer = access.offer_on(need, offer_id, lock=True)
    refuse(policies.shortlist_refusal(offer))
    now = utcnow()
    offer.status = OfferStatus.SHORTLISTED
    offer.shortlisted_at = now
    need.shortlisted_at = need.shortlisted_at or now
    event(need, "shortlisted", user, organisation_id=offer.organisation_id)
    audit.record("offer.shortlisted", actor=user, holder=need.holder, obj=offer)
    tell_provider(offer, f"You are shortlisted: {need.category.name} in {need.district}",
                  "You can now see the private details of the need, and the broker may ask you questions.",
                  provider_link(offer))
    return offer


def propose(user: User, need_id: int, offer_id: int, reason: str) -> Offer:
    """One shortlisted offer at a time is proposed to the person, as the broker's
    recommendation, with the reason; the person may still choose any offer on the shortlist."""
    need = access.need_for_broker(user, need_id, lock=True)
    refuse(policies.choosing_refusal(need))
    offer = access.offer_on(need, offer_id, lock=True)
    refuse(policies.propose_refusal(offer))
    if need.proposed_offer is not None:
        raise DomainError("Another offer is already proposed. Wait for the person's answer first")
    if not reason.strip():
        raise DomainError(f"Tell {need.holder.name} why you recommend this offer", field="reason")
    offer.status = OfferStatus.PROPOSED
    offer.proposed_at = utcnow()
    offer.proposal_reason = reason.strip()
    event(need, "proposed", user, organisation_id=offer.organisation_id)
    audit.record("offer.proposed", actor=user, holder=need.holder, obj=offer)
    try:
        db.session.flush()
    except IntegrityError as exc:
        unit_of_work.discard()
        raise DomainError("Another offer is already proposed. Wait for the person's answer first") from exc
    tell_holder(need.holder, NEED_NEWS.key, f"Your broker recommends {offer.organisation.name}",
                f"For {need.category.name.lower()}. Have a look at the offers and choose the one you want.",
                path_for("needs.holder_need", holder_id=need.holder_id, need_id=need.id))
    return offer


@dataclass(frozen=True)
class Terms:
    """What the person agrees to when they accept an offer: shown on the check page, and then
    exactly what the service agreement records."""

    offer: Offer
    hourly_rate_pence: int
    travel_supplement_pence: int
    minutes_per_week: int
    start_date: date
    end_date: date | None

    @property
    def weekly_cost_pence(self) -> int:
        return (self.hourly_rate_pence + self.travel_supplement_pence) * self.minutes_per_week // 60

    @property
    def fingerprint(self) -> str:
        """The terms as shown, sent back with the acceptance: if the offer or the need changed in
        between, the person is shown the new terms instead of agreeing to ones they never saw."""
        return (f"{self.hourly_rate_pence}|{self.travel_supplement_pence}|{self.minutes_per_week}|"
                f"{self.start_date.isoformat()}|{self.end_date.isoformat() if self.end_date else ''}")


def terms_of(need: Need, offer: Offer) -> Terms:
    return Terms(offer=offer, hourly_rate_pence=offer.hourly_rate_pence,
                 travel_supplement_pence=need.travel_supplement_pence, minutes_per_week=need.minutes_per_week,
                 start_date=max(offer.proposed_start, need.start_date), end_date=need.end_date)


def check_acceptance(acting: HolderAccess, need_id: int, offer_id: int) -> Terms:
    """The check-your-answers step before accepting: the same rules as `accept`, nothing changed."""
    ensure(can_act_for, acting.user, acting.holder, hide=False)
    need = access.need_for_holder(acting, need_id)
    offer = access.offer_on(need, offer_id)
    if not policies.can_accept(acting.user, offer):
        raise NotFound()
    return terms_of(need, offer)


def accept(acting: HolderAccess, need_id: int, offer_id: int, *, seen_terms: str | None = None) -> ServiceAgreement:
    """The person accepts an offer on the shortlist (their broker's recommendation or another):
    the service agreement starts; the need is filled; every other offer is not chosen."""
    ensure(can_act_for, acting.user, acting.holder, hide=False)
    need = access.need_for_holder(acting, need_id, lock=True)
    if need.is_filled:
        raise DomainError("This need has already been filled")
    refuse(policies.choosing_refusal(need))
    offer = access.offer_on(need, offer_id, lock=True)
    refuse(policies.accept_refusal(offer))
    recommended = offer.is_proposed
    now = utcnow()
    terms = terms_of(need, offer)
    if seen_terms is not None and seen_terms != terms.fingerprint:
        raise DomainError("The offer changed after you checked it. Choose it again to see the new terms")
    agreement = ServiceAgreement(
        need=need, offer=offer, holder_id=need.holder_id, organisation_id=offer.organisation_id,
        hourly_rate_pence=terms.hourly_rate_pence, travel_supplement_pence=terms.travel_supplement_pence,
        minutes_per_week=terms.minutes_per_week, schedule=need.schedule, times_note=need.times_note,
        start_date=terms.start_date, end_date=terms.end_date, accepted_by_id=acting.user.id, created_at=now,
    )
    db.session.add(agreement)
    offer.status = OfferStatus.ACCEPTED
    offer.decided_at = now
    for other in need.offers:
        if other.id != offer.id and other.status in (OfferStatus.SUBMITTED, OfferStatus.SHORTLISTED,
                                                     OfferStatus.PROPOSED):
            other.status = OfferStatus.NOT_CHOSEN
            other.decided_at = now
    need.status = NeedStatus.FILLED
    need.accepted_at = now
    if need.gap is not None and need.gap.resolved_at is None:
        need.gap.resolved_at = now
    try:
        db.session.flush()
    except IntegrityError as exc:  # another acceptance won
        unit_of_work.discard()
        raise DomainError("This need has already been filled") from exc
    event(need, "accepted", acting.user, organisation_id=offer.organisation_id, agreement_id=agreement.id,
          recommended=recommended)
    audit.record("offer.accepted", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=need.holder,
                 obj=agreement, offer_id=offer.id)
    tell_provider(offer, f"Your offer was accepted: {need.category.name} in {need.district}",
                  "A service agreement has started. You can now see everything you need to begin.",
                  path_for("needs.provider_agreement", organisation_id=offer.organisation_id,
                           agreement_id=agreement.id))
    tell_no_longer_needed(need, f"Another offer was chosen: {need.category.name} in {need.district}",
                          "Thank you for applying. The person chose another offer this time.",
                          skip_organisation_ids=frozenset({offer.organisation_id}))
    tell_broker(need, AGREEMENT_NEWS.key, f"{need.holder.name} accepted {offer.organisation.name}",
                "The service agreement has started.", path_for("needs.broker_need", need_id=need.id))
    return agreement


def decline_proposal(acting: HolderAccess, need_id: int, offer_id: int, note: str) -> Offer:
    """The person would like something different: the offer goes back to the shortlist."""
    ensure(can_act_for, acting.user, acting.holder, hide=False)
    need = access.need_for_holder(acting, need_id, lock=True)
    offer = access.offer_on(need, offer_id, lock=True)
    if not offer.is_proposed:
        raise DomainError("There is no proposal to turn down")
    if not note.strip():
        raise DomainError("Tell your broker why, so they can find something better", field="note")
    offer.status = OfferStatus.SHORTLISTED
    offer.decline_note = note.strip()
    event(need, "proposal_declined", acting.user, organisation_id=offer.organisation_id)
    audit.record("offer.proposal_declined", actor=acting.user, on_behalf_of=acting.on_behalf_of,
                 holder=need.holder, obj=offer)
    tell_broker(need, NEED_NEWS.key, f"{need.holder.name} turned down {offer.organisation.name}",
                note.strip(), path_for("needs.broker_need", need_id=need.id))
    return offer


# --- Questions about an offer ---------------------------------------------------------------------


def broker_message(user: User, need_id: int, offer_id: int, body: str) -> OfferMessage:
    need = access.need_for_broker(user, need_id)
    offer = access.offer_on(need, offer_id)
    if not policies.offer_thread_open(user, offer):
        raise DomainError("You can message a provider while their offer is shortlisted or their agreement is running")
    return _message(user, offer, body, from_provider=False)


def provider_message(user: User, organisation_id: int, need_id: int, body: str) -> OfferMessage:
    view = access.provider_view(user, organisation_id, need_id)
    if not policies.offer_thread_open(user, view.offer):
        raise DomainError("You can reply while your offer is shortlisted or your agreement is running")
    return _message(user, view.offer, body, from_provider=True)


def _message(user: User, offer: Offer, body: str, *, from_provider: bool) -> OfferMessage:
    body = body.strip()
    if not body:
        raise DomainError("Enter your message", field="body")
    if len(body) > 2000:
        raise DomainError("Your message must be 2000 characters or fewer", field="body")
    message = OfferMessage(offer=offer, author_id=user.id, body=body, from_provider=from_provider)
    db.session.add(message)
    db.session.flush()
    audit.record("offer.message", actor=user, obj=message, offer_id=offer.id)
    need = offer.need
    # The message itself stays in the portal: it may be about the person's health, and copies in
    # notifications and emails would outlive the reason to see it.
    if from_provider:
        tell_broker(need, NEED_NEWS.key, f"{offer.organisation.name} replied about their offer",
                    "Sign in to read the message.", path_for("needs.broker_need", need_id=need.id))
    else:
        tell_provider(offer, f"The broker has a question about your offer ({need.category.name})",
                      "Sign in to read the message.", provider_link(offer))
    return message
