"""Posting a need (broker, for a client with an active engagement): drafting, publishing to the
providers who fit, withdrawing, re-opening (new deadline, higher rate, travel supplement,
invited providers), and raising a gap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, func, select, update

from app.accounts.models import User
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.notifications import notify
from app.core.reference import DAYS, LANGUAGES, PARTS_OF_DAY, SKILLS, WORKER_GENDERS
from app.core.timeutil import format_datetime, utcnow
from app.core.urls import path_for
from app.engagements.models import Engagement, EngagementStatus
from app.extensions import db
from app.holders.services import tell_holder
from app.needs import access, matching
from app.needs.events import NEED_NEWS, NEEDS_FOR_YOU, OFFER_NEWS, current_broker, event
from app.needs.models import (
    Gap,
    GapReason,
    Medication,
    Need,
    NeedInvitation,
    NeedPrivateDetails,
    NeedRecipient,
    NeedStatus,
    Offer,
    OfferMessage,
    OfferStatus,
    Urgency,
    Visibility,
)
from app.providers.models import ProviderDistrict, ProviderOrganisation, ProviderService
from app.taxonomy.models import ServiceCategory

DEFAULT_RESPONSE_HOURS = 48
MIN_RESPONSE_HOURS = 1
MAX_RESPONSE_HOURS = 24 * 14
ACTIVE_OFFER_STATUSES = (OfferStatus.SUBMITTED, OfferStatus.SHORTLISTED, OfferStatus.PROPOSED)
WITHDRAWABLE = (NeedStatus.DRAFT, NeedStatus.OPEN, NeedStatus.CLOSED)
ERASED_MESSAGE = "(Removed: the person closed their account.)"


@dataclass
class NeedDetails:
    category_id: int
    district: str
    schedule: list[tuple[int, str]]
    times_note: str
    minutes_per_week: int
    start_date: date
    end_date: date | None
    required_skills: list[str]
    required_languages: list[str]
    worker_gender: str | None
    double_up: bool
    driver: bool
    urgency: str
    max_hourly_rate_pence: int
    public_description: str
    health_conditions: str = ""
    medication: str = "none"
    medication_notes: str = ""
    address: str = ""
    access_arrangements: str = ""
    extra: dict = field(default_factory=dict)


def _engagement_for(user: User, engagement_id: int) -> Engagement:
    broker = access.broker_of(user)
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or engagement.broker_id != broker.id or not engagement.is_active:
        raise NotFound()
    return engagement


def _check(details: NeedDetails, holder_name: str) -> None:
    from app.core.districts import is_valid_district

    category = db.session.get(ServiceCategory, details.category_id)
    if category is None or not category.active:
        raise DomainError("Choose the kind of service needed", field="category_id")
    if not is_valid_district(details.district):
        raise DomainError("Enter the postcode district only, like W9 (never the full address)", field="district")
    if any(day not in DAYS or part not in PARTS_OF_DAY for day, part in details.schedule):
        raise DomainError("Choose days and times from the grid", field="schedule")
    if not 15 <= details.minutes_per_week <= 168 * 60:
        raise DomainError("Enter the hours needed each week, between 15 minutes and 168 hours", field="hours")
    if details.end_date and details.end_date < details.start_date:
        raise DomainError("The end date must be after the start date", field="end_date")
    if details.max_hourly_rate_pence <= 0:
        raise DomainError("Enter the most you can pay an hour", field="max_rate")
    for values, table, name in ((details.required_skills, SKILLS, "required_skills"),
                                (details.required_languages, LANGUAGES, "required_languages")):
        if set(values) - table.keys():
            raise DomainError("Choose from the options shown", field=name)
    if details.worker_gender and details.worker_gender not in WORKER_GENDERS:
        raise DomainError("Choose from the options shown", field="worker_gender")
    if details.medication not in {m.value for m in Medication}:
        raise DomainError("Choose the help needed with medication", field="medication")
    description = details.public_description.strip()
    if not description:
        raise DomainError("Describe the support needed, without anything that identifies the person",
                          field="public_description")
    names = [part for part in holder_name.lower().split() if len(part) >= 3]
    if any(part in description.lower() for part in names):
        raise DomainError("The public description must not include the person's name. Providers who are "
                          "shortlisted see the private details", field="public_description")


def _apply(need: Need, details: NeedDetails) -> None:
    from app.core.districts import normalise_district

    need.category_id = details.category_id
    need.district = normalise_district(details.district)
    need.schedule = [[day, part] for day, part in sorted(details.schedule)]
    need.times_note = details.times_note.strip()
    need.minutes_per_week = details.minutes_per_week
    need.start_date, need.end_date = details.start_date, details.end_date
    need.required_skills = [k for k in SKILLS if k in details.required_skills]
    need.required_languages = [k for k in LANGUAGES if k in details.required_languages]
    need.worker_gender = details.worker_gender or None
    need.double_up, need.driver = details.double_up, details.driver
    need.urgency = Urgency(details.urgency)
    need.max_hourly_rate_pence = details.max_hourly_rate_pence
    need.public_description = details.public_description.strip()
    private = need.private or NeedPrivateDetails()
    private.health_conditions = details.health_conditions.strip()
    private.medication = Medication(details.medication)
    private.medication_notes = details.medication_notes.strip()
    private.address = details.address.strip()
    private.access_arrangements = details.access_arrangements.strip()
    need.private = private


def create_draft(user: User, engagement_id: int, details: NeedDetails) -> Need:
    engagement = _engagement_for(user, engagement_id)
    _check(details, engagement.holder.name)
    need = Need(holder=engagement.holder, broker=engagement.broker, posted_by_id=user.id)
    _apply(need, details)
    db.session.add(need)
    db.session.flush()
    event(need, "drafted", user)
    audit.record("need.drafted", actor=user, holder=engagement.holder, obj=need)
    db.session.commit()
    return need


PUBLISHED_CANNOT_CHANGE = "A published need cannot be changed. Withdraw it, or re-open it with a new deadline"


def draft_for_editing(user: User, need_id: int) -> Need:
    """A draft need opened in the edit form, which shows every private detail: audited as a view
    of a client record. A published need cannot be edited, so its form does not open."""
    need = access.need_for_broker(user, need_id)
    if need.status != NeedStatus.DRAFT:
        raise DomainError(PUBLISHED_CANNOT_CHANGE)
    audit.record("client_record.viewed", actor=user, holder=need.holder, obj=need, form="edit")
    db.session.commit()
    return need


def update_draft(user: User, need_id: int, details: NeedDetails) -> Need:
    need = access.need_for_broker(user, need_id)
    if need.status != NeedStatus.DRAFT:
        raise DomainError(PUBLISHED_CANNOT_CHANGE)
    _check(details, need.holder.name)
    _apply(need, details)
    audit.record("need.updated", actor=user, holder=need.holder, obj=need)
    db.session.commit()
    return need


def matching_providers(need: Need) -> list[ProviderOrganisation]:
    """Verified providers offering this service in this district whose spare capacity fits
    (or invited providers only, if the broker chose that)."""
    invited = list(db.session.scalars(select(ProviderOrganisation).where(
        ProviderOrganisation.id.in_(need.invited_ids)))) if need.invited_ids else []
    if need.visibility == Visibility.INVITED:
        return [org for org in invited if org.id not in access.handed_back_ids(need)]
    candidates = db.session.scalars(
        select(ProviderOrganisation).where(
            ProviderOrganisation.verified_at.is_not(None),
            ProviderOrganisation.districts.any((ProviderDistrict.district == need.district)
                                               & ProviderDistrict.verified_at.is_not(None)),
            ProviderOrganisation.services.any((ProviderService.category_id == need.category_id)
                                              & ProviderService.verified_at.is_not(None)),
        )
    )
    fitting = [org for org in candidates if not matching.slots(need) or matching.capacity_share(org, need) > 0]
    handed_back = access.handed_back_ids(need)
    return [org for org in {org.id: org for org in [*fitting, *invited]}.values() if org.id not in handed_back]


def _tell_providers(need: Need, providers: list[ProviderOrganisation], title: str) -> int:
    told = 0
    already = set(db.session.scalars(select(NeedRecipient.organisation_id).where(NeedRecipient.need_id == need.id)))
    for organisation in providers:
        if organisation.id not in already:
            db.session.add(NeedRecipient(need_id=need.id, organisation_id=organisation.id))
        for staff in organisation.staff:
            notify(staff.user, NEEDS_FOR_YOU.key, title,
                   f"{need.category.name} in {need.district}, {need.hours_per_week:g} hours a week. "
                   f"Apply by {format_datetime(need.deadline_at)}.",
                   path_for("needs.provider_need", organisation_id=organisation.id, need_id=need.id))
        told += 1
    return told


def _response_window(hours: int, urgency: Urgency) -> int:
    if not MIN_RESPONSE_HOURS <= hours <= MAX_RESPONSE_HOURS:
        raise DomainError(f"Choose between {MIN_RESPONSE_HOURS} hour and {MAX_RESPONSE_HOURS // 24} days",
                          field="response_hours")
    if hours < 12 and urgency == Urgency.ROUTINE:
        raise DomainError("Only urgent needs can have less than 12 hours to respond", field="response_hours")
    return hours


def _invite(need: Need, organisation_ids: list[int]) -> list[ProviderOrganisation]:
    """Invite named providers; one that handed this need's support back is not invited again."""
    added = []
    skip = need.invited_ids | access.handed_back_ids(need)
    for organisation in db.session.scalars(select(ProviderOrganisation).where(
            ProviderOrganisation.id.in_(organisation_ids))):
        if organisation.id not in skip:
            need.invitations.append(NeedInvitation(organisation=organisation))
            added.append(organisation)
    return added


def publish(user: User, need_id: int, *, response_hours: int, visibility: str, invited_ids: list[int]) -> int:
    """Open the need for offers and tell the providers who fit. Returns how many were told."""
    need = access.need_for_broker(user, need_id, lock=True)
    if need.status != NeedStatus.DRAFT:
        raise DomainError("This need has already been published")
    need.response_hours = _response_window(response_hours, need.urgency)
    need.visibility = Visibility(visibility)
    _invite(need, invited_ids)
    if need.visibility == Visibility.INVITED and not need.invited_ids:
        raise DomainError("Choose at least one provider to invite", field="invited_ids")
    now = utcnow()
    need.status = NeedStatus.OPEN
    need.published_at = now
    need.deadline_at = now + timedelta(hours=need.response_hours)
    db.session.flush()
    told = _tell_providers(need, matching_providers(need), f"New need: {need.category.name} in {need.district}")
    event(need, "published", user, deadline=need.deadline_at.isoformat(), providers_told=told)
    audit.record("need.published", actor=user, holder=need.holder, obj=need, providers_told=told)
    tell_holder(need.holder, NEED_NEWS.key, f"Your broker has posted a need: {need.category.name}",
                f"Providers can apply until {format_datetime(need.deadline_at)}.",
                path_for("needs.holder_need", holder_id=need.holder_id, need_id=need.id))
    db.session.commit()
    return told


def _no_longer_needed(need: Need, title: str, body: str, skip_organisation_id: int | None = None,
                      skip_organisation_ids: frozenset[int] = frozenset()) -> None:
    """Tell every provider who was told about the need, or applied, that it is no longer needed."""
    organisation_ids = set(db.session.scalars(select(NeedRecipient.organisation_id).where(
        NeedRecipient.need_id == need.id)))
    organisation_ids |= {o.organisation_id for o in need.offers}
    organisation_ids.discard(skip_organisation_id)
    organisation_ids -= skip_organisation_ids
    applied = {o.organisation_id for o in need.offers}
    for organisation in db.session.scalars(select(ProviderOrganisation).where(
            ProviderOrganisation.id.in_(organisation_ids))):
        # Providers who applied can still open the need to see the outcome; others have nothing to see.
        link = path_for("needs.provider_need", organisation_id=organisation.id, need_id=need.id) \
            if organisation.id in applied else None
        for staff in organisation.staff:
            notify(staff.user, OFFER_NEWS.key, title, body, link)


def withdraw(user: User, need_id: int, reason: str) -> Need:
    need = access.need_for_broker(user, need_id, lock=True)
    if need.status not in WITHDRAWABLE:
        raise DomainError(f"This need is {need.status.label.lower()} and cannot be withdrawn")
    if not reason.strip():
        raise DomainError("Say why the need is withdrawn", field="reason")
    _withdraw(need, user, reason.strip())
    if need.published_at is not None:
        tell_holder(need.holder, NEED_NEWS.key, f"Your broker withdrew the need for {need.category.name.lower()}",
                    reason.strip())
    db.session.commit()
    return need


def _withdraw(need: Need, actor: User | None, reason: str, *,
              told: str = "The broker has withdrawn this need. Thank you for your interest.",
              already_told: frozenset[int] = frozenset()) -> None:
    """Withdraw a need: its live offers are closed and every provider told about it, or who
    applied, hears it is no longer needed (except those `already_told` in another way)."""
    was_published = need.status != NeedStatus.DRAFT
    now = utcnow()
    need.status = NeedStatus.WITHDRAWN
    need.withdrawn_at = now
    need.withdrawal_reason = reason
    for offer in need.offers:
        if offer.status in ACTIVE_OFFER_STATUSES:
            offer.status = OfferStatus.NOT_CHOSEN
            offer.decided_at = now
    event(need, "withdrawn", actor, reason=reason)
    audit.record("need.withdrawn", actor=actor, holder=need.holder, obj=need)
    if was_published:
        _no_longer_needed(need, f"No longer needed: {need.category.name} in {need.district}", told,
                          skip_organisation_ids=already_told)


def unfilled_count(holder_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Need).where(
        Need.holder_id == holder_id, Need.status.in_(WITHDRAWABLE))) or 0


def withdraw_all_for_person_leaving(holder_id: int, actor: User,
                                    already_told: frozenset[int] = frozenset()) -> int:
    """The person closed their account: every need not yet filled is withdrawn (providers told,
    except those `already_told` their agreement ended), and the private details of all their
    needs are erased. Returns how many were withdrawn."""
    needs = list(db.session.scalars(select(Need).where(Need.holder_id == holder_id)
                                    .with_for_update().execution_options(populate_existing=True)))
    withdrawn = 0
    for need in needs:
        if need.status in WITHDRAWABLE:
            _withdraw(need, actor, "The person no longer needs this support.",
                      told="The person no longer needs this support. Thank you for your interest.",
                      already_told=already_told)
            withdrawn += 1
    db.session.flush()
    need_ids = [n.id for n in needs]
    if need_ids:
        db.session.execute(delete(NeedPrivateDetails).where(NeedPrivateDetails.need_id.in_(need_ids)))
        db.session.execute(update(OfferMessage).where(OfferMessage.offer_id.in_(
            select(Offer.id).where(Offer.need_id.in_(need_ids)))).values(body=ERASED_MESSAGE))
        for need in needs:
            db.session.expire(need, ["private"])
    return withdrawn


def reopen(user: User, need_id: int, *, response_hours: int, max_hourly_rate_pence: int | None,
           travel_supplement_pence: int | None, invited_ids: list[int]) -> int:
    """No suitable offers: a new deadline, and optionally a higher rate, a travel supplement or
    named providers invited. Offers already made stay."""
    need = access.need_for_broker(user, need_id, lock=True)
    if need.status not in (NeedStatus.OPEN, NeedStatus.CLOSED):
        raise DomainError("Only an open need, or one whose deadline has passed, can be re-opened")
    if max_hourly_rate_pence is not None and max_hourly_rate_pence < need.max_hourly_rate_pence:
        raise DomainError("The maximum rate can only go up when re-opening", field="max_rate")
    need.response_hours = _response_window(response_hours, need.urgency)
    if max_hourly_rate_pence is not None:
        need.max_hourly_rate_pence = max_hourly_rate_pence
    if travel_supplement_pence is not None:
        need.travel_supplement_pence = travel_supplement_pence
    invited = _invite(need, invited_ids)
    need.status = NeedStatus.OPEN
    need.deadline_at = utcnow() + timedelta(hours=need.response_hours)
    need.times_reopened += 1
    db.session.flush()
    told = _tell_providers(need, list({o.id: o for o in [*matching_providers(need), *invited]}.values()),
                           f"Re-opened: {need.category.name} in {need.district}")
    event(need, "reopened", user, deadline=need.deadline_at.isoformat(), max_rate=need.max_hourly_rate_pence,
          travel_supplement=need.travel_supplement_pence, invited=[o.id for o in invited])
    audit.record("need.reopened", actor=user, holder=need.holder, obj=need)
    db.session.commit()
    return told


def raise_gap(user: User, need_id: int, note: str) -> Gap:
    need = access.need_for_broker(user, need_id)
    if need.gap is not None:
        raise DomainError("This need is already recorded as a gap")
    if need.status in (NeedStatus.DRAFT, NeedStatus.FILLED, NeedStatus.WITHDRAWN):
        raise DomainError("Only a published, unfilled need can be recorded as a gap")
    if not note.strip():
        raise DomainError("Describe the gap, so your hub can act on it", field="note")
    gap = Gap(need=need, reason=GapReason.RAISED, note=note.strip(), raised_by_id=user.id)
    db.session.add(gap)
    db.session.flush()
    event(need, "gap", user, reason=GapReason.RAISED.value)
    _tell_hub(need, gap)
    db.session.commit()
    return gap


def _tell_hub(need: Need, gap: Gap) -> None:
    """Gaps go to the hub of the broker who works with the person now (else the one who posted)."""
    hub = (current_broker(need) or need.broker).hub
    for lead in hub.lead_users if hub else []:
        notify(lead, NEED_NEWS.key, f"Gap in {need.district}: {need.category.name}",
               gap.reason.label, path_for("needs.hub_gaps"))


def record_view(user: User, need: Need) -> None:
    """A broker opened a need with its private details: audited as a view of a client record."""
    audit.record("client_record.viewed", actor=user, holder=need.holder, obj=need)
    db.session.commit()


def broker_needs(user: User) -> list[Need]:
    """Needs of this broker's current clients."""
    broker = access.broker_of(user)
    holder_ids = [e.holder_id for e in db.session.scalars(
        select(Engagement).where(Engagement.broker_id == broker.id, Engagement.status == EngagementStatus.ACTIVE))]
    if not holder_ids:
        return []
    return list(db.session.scalars(select(Need).where(Need.holder_id.in_(holder_ids))
                                   .order_by(Need.created_at.desc())))


def holder_needs(holder_id: int) -> list[Need]:
    return list(db.session.scalars(select(Need).where(Need.holder_id == holder_id, Need.status != NeedStatus.DRAFT)
                                   .order_by(Need.created_at.desc())))


def active_offers(need: Need) -> list[Offer]:
    return [o for o in need.offers if o.status != OfferStatus.WITHDRAWN]
