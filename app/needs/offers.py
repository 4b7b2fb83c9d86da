"""Applying to meet a need (provider): the 'needs for you' board, making, changing and
withdrawing an offer.

Offers can be made, changed or withdrawn only while the need is open and before its deadline.
The need row is locked while an offer is saved, so a withdrawal, a fill or the deadline can
never slip between the check and the save; a unique constraint keeps one offer per provider
per need, even when a submit button is pressed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import audit, unit_of_work
from app.core.errors import DomainError
from app.core.money import format_pence
from app.core.permissions import ensure
from app.core.reference import LANGUAGES, WORKER_GENDERS
from app.core.timeutil import format_date, today_in_london, utcnow
from app.core.urls import path_for
from app.extensions import db
from app.holders.services import tell_holder
from app.needs import access, matching, policies
from app.needs.events import NEED_NEWS, event, tell_broker
from app.needs.models import Need, NeedInvitation, NeedStatus, Offer, OfferStatus, Urgency, Visibility
from app.needs.policies import ProviderView, refuse
from app.providers.models import ProviderDistrict, ProviderService
from app.providers.services import organisation_for


@dataclass
class BoardFilters:
    category_id: int | None = None
    district: str | None = None
    urgent_only: bool = False


@dataclass
class BoardItem:
    need: Need
    fit: int
    offer: Offer | None


def board(user: User, organisation_id: int, filters: BoardFilters) -> list[BoardItem]:
    """Open needs this provider may apply to, best fit first."""
    organisation = organisation_for(user, organisation_id)
    now = utcnow()
    query = select(Need).where(Need.status == NeedStatus.OPEN, Need.deadline_at > now)
    invited = select(NeedInvitation.need_id).where(NeedInvitation.organisation_id == organisation.id)
    if organisation.is_verified:
        visible = (Need.id.in_(invited)) | (
            (Need.visibility == Visibility.ALL_VERIFIED)
            & Need.district.in_(select(ProviderDistrict.district).where(
                ProviderDistrict.organisation_id == organisation.id, ProviderDistrict.verified_at.is_not(None)))
            & Need.category_id.in_(select(ProviderService.category_id).where(
                ProviderService.organisation_id == organisation.id, ProviderService.verified_at.is_not(None)))
        )
    else:
        visible = Need.id.in_(invited)
    handed_back = select(Offer.need_id).where(Offer.organisation_id == organisation.id,
                                              Offer.status == OfferStatus.HANDED_BACK)
    query = query.where(visible, Need.id.not_in(handed_back))
    if filters.category_id:
        query = query.where(Need.category_id == filters.category_id)
    if filters.district:
        query = query.where(Need.district == filters.district)
    if filters.urgent_only:
        query = query.where(Need.urgency != Urgency.ROUTINE)
    needs = list(db.session.scalars(query))
    offers = {o.need_id: o for o in db.session.scalars(
        select(Offer).where(Offer.organisation_id == organisation.id, Offer.need_id.in_([n.id for n in needs])))}
    items = [BoardItem(need, matching.board_fit(organisation, need), offers.get(need.id)) for need in needs]
    items.sort(key=lambda item: (-item.fit, item.need.deadline_at))
    return items


def my_offers(user: User, organisation_id: int) -> list[Offer]:
    organisation = organisation_for(user, organisation_id)
    return list(db.session.scalars(select(Offer).where(Offer.organisation_id == organisation.id)
                                   .order_by(Offer.updated_at.desc())))


@dataclass
class OfferDetails:
    hourly_rate_pence: int
    proposed_start: date
    requirements_met: list[str]
    message: str
    worker_languages: list[str]
    worker_gender: str | None
    above_maximum_confirmed: bool = False  # the provider saw the warning and sends it anyway


def above_maximum_warning(need: Need, rate_pence: int) -> str:
    supplement = (f" The travel supplement of {format_pence(need.travel_supplement_pence)} an hour is paid on top "
                  "of your rate." if need.travel_supplement_pence else "")
    return (f"Your rate of {format_pence(rate_pence)} an hour is above the most this need can pay "
            f"({format_pence(need.max_hourly_rate_pence)} an hour). You can still send it; the broker will see "
            f"it is above the maximum.{supplement}")


def _check_details(need: Need, details: OfferDetails) -> None:
    if details.hourly_rate_pence <= 0:
        raise DomainError("Your hourly rate must be more than £0", field="hourly_rate")
    # The travel supplement is paid on top of the rate, so it is not part of the comparison.
    if details.hourly_rate_pence > need.max_hourly_rate_pence and not details.above_maximum_confirmed:
        raise DomainError(above_maximum_warning(need, details.hourly_rate_pence), field="hourly_rate")
    if details.proposed_start < today_in_london():
        raise DomainError("The start date must be today or later", field="proposed_start")
    if set(details.requirements_met) - matching.requirement_keys(need).keys():
        raise DomainError("Choose from the requirements shown", field="requirements_met")
    if set(details.worker_languages) - LANGUAGES.keys():
        raise DomainError("Choose from the languages shown", field="worker_languages")
    if details.worker_gender and details.worker_gender not in WORKER_GENDERS:
        raise DomainError("Choose from the options shown", field="worker_gender")
    if not details.message.strip():
        raise DomainError("Say how you would meet the need", field="message")


def save_offer(user: User, organisation_id: int, need_id: int, details: OfferDetails) -> Offer:
    """Make an offer, or change this provider's offer, while the need is open."""
    organisation = organisation_for(user, organisation_id)
    need = access.lock_need(need_id)
    refuse(policies.offers_closed_refusal(need))
    offer = access.offer_of(organisation, need)
    ensure(policies.sees_need_as_provider, user, ProviderView(organisation, need, offer))
    _check_details(need, details)
    now = utcnow()
    creating = offer is None
    if creating:
        offer = Offer(need=need, organisation=organisation, submitted_by_id=user.id, created_at=now)
        db.session.add(offer)
    else:
        refuse(policies.offer_change_refusal(offer))
        if offer.status in (OfferStatus.WITHDRAWN, OfferStatus.NOT_CHOSEN):
            offer.status = OfferStatus.SUBMITTED  # applying again (for example after the need re-opened)
            offer.created_at = now
            creating = True
    terms_before = None if creating else (offer.hourly_rate_pence, offer.proposed_start)
    offer.hourly_rate_pence = details.hourly_rate_pence
    offer.proposed_start = details.proposed_start
    offer.requirements_met = matching.requirements_met_by(need, details.requirements_met, details.worker_gender,
                                                          details.worker_languages)
    offer.message = details.message.strip()
    offer.worker_languages = [k for k in LANGUAGES if k in details.worker_languages]
    offer.worker_gender = details.worker_gender or None
    offer.updated_at = now
    if creating and need.first_offer_at is None:
        need.first_offer_at = now
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same provider's other request got there first
        unit_of_work.discard()
        raise DomainError("Your organisation has already made an offer for this need. Change that one instead.") from exc
    event(need, "offer_made" if creating else "offer_changed", user, organisation_id=organisation.id)
    audit.record("offer.saved", actor=user, obj=offer, need_id=need.id, rate=offer.hourly_rate_pence,
                 above_maximum=offer.is_above_maximum)
    if creating:
        above = " The hourly rate is above the maximum." if offer.is_above_maximum else ""
        tell_broker(need, NEED_NEWS.key, f"New offer from {organisation.name}",
                    f"For {need.holder.name}'s need: {need.category.name}.{above}",
                    path_for("needs.broker_need", need_id=need.id))
    elif terms_before != (offer.hourly_rate_pence, offer.proposed_start):
        _terms_changed(user, offer)
    return offer


def _terms_changed(user: User, offer: Offer) -> None:
    """A provider changed the rate or start of an offer already made: the broker is told, and a
    recommendation made on the old terms is withdrawn (the person is told; it stays shortlisted)."""
    need = offer.need
    if offer.is_proposed:
        offer.status, offer.proposal_reason, offer.proposed_at = OfferStatus.SHORTLISTED, "", None
        event(need, "recommendation_withdrawn", user, organisation_id=offer.organisation_id, because="offer changed")
        tell_holder(need.holder, NEED_NEWS.key, f"{offer.organisation.name} changed its offer",
                    "So your broker's recommendation was withdrawn: they will look at it again. It is still on "
                    "your shortlist.", path_for("needs.holder_need", holder_id=need.holder_id, need_id=need.id))
    tell_broker(need, NEED_NEWS.key, f"{offer.organisation.name} changed its offer",
                f"For {need.holder.name}'s need: {need.category.name}. Now {format_pence(offer.hourly_rate_pence)} an "
                f"hour, from {format_date(offer.proposed_start)}.", path_for("needs.broker_need", need_id=need.id))


def offer_to_withdraw(user: User, organisation_id: int, need_id: int) -> Offer:
    """The offer the provider is asked to confirm withdrawing (404 unless it can be withdrawn now)."""
    view = access.provider_view(user, organisation_id, need_id)
    offer = access.offer_made_by(view.organisation, view.need)
    ensure(policies.can_withdraw_offer, user, offer)
    return offer


def withdraw_offer(user: User, organisation_id: int, need_id: int) -> Offer:
    organisation = organisation_for(user, organisation_id)
    need = access.lock_need(need_id)
    offer = access.offer_made_by(organisation, need, lock=True)
    refuse(policies.offers_closed_refusal(need))
    if not offer.is_active:
        raise DomainError(f"This offer is {offer.status.label.lower()} and cannot be withdrawn")
    offer.status = OfferStatus.WITHDRAWN
    offer.withdrawn_at = utcnow()
    event(need, "offer_withdrawn", user, organisation_id=organisation.id)
    audit.record("offer.withdrawn", actor=user, obj=offer)
    tell_broker(need, NEED_NEWS.key, f"{organisation.name} withdrew their offer",
                f"For {need.holder.name}'s need: {need.category.name}.", path_for("needs.broker_need", need_id=need.id))
    return offer


def view_as_provider(user: User, organisation_id: int, need_id: int) -> ProviderView:
    """The need as this provider may see it. When its page shows the private part (while the
    offer's thread is open and the person's agreement to share stands), the view is audited: it
    is special category data."""
    view = access.provider_view(user, organisation_id, need_id)
    if policies.provider_sees_private(user, view.offer):
        audit.record("client_record.viewed", actor=user, holder=view.need.holder, obj=view.need,
                     as_role="provider", organisation_id=view.organisation.id)
    return view
