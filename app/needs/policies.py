"""Named rules for needs, offers and agreements: who may see or do what with each record. The
services check them (`ensure(rule, user, record)`: refused is 404, so a guessed address does not
reveal that a record exists) and templates ask them by name (`allowed("shortlist", offer)`), so
no page works a rule out again from a status.

- The budget holder (and the people helping them) see every need posted for them, once published.
- Their current broker (an active engagement) sees and manages them, whoever posted them.
- A provider sees the public part of a need open to it (verified, serving the district and the
  service, or invited), and keeps seeing needs it applied to. It sees the private part on the
  need only while its offer is shortlisted, proposed, or accepted with the agreement running; a
  provider that handed the support back sees it only on its agreement page, until the notice
  ends. A person may work for more than one provider, so a provider's rules are asked about a
  `ProviderView`: the need as one organisation sees it.
- A hub lead responds to the gaps of the brokers in their hub.

Where a service must also say why it refuses (a need already filled, a deadline passed), a
`..._refusal(record)` function gives the words, and the rule allows only when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.brokers.services import is_the_broker
from app.core.permissions import record_rule
from app.core.timeutil import today_in_london
from app.engagements.models import Engagement
from app.engagements.services import current_broker_of
from app.extensions import db
from app.holders.policies import can_act_for, can_view
from app.hubs.policies import leads_hub
from app.needs.models import Gap, Need, Offer, OfferStatus, ServiceAgreement, Visibility
from app.needs.refusals import (  # noqa: F401 (the services read the refusals through this module too)
    PUBLISHED_CANNOT_CHANGE,
    accept_refusal,
    choosing_refusal,
    edit_refusal,
    gap_closed_refusal,
    gap_refusal,
    offer_change_refusal,
    offers_closed_refusal,
    propose_refusal,
    publish_refusal,
    refuse,
    reopen_refusal,
    sharing_agreed,
    sharing_refusal,
    shortlist_refusal,
    withdraw_refusal,
)
from app.providers.models import ProviderOrganisation
from app.providers.services import works_for


@dataclass(frozen=True)
class ProviderView:
    """A need as one provider organisation sees it, with the offer it made (if any)."""

    organisation: ProviderOrganisation
    need: Need
    offer: Offer | None


# --- Facts the rules are built from --------------------------------------------------------------


def handed_back_ids(need: Need) -> set[int]:
    """The providers that handed this need's support back: never offered it again."""
    return {offer.organisation_id for offer in need.offers if offer.is_handed_back}


def organisation_serves(organisation: ProviderOrganisation, need: Need) -> bool:
    """Only what a hub lead checked counts: a district or service added since waits for that check."""
    return need.district in organisation.served_district_codes and need.category_id in organisation.served_category_ids


def open_to(organisation: ProviderOrganisation, need: Need) -> bool:
    """May this provider see the need on its board and apply?"""
    if not need.is_open or organisation.id in handed_back_ids(need):
        return False
    if organisation.id in need.invited_ids:
        return True
    return need.visibility == Visibility.ALL_VERIFIED and organisation.is_verified and organisation_serves(
        organisation, need)


def has_agreement(organisation: ProviderOrganisation, need: Need) -> bool:
    return db.session.scalar(select(ServiceAgreement.id).where(
        ServiceAgreement.need_id == need.id, ServiceAgreement.organisation_id == organisation.id).limit(1)) is not None


def agreement_running(agreement: ServiceAgreement, today: date | None = None) -> bool:
    """Active, and not past its end date (a fixed-term agreement stops on its last day)."""
    today = today or today_in_london()
    return agreement.is_active and (agreement.end_date is None or today <= agreement.end_date)


def thread_is_open(offer: Offer) -> bool:
    """While the offer is shortlisted or proposed and the person's agreement to share stands (the
    messages may be about their health), or accepted with its agreement running (a handed-back
    offer has left the accepted state; an agreement that ended shows nothing)."""
    if offer.status in (OfferStatus.SHORTLISTED, OfferStatus.PROPOSED):
        return sharing_agreed(offer.need)
    if offer.is_accepted:
        agreement = db.session.scalar(select(ServiceAgreement).where(ServiceAgreement.offer_id == offer.id))
        return agreement is not None and agreement_running(agreement)
    return False


# --- The broker ----------------------------------------------------------------------------------


@record_rule("post_need")
def may_post_need(user: Any, engagement: Engagement | None) -> bool:
    """A broker posts needs for a client they work with now."""
    return engagement is not None and engagement.is_active and is_the_broker(user, engagement.broker)


@record_rule("manage_need")
def manages_need(user: Any, need: Need | None) -> bool:
    """The person's current broker manages their needs, whoever posted them."""
    return need is not None and is_the_broker(user, current_broker_of(need.holder))


@record_rule("edit_need")
def can_edit_need(user: Any, need: Need | None) -> bool:
    """A draft can be changed; a published need is withdrawn or re-opened instead."""
    return manages_need(user, need) and edit_refusal(need) is None


@record_rule("publish_need")
def can_publish(user: Any, need: Need | None) -> bool:
    return manages_need(user, need) and publish_refusal(need) is None


@record_rule("withdraw_need")
def can_withdraw_need(user: Any, need: Need | None) -> bool:
    return manages_need(user, need) and withdraw_refusal(need) is None


@record_rule("reopen_need")
def can_reopen(user: Any, need: Need | None) -> bool:
    """An open need, or one whose deadline passed, gets a new deadline when no offer suits."""
    return manages_need(user, need) and reopen_refusal(need) is None


@record_rule("raise_gap")
def can_raise_gap(user: Any, need: Need | None) -> bool:
    """A published, unfilled need not yet recorded as a gap."""
    return manages_need(user, need) and gap_refusal(need) is None


@record_rule("shortlist")
def can_shortlist(user: Any, offer: Offer | None) -> bool:
    """Shortlisting shows the provider the private details and opens the question thread."""
    return (offer is not None and manages_need(user, offer.need) and choosing_refusal(offer.need) is None
            and shortlist_refusal(offer) is None)


@record_rule("shortlist_after_sharing")
def waits_for_sharing(user: Any, offer: Offer | None) -> bool:
    """An offer the broker could shortlist if the person agreed (again) to share their details."""
    return (offer is not None and manages_need(user, offer.need) and choosing_refusal(offer.need) is None
            and offer.status == OfferStatus.SUBMITTED and not sharing_agreed(offer.need))


@record_rule("propose")
def can_propose(user: Any, offer: Offer | None) -> bool:
    """A shortlisted offer is proposed to the person, who accepts it or turns it down."""
    return (offer is not None and manages_need(user, offer.need) and choosing_refusal(offer.need) is None
            and propose_refusal(offer) is None)


# --- The broker and the provider -----------------------------------------------------------------


@record_rule("offer_thread")
def offer_thread_open(user: Any, offer: Offer | None) -> bool:
    """The broker and the provider may talk about the offer, and the provider sees the private
    details on the need, while the thread is open (`thread_is_open`)."""
    if offer is None or not thread_is_open(offer):
        return False
    return works_for(user, offer.organisation) or manages_need(user, offer.need)


@record_rule("see_private_details")
def sees_private_details(user: Any, need: Need | None) -> bool:
    """Health, medication, address and getting in: the person and the people helping them, their
    current broker, and a provider while its offer's thread is open."""
    if need is None:
        return False
    if (not need.is_draft and can_view(user, need.holder)) or manages_need(user, need):
        return True
    return any(provider_sees_private(user, offer) for offer in need.offers)


@record_rule("see_private_as_provider")
def provider_sees_private(user: Any, offer: Offer | None) -> bool:
    """The provider sees the private details on the need while its offer's thread is open: when
    shortlisted or proposed only while the person's agreement to share stands; once accepted,
    the running agreement is the reason (withdrawing the agreement to share does not stop care)."""
    return offer_thread_open(user, offer) and works_for(user, offer.organisation)


@record_rule("sharing_stopped_for_provider")
def sharing_stopped_for(user: Any, offer: Offer | None) -> bool:
    """A shortlisted (or recommended) provider whose view of the private details, and messages,
    paused because the person stopped sharing."""
    return (offer is not None and works_for(user, offer.organisation) and not sharing_agreed(offer.need)
            and offer.status in (OfferStatus.SHORTLISTED, OfferStatus.PROPOSED))


@record_rule("record_sharing")
def can_record_sharing(user: Any, need: Need | None) -> bool:
    """The broker asks the person to agree, or records an agreement given by phone or in writing."""
    return manages_need(user, need) and sharing_refusal(need) is None


# --- The provider --------------------------------------------------------------------------------


@record_rule("see_need_as_provider")
def sees_need_as_provider(user: Any, view: ProviderView | None) -> bool:
    """A published need open to the provider, or one it applied to or has an agreement for."""
    if view is None or not works_for(user, view.organisation) or view.need.is_draft:
        return False
    return view.offer is not None or open_to(view.organisation, view.need) or has_agreement(
        view.organisation, view.need)


@record_rule("make_offer")
def may_offer(user: Any, view: ProviderView | None) -> bool:
    """May make or change an offer now: the need is open before its deadline, open to the
    provider (or it already applied), and its offer was not accepted or handed back."""
    if view is None or not works_for(user, view.organisation) or offers_closed_refusal(view.need) is not None:
        return False
    if view.offer is None:
        return open_to(view.organisation, view.need)
    return offer_change_refusal(view.offer) is None


@record_rule("withdraw_offer")
def can_withdraw_offer(user: Any, offer: Offer | None) -> bool:
    """An offer still in the running, while the need is open before its deadline."""
    return (offer is not None and works_for(user, offer.organisation) and offer.is_active
            and offers_closed_refusal(offer.need) is None)


@record_rule("see_agreement_as_provider")
def sees_agreement(user: Any, agreement: ServiceAgreement | None) -> bool:
    return agreement is not None and works_for(user, agreement.organisation)


@record_rule("see_agreement_private")
def agreement_shows_private(user: Any, agreement: ServiceAgreement | None) -> bool:
    """On the agreement's page: while it is running, and after a hand back until the last day of
    support (never past the agreement's own end date). An agreement that ended shows nothing."""
    if not sees_agreement(user, agreement):
        return False
    if agreement.is_active:
        return agreement_running(agreement)
    if agreement.is_handed_back and agreement.notice_ends_on is not None:
        last_day = min(agreement.notice_ends_on, agreement.end_date or agreement.notice_ends_on)
        return today_in_london() <= last_day
    return False


@record_rule("hand_back")
def can_hand_back(user: Any, agreement: ServiceAgreement | None) -> bool:
    """The provider hands an active agreement back, with notice and a reason."""
    return sees_agreement(user, agreement) and agreement.is_active


# --- The person ----------------------------------------------------------------------------------


@record_rule("see_need_as_person")
def sees_need_as_person(user: Any, need: Need | None) -> bool:
    """The person, and the people helping them, see a need once it is published."""
    return need is not None and not need.is_draft and can_view(user, need.holder)


@record_rule("see_sharing")
def sees_sharing(user: Any, need: Need | None) -> bool:
    """The person and the people helping them see what will be shared (drafts too: that is when
    the person is asked)."""
    return need is not None and can_view(user, need.holder)


@record_rule("agree_to_sharing")
def can_agree_to_sharing(user: Any, need: Need | None) -> bool:
    return need is not None and can_act_for(user, need.holder) and sharing_refusal(need) is None


@record_rule("withdraw_sharing")
def can_withdraw_sharing(user: Any, need: Need | None) -> bool:
    return need is not None and can_act_for(user, need.holder) and sharing_agreed(need)


@record_rule("accept_offer")
def can_accept(user: Any, offer: Offer | None) -> bool:
    """The person, or someone who can act for them, accepts any shortlisted offer (the proposed
    one is their broker's recommendation)."""
    return (offer is not None and choosing_refusal(offer.need) is None and accept_refusal(offer) is None
            and can_act_for(user, offer.need.holder))


@record_rule("answer_proposal")
def can_answer_proposal(user: Any, offer: Offer | None) -> bool:
    """The person, or someone who can act for them, accepts or turns down the proposed offer."""
    return (offer is not None and offer.is_proposed and choosing_refusal(offer.need) is None
            and can_act_for(user, offer.need.holder))


# --- The hub lead --------------------------------------------------------------------------------


@record_rule("respond_to_gap")
def can_respond_to_gap(user: Any, gap: Gap | None) -> bool:
    """The lead of the hub the gap was recorded for responds to it."""
    return gap is not None and leads_hub(user, gap.hub_id)


@record_rule("close_gap")
def can_close_gap(user: Any, gap: Gap | None) -> bool:
    """The hub lead responds to, and closes, a gap until it is closed (closing is final)."""
    return can_respond_to_gap(user, gap) and gap_closed_refusal(gap) is None
