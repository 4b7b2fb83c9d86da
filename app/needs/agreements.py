"""Service agreements after acceptance: lists for each side, and handing an agreement back.

A provider hands back with notice and a reason; the need re-opens at once (its history kept)
and the person and their broker are told straight away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.core import audit
from app.core.errors import DomainError
from app.core.notifications import notify
from app.core.timeutil import format_date, today_in_london, utcnow
from app.core.urls import path_for
from app.engagements.services import current_broker_of
from app.extensions import db
from app.holders.models import BudgetHolder
from app.holders.services import HolderAccess, tell_holder
from app.needs import access, policies
from app.needs.events import AGREEMENT_NEWS, event, tell_broker, tell_providers
from app.needs.matching import matching_providers
from app.needs.models import AgreementStatus, NeedStatus, OfferStatus, ServiceAgreement
from app.needs.posting import DEFAULT_RESPONSE_HOURS
from app.providers.services import organisation_for


def provider_agreements(user: User, organisation_id: int) -> list[ServiceAgreement]:
    organisation = organisation_for(user, organisation_id)
    return list(db.session.scalars(select(ServiceAgreement).where(
        ServiceAgreement.organisation_id == organisation.id).order_by(ServiceAgreement.created_at.desc())))


@dataclass(frozen=True)
class PersonContact:
    """How a provider reaches the person it supports: special category data."""

    name: str
    email: str | None
    preferred_language: str | None
    communication_needs: list[str]


def _contact(holder: BudgetHolder) -> PersonContact:
    email = holder.user.email if holder.user is not None else holder.contact_email
    return PersonContact(holder.name, email or None, holder.preferred_language, list(holder.communication_needs or []))


@dataclass(frozen=True)
class ProviderAgreementPage:
    agreement: ServiceAgreement
    broker: BrokerProfile | None  # the broker who works with the person now
    person: PersonContact | None  # only while the agreement shows the person's private details


def provider_agreement(user: User, organisation_id: int, agreement_id: int) -> ProviderAgreementPage:
    """The agreement's page. The person's contact and private details are on it only while the
    agreement runs (or a hand back's notice does), and every such view is audited."""
    agreement = access.agreement_for_provider(user, organisation_id, agreement_id)
    person = None
    if policies.agreement_shows_private(user, agreement):
        audit.record("client_record.viewed", actor=user, holder=agreement.holder, obj=agreement, as_role="provider",
                     organisation_id=agreement.organisation_id)
        person = _contact(agreement.holder)
    return ProviderAgreementPage(agreement, current_broker_of(agreement.holder), person)


@dataclass(frozen=True)
class HolderAgreementPage:
    agreement: ServiceAgreement
    provider_contacts: list[User]  # the provider's staff who manage its account
    broker: BrokerProfile | None


def holder_agreement(acting: HolderAccess, agreement_id: int) -> HolderAgreementPage:
    """One of the person's own agreements, for them or someone helping them."""
    agreement = access.agreement_for_holder(acting, agreement_id)
    organisation = agreement.organisation
    contacts = organisation.owners or [staff.user for staff in organisation.staff]
    return HolderAgreementPage(agreement, contacts, current_broker_of(agreement.holder))


def holder_agreements(holder_id: int) -> list[ServiceAgreement]:
    return list(db.session.scalars(select(ServiceAgreement).where(ServiceAgreement.holder_id == holder_id)
                                   .order_by(ServiceAgreement.created_at.desc())))


def hand_back(user: User, organisation_id: int, agreement_id: int, *, notice_ends_on: date,
              reason: str) -> ServiceAgreement:
    """The provider stops, with notice: the need re-opens at once and everyone is told."""
    agreement = access.agreement_for_provider(user, organisation_id, agreement_id, lock=True)
    organisation = agreement.organisation
    if not policies.can_hand_back(user, agreement):
        raise DomainError("This agreement is not active")
    if notice_ends_on < today_in_london():
        raise DomainError("The last day of support cannot be in the past", field="notice_ends_on")
    if not reason.strip():
        raise DomainError("Say why you are handing the support back", field="reason")
    now = utcnow()
    agreement.status = AgreementStatus.HANDED_BACK
    agreement.handed_back_at = now
    agreement.notice_ends_on = notice_ends_on
    agreement.hand_back_reason = reason.strip()
    # The offer leaves the accepted state: the re-opened need shows this provider nothing private,
    # its question thread closes, and another offer can be accepted.
    agreement.offer.status = OfferStatus.HANDED_BACK
    agreement.offer.decided_at = now
    need = agreement.need
    need.status = NeedStatus.OPEN
    need.deadline_at = now + timedelta(hours=DEFAULT_RESPONSE_HOURS)
    need.times_reopened += 1
    if need.start_date < notice_ends_on:
        need.start_date = notice_ends_on + timedelta(days=1)
    db.session.flush()
    event(need, "handed_back", user, organisation_id=organisation.id, notice_ends_on=notice_ends_on.isoformat(),
          reason=reason.strip())
    audit.record("agreement.handed_back", actor=user, holder=agreement.holder, obj=agreement)
    body = (f"{organisation.name} will provide support until {format_date(notice_ends_on)}. Their reason: "
            f"{reason.strip()} The need has been re-opened so other providers can apply.")
    tell_holder(agreement.holder, AGREEMENT_NEWS.key, f"{organisation.name} is handing back your support", body,
                path_for("needs.holder_need", holder_id=agreement.holder_id, need_id=need.id))
    tell_broker(need, AGREEMENT_NEWS.key, f"{organisation.name} is handing back {need.holder.name}'s support",
                body, path_for("needs.broker_need", need_id=need.id))
    tell_providers(need, matching_providers(need), f"Re-opened: {need.category.name} in {need.district}")
    return agreement


def still_running_for(holder_id: int, *, lock: bool = False) -> list[ServiceAgreement]:
    """Agreements that closing the person's account would end (active, or in a hand back's notice)."""
    query = select(ServiceAgreement).where(
        ServiceAgreement.holder_id == holder_id,
        ServiceAgreement.status.in_([AgreementStatus.ACTIVE, AgreementStatus.HANDED_BACK]),
        ServiceAgreement.ended_at.is_(None))
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return list(db.session.scalars(query))


def end_all_for_person_leaving(holder_id: int, actor: User) -> frozenset[int]:
    """The person closed their account: their agreements end now (a hand back still in its
    notice too), and each provider is told, so no private details stay on show. Returns the
    organisations told."""
    told: set[int] = set()
    now = utcnow()
    for agreement in still_running_for(holder_id, lock=True):
        was_active = agreement.status == AgreementStatus.ACTIVE
        agreement.status = AgreementStatus.ENDED
        agreement.ended_at = now
        agreement.end_reason = "The person closed their OurChoice account."
        if agreement.end_date is None or agreement.end_date > today_in_london():
            agreement.end_date = today_in_london()
        event(agreement.need, "agreement_ended", actor, organisation_id=agreement.organisation_id,
              reason="account closed")
        audit.record("agreement.ended", actor=actor, holder=agreement.holder, obj=agreement, because="account closed")
        need = agreement.need
        hub = need.broker.hub
        contact = (f" {hub.name} ({', '.join(u.name for u in hub.lead_users) or 'its hub lead'}) can help with a safe "
                   "handover, or if the person wants the support to carry on outside OurChoice.") if hub else ""
        for staff in agreement.organisation.staff:
            notify(staff.user, AGREEMENT_NEWS.key, f"Service agreement ended: {need.category.name} in {need.district}",
                   "The person has closed their OurChoice account, so this agreement ended today"
                   + (" (it was in its notice period)." if not was_active else ".")
                   + " Their private details are no longer shown." + contact,
                   path_for("needs.provider_agreement", organisation_id=agreement.organisation_id,
                            agreement_id=agreement.id))
        told.add(agreement.organisation_id)
    return frozenset(told)
