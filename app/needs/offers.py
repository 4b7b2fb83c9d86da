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
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.money import format_pence
from app.core.reference import LANGUAGES, WORKER_GENDERS
from app.core.timeutil import today_in_london, utcnow
from app.core.urls import path_for
from app.extensions import db
from app.needs import access, matching
from app.needs.events import NEED_NEWS, event, tell_broker
from app.needs.models import Need, NeedInvitation, NeedStatus, Offer, OfferStatus, Visibility
from app.providers.models import ProviderDistrict, ProviderOrganisation, ProviderService
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
        query = query.where(Need.urgency != "routine")
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


def _lock_open_need(need_id: int) -> Need:
    need = db.session.scalar(select(Need).where(Need.id == need_id).with_for_update().execution_options(populate_existing=True))
    if need is None:
        raise NotFound()
    return need


def _check_still_open(need: Need) -> None:
    if need.status == NeedStatus.FILLED:
        raise DomainError("This need has been filled, so offers can no longer be made or changed")
    if need.status == NeedStatus.WITHDRAWN:
        raise DomainError("This need has been withdrawn, so offers can no longer be made or changed")
    if need.status != NeedStatus.OPEN or need.deadline_at is None or need.deadline_at <= utcnow():
        raise DomainError("The deadline for offers has passed, so offers can no longer be made or changed")


def _check_details(need: Need, details: OfferDetails) -> None:
    if details.hourly_rate_pence <= 0:
        raise DomainError("Your hourly rate must be more than £0", field="hourly_rate")
    if details.hourly_rate_pence > need.max_hourly_rate_pence:  # the travel supplement is paid on top
        supplement = (f" (plus the travel supplement of {format_pence(need.travel_supplement_pence)} an hour)"
                      if need.travel_supplement_pence else "")
        raise DomainError(f"The most this need can pay is {format_pence(need.max_hourly_rate_pence)} an hour"
                          f"{supplement}. Enter a rate of {format_pence(need.max_hourly_rate_pence)} or less",
                          field="hourly_rate")
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
    need = _lock_open_need(need_id)
    _check_still_open(need)
    offer = access.offer_of(organisation, need)
    if offer is None and not access.open_to(organisation, need):
        raise NotFound()
    _check_details(need, details)
    now = utcnow()
    creating = offer is None
    if creating:
        offer = Offer(need=need, organisation=organisation, submitted_by_id=user.id, created_at=now)
        db.session.add(offer)
    elif offer.status == OfferStatus.ACCEPTED:
        raise DomainError("Your offer has been accepted and can no longer be changed")
    elif offer.status == OfferStatus.HANDED_BACK:
        raise DomainError("You handed this support back, so you cannot apply for it again")
    elif offer.status in (OfferStatus.WITHDRAWN, OfferStatus.NOT_CHOSEN):
        offer.status = OfferStatus.SUBMITTED  # applying again (for example after the need re-opened)
        offer.created_at = now
        creating = True
    offer.hourly_rate_pence = details.hourly_rate_pence
    offer.proposed_start = details.proposed_start
    offer.requirements_met = details.requirements_met
    offer.message = details.message.strip()
    offer.worker_languages = [k for k in LANGUAGES if k in details.worker_languages]
    offer.worker_gender = details.worker_gender or None
    offer.updated_at = now
    if creating and need.first_offer_at is None:
        need.first_offer_at = now
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same provider's other request got there first
        db.session.rollback()
        raise DomainError("Your organisation has already made an offer for this need. Change that one instead.") from exc
    event(need, "offer_made" if creating else "offer_changed", user, organisation_id=organisation.id)
    audit.record("offer.saved", actor=user, obj=offer, need_id=need.id, rate=offer.hourly_rate_pence)
    if creating:
        tell_broker(need, NEED_NEWS.key, f"New offer from {organisation.name}",
                    f"For {need.holder.name}'s need: {need.category.name}.",
                    path_for("needs.broker_need", need_id=need.id))
    db.session.commit()
    return offer


def withdraw_offer(user: User, organisation_id: int, need_id: int) -> Offer:
    organisation = organisation_for(user, organisation_id)
    need = _lock_open_need(need_id)
    offer = db.session.scalar(select(Offer).where(Offer.need_id == need.id,
                                                  Offer.organisation_id == organisation.id).with_for_update().execution_options(populate_existing=True))
    if offer is None:
        raise NotFound()
    _check_still_open(need)
    if offer.status not in (OfferStatus.SUBMITTED, OfferStatus.SHORTLISTED, OfferStatus.PROPOSED):
        raise DomainError(f"This offer is {offer.status.label.lower()} and cannot be withdrawn")
    offer.status = OfferStatus.WITHDRAWN
    offer.withdrawn_at = utcnow()
    event(need, "offer_withdrawn", user, organisation_id=organisation.id)
    audit.record("offer.withdrawn", actor=user, obj=offer)
    tell_broker(need, NEED_NEWS.key, f"{organisation.name} withdrew their offer",
                f"For {need.holder.name}'s need: {need.category.name}.", path_for("needs.broker_need", need_id=need.id))
    db.session.commit()
    return offer


def view_as_provider(user: User, organisation_id: int, need_id: int) -> tuple[ProviderOrganisation, Need, bool]:
    """The need as this provider may see it, and whether the private part is shown (that view
    is audited: it is special category data)."""
    organisation = organisation_for(user, organisation_id)
    need = access.need_for_provider(organisation, need_id)
    private = access.provider_sees_private(organisation, need)
    if private:
        audit.record("client_record.viewed", actor=user, holder=need.holder, obj=need,
                     as_role="provider", organisation_id=organisation.id)
        db.session.commit()
    return organisation, need, private
