"""Who may see a need, and who may see its private part.

- The budget holder (and people helping them) see every need posted for them.
- Their current broker (an active engagement) sees and manages them.
- A provider sees the public part of a need open to it (verified, serving the district and the
  service, or invited), and keeps seeing needs it applied to. It sees the private part on the
  need only while its offer is shortlisted, proposed or accepted; a provider that handed the
  support back sees it only on its agreement page, until the notice ends. Every provider view
  of the private part is audited.
- A hub lead sees needs flagged as gaps in their hub.
Anyone else gets 404.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.core import audit
from app.core.errors import NotFound, PermissionDenied
from app.core.timeutil import today_in_london, utcnow
from app.engagements.models import Engagement, EngagementStatus
from app.extensions import db
from app.holders.services import HolderAccess
from app.needs.models import AgreementStatus, Need, NeedStatus, Offer, OfferStatus, ServiceAgreement, Visibility
from app.providers.models import ProviderOrganisation

PRIVATE_OFFER_STATUSES = {OfferStatus.SHORTLISTED, OfferStatus.PROPOSED, OfferStatus.ACCEPTED}


def broker_of(user: User) -> BrokerProfile:
    if user.broker_profile is None:
        raise PermissionDenied()
    return user.broker_profile


def active_engagement_with(broker: BrokerProfile, holder_id: int) -> Engagement | None:
    return db.session.scalar(select(Engagement).where(
        Engagement.broker_id == broker.id, Engagement.holder_id == holder_id,
        Engagement.status == EngagementStatus.ACTIVE))


def need_for_broker(user: User, need_id: int, *, lock: bool = False) -> Need:
    """A need of one of this broker's current clients (404 otherwise)."""
    broker = broker_of(user)
    query = select(Need).where(Need.id == need_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    need = db.session.scalar(query)
    if need is None or active_engagement_with(broker, need.holder_id) is None:
        raise NotFound()
    return need


def holder_view(acting: HolderAccess, need_id: int) -> Need:
    """The person's own need, with its private details; a helper's view of them is audited
    (the person reading their own record is not a disclosure)."""
    need = need_for_holder(acting, need_id)
    if not acting.is_self:
        audit.record("client_record.viewed", actor=acting.user, on_behalf_of=acting.on_behalf_of,
                     holder=acting.holder, obj=need, as_role="helper")
        db.session.commit()
    return need


def need_for_holder(acting: HolderAccess, need_id: int, *, lock: bool = False) -> Need:
    query = select(Need).where(Need.id == need_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    need = db.session.scalar(query)
    if need is None or need.holder_id != acting.holder.id or need.status == NeedStatus.DRAFT:
        raise NotFound()
    return need


def organisation_serves(organisation: ProviderOrganisation, need: Need) -> bool:
    """Only what a hub lead checked counts: a district or service added since waits for that check."""
    return need.district in organisation.served_district_codes and need.category_id in organisation.served_category_ids


def open_to(organisation: ProviderOrganisation, need: Need) -> bool:
    """May this provider see the need on its board and apply?"""
    if need.status != NeedStatus.OPEN:
        return False
    if handed_back_by(organisation, need):
        return False
    if organisation.id in need.invited_ids:
        return True
    return need.visibility == Visibility.ALL_VERIFIED and organisation.is_verified and organisation_serves(
        organisation, need)


def handed_back_ids(need: Need) -> set[int]:
    """The providers that handed this need's support back: never offered it again."""
    return {o.organisation_id for o in need.offers if o.status == OfferStatus.HANDED_BACK}


def handed_back_by(organisation: ProviderOrganisation, need: Need) -> bool:
    return organisation.id in handed_back_ids(need)


def offer_of(organisation: ProviderOrganisation, need: Need) -> Offer | None:
    return db.session.scalar(select(Offer).where(Offer.need_id == need.id, Offer.organisation_id == organisation.id))


def has_agreement(organisation: ProviderOrganisation, need: Need) -> bool:
    return db.session.scalar(select(ServiceAgreement.id).where(
        ServiceAgreement.need_id == need.id, ServiceAgreement.organisation_id == organisation.id).limit(1)) is not None


def need_for_provider(organisation: ProviderOrganisation, need_id: int) -> Need:
    need = db.session.get(Need, need_id)
    if need is None or need.status == NeedStatus.DRAFT:
        raise NotFound()
    if open_to(organisation, need) or offer_of(organisation, need) is not None or has_agreement(organisation, need):
        return need
    raise NotFound()


def agreement_running(agreement: ServiceAgreement, today: date | None = None) -> bool:
    """Active, and not past its end date (a fixed-term agreement stops on its last day)."""
    today = today or today_in_london()
    return agreement.status == AgreementStatus.ACTIVE and (agreement.end_date is None or today <= agreement.end_date)


def offer_thread_open(offer: Offer | None) -> bool:
    """The broker and the provider may talk, and the provider sees the private details on the
    need: while the offer is shortlisted or proposed, or accepted with its agreement running."""
    if offer is None or offer.status not in PRIVATE_OFFER_STATUSES:
        return False
    if offer.status == OfferStatus.ACCEPTED:
        agreement = db.session.scalar(select(ServiceAgreement).where(ServiceAgreement.offer_id == offer.id))
        return agreement is not None and agreement_running(agreement)
    return True


def provider_sees_private(organisation: ProviderOrganisation, need: Need) -> bool:
    """On the need's page: only while the provider's offer thread is open (a handed-back offer has
    left the accepted state, so a re-opened need shows nothing private; an agreement that ended,
    early or on its end date, shows nothing either)."""
    return offer_thread_open(offer_of(organisation, need))


def may_offer(organisation: ProviderOrganisation, need: Need, offer: Offer | None) -> bool:
    """May make or change an offer now: the need is open before its deadline, and the provider
    has not had this support accepted or handed it back."""
    if offer is not None and offer.status in (OfferStatus.ACCEPTED, OfferStatus.HANDED_BACK):
        return False
    if need.status != NeedStatus.OPEN or need.deadline_at is None or need.deadline_at <= utcnow():
        return False
    return offer is not None or open_to(organisation, need)


def agreement_shows_private(agreement: ServiceAgreement, today: date | None = None) -> bool:
    """On the agreement's page: while it is running, and after a hand back until the last day of
    support (never past the agreement's own end date). An agreement that ended shows nothing."""
    today = today or today_in_london()
    if agreement.status == AgreementStatus.ACTIVE:
        return agreement_running(agreement, today)
    if agreement.status == AgreementStatus.HANDED_BACK and agreement.notice_ends_on is not None:
        last_day = min(agreement.notice_ends_on, agreement.end_date or agreement.notice_ends_on)
        return today <= last_day
    return False
