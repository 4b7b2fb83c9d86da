"""Posting a need (broker, for a client with an active engagement): drafting, publishing to the
providers who fit, withdrawing, re-opening (new deadline, higher rate, travel supplement,
invited providers), and raising a gap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from sqlalchemy import delete, func, select, update

from app.accounts.models import User
from app.core import audit
from app.core.districts import is_valid_district, normalise_district
from app.core.errors import DomainError, accumulate_errors
from app.core.permissions import ensure
from app.core.reference import DAYS, LANGUAGES, PARTS_OF_DAY, SKILLS, WORKER_GENDERS
from app.core.timeutil import format_datetime, utcnow
from app.core.urls import path_for
from app.engagements.models import Engagement
from app.engagements.services import broker_clients
from app.extensions import db
from app.holders.services import tell_holder
from app.needs import access, policies, sharing
from app.needs.events import NEED_NEWS, event, tell_no_longer_needed, tell_providers
from app.needs.gaps import record_for_need
from app.needs.matching import matching_providers
from app.needs.models import (
    Gap,
    GapReason,
    Medication,
    Need,
    NeedInvitation,
    NeedPrivateDetails,
    NeedStatus,
    Offer,
    OfferMessage,
    OfferStatus,
    Urgency,
    Visibility,
)
from app.needs.policies import handed_back_ids, refuse
from app.providers.models import ProviderOrganisation
from app.taxonomy.models import ServiceCategory

DEFAULT_RESPONSE_HOURS = 48
MIN_RESPONSE_HOURS = 1
MAX_RESPONSE_HOURS = 24 * 14
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


def check_details(details: NeedDetails, holder_name: str) -> None:
    """Every rule about a need's details, all reported together (DomainErrors) so a long form is
    put right in one go. Details the form could not read (None) are left to the form's own
    message beside that field."""
    accumulate_errors(*(partial(rule, details) for rule in _DETAIL_RULES), partial(_no_name, details, holder_name))


def _category(details: NeedDetails) -> None:
    category = db.session.get(ServiceCategory, details.category_id) if details.category_id else None
    if category is None or not category.active:
        raise DomainError("Choose the kind of service needed", field="category_id")


def _district(details: NeedDetails) -> None:
    if not details.district or not is_valid_district(details.district):
        raise DomainError("Enter the postcode district only, like W9 (never the full address)", field="district")


def _times(details: NeedDetails) -> None:
    if any(day not in DAYS or part not in PARTS_OF_DAY for day, part in details.schedule):
        raise DomainError("Choose days and times from the grid", field="schedule")
    if not 15 <= details.minutes_per_week <= 168 * 60:
        raise DomainError("Enter the hours needed each week, between 15 minutes and 168 hours", field="hours")


def _dates(details: NeedDetails) -> None:
    if details.start_date and details.end_date and details.end_date < details.start_date:
        raise DomainError("The end date must be after the start date", field="end_date")


def _rate(details: NeedDetails) -> None:
    if details.max_hourly_rate_pence is None or details.max_hourly_rate_pence <= 0:
        raise DomainError("Enter the most you can pay an hour", field="max_rate")


def _choices(details: NeedDetails) -> None:
    for values, table, name in ((details.required_skills, SKILLS, "required_skills"),
                                (details.required_languages, LANGUAGES, "required_languages")):
        if set(values) - table.keys():
            raise DomainError("Choose from the options shown", field=name)
    if details.worker_gender and details.worker_gender not in WORKER_GENDERS:
        raise DomainError("Choose from the options shown", field="worker_gender")
    if details.medication not in {m.value for m in Medication}:
        raise DomainError("Choose the help needed with medication", field="medication")


def _no_name(details: NeedDetails, holder_name: str) -> None:
    description = (details.public_description or "").strip()
    if not description:
        raise DomainError("Describe the support needed, without anything that identifies the person",
                          field="public_description")
    names = [part for part in holder_name.lower().split() if len(part) >= 3]
    if any(part in description.lower() for part in names):
        raise DomainError("The public description must not include the person's name. Providers who are "
                          "shortlisted see the private details", field="public_description")


_DETAIL_RULES = (_category, _district, _times, _dates, _rate, _choices)


def _apply(need: Need, details: NeedDetails) -> None:
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
    """A draft need for a client the broker works with now: nothing is sent until it is published."""
    engagement = db.session.get(Engagement, engagement_id)
    ensure(policies.may_post_need, user, engagement)
    check_details(details, engagement.holder.name)
    need = Need(holder=engagement.holder, broker=engagement.broker, posted_by_id=user.id)
    _apply(need, details)
    db.session.add(need)
    db.session.flush()
    event(need, "drafted", user)
    audit.record("need.drafted", actor=user, holder=engagement.holder, obj=need)
    return need


def draft_for_editing(user: User, need_id: int) -> Need:
    """A draft need opened in the edit form, which shows every private detail: audited as a view
    of a client record. A published need cannot be edited, so its form does not open."""
    need = access.need_for_broker(user, need_id)
    refuse(policies.edit_refusal(need))
    audit.record("client_record.viewed", actor=user, holder=need.holder, obj=need, form="edit")
    return need


def update_draft(user: User, need_id: int, details: NeedDetails) -> Need:
    need = access.need_for_broker(user, need_id, lock=True)  # the person may be agreeing to it right now
    refuse(policies.edit_refusal(need))
    check_details(details, need.holder.name)
    before = sharing.before_change(need)
    _apply(need, details)
    audit.record("need.updated", actor=user, holder=need.holder, obj=need)
    if sharing.after_change(need, before, user):
        tell_holder(need.holder, NEED_NEWS.key, f"Your broker changed your need: {need.category.name}",
                    "Please check what will be shared and agree again before it goes to providers.",
                    path_for("needs.holder_sharing", holder_id=need.holder_id, need_id=need.id))
    return need


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
    skip = need.invited_ids | handed_back_ids(need)
    for organisation in db.session.scalars(select(ProviderOrganisation).where(
            ProviderOrganisation.id.in_(organisation_ids))):
        if organisation.id not in skip:
            need.invitations.append(NeedInvitation(organisation=organisation))
            added.append(organisation)
    return added


def publish(user: User, need_id: int, *, response_hours: int, visibility: str, invited_ids: list[int]) -> int:
    """Open the need for offers and tell the providers who fit. Returns how many were told."""
    need = access.need_for_broker(user, need_id, lock=True)
    refuse(policies.publish_refusal(need))
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
    told = tell_providers(need, matching_providers(need), f"New need: {need.category.name} in {need.district}")
    event(need, "published", user, deadline=need.deadline_at.isoformat(), providers_told=told)
    audit.record("need.published", actor=user, holder=need.holder, obj=need, providers_told=told)
    tell_holder(need.holder, NEED_NEWS.key, f"Your broker has posted a need: {need.category.name}",
                f"Providers can apply until {format_datetime(need.deadline_at)}.",
                path_for("needs.holder_need", holder_id=need.holder_id, need_id=need.id))
    return told


def withdraw(user: User, need_id: int, reason: str) -> Need:
    need = access.need_for_broker(user, need_id, lock=True)
    refuse(policies.withdraw_refusal(need))
    if not reason.strip():
        raise DomainError("Say why the need is withdrawn", field="reason")
    _withdraw(need, user, reason.strip())
    if need.published_at is not None:
        tell_holder(need.holder, NEED_NEWS.key, f"Your broker withdrew the need for {need.category.name.lower()}",
                    reason.strip())
    return need


def _withdraw(need: Need, actor: User | None, reason: str, *,
              told: str = "The broker has withdrawn this need. Thank you for your interest.",
              already_told: frozenset[int] = frozenset()) -> None:
    """Withdraw a need: its live offers are closed and every provider told about it, or who
    applied, hears it is no longer needed (except those `already_told` in another way)."""
    was_published = not need.is_draft
    now = utcnow()
    need.status = NeedStatus.WITHDRAWN
    need.withdrawn_at = now
    need.withdrawal_reason = reason
    for offer in need.offers:
        if offer.is_active:
            offer.status = OfferStatus.NOT_CHOSEN
            offer.decided_at = now
    event(need, "withdrawn", actor, reason=reason)
    audit.record("need.withdrawn", actor=actor, holder=need.holder, obj=need)
    if was_published:
        tell_no_longer_needed(need, f"No longer needed: {need.category.name} in {need.district}", told,
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
        if policies.withdraw_refusal(need) is None:
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
    refuse(policies.reopen_refusal(need))
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
    told = tell_providers(need, list({o.id: o for o in [*matching_providers(need), *invited]}.values()),
                          f"Re-opened: {need.category.name} in {need.district}")
    event(need, "reopened", user, deadline=need.deadline_at.isoformat(), max_rate=need.max_hourly_rate_pence,
          travel_supplement=need.travel_supplement_pence, invited=[o.id for o in invited])
    audit.record("need.reopened", actor=user, holder=need.holder, obj=need)
    return told


def raise_gap(user: User, need_id: int, note: str) -> Gap:
    """The broker records a posted need as a gap, saying what happened (the hub is told). The
    need is locked, so a double click, or the scheduled flagging at the same moment, makes one gap."""
    need = access.need_for_broker(user, need_id, lock=True)
    refuse(policies.gap_refusal(need))
    if not note.strip():
        raise DomainError("Describe the gap, so your hub can act on it", field="note")
    gap = record_for_need(need, GapReason.RAISED, actor=user, happened=note.strip())
    if gap is None:
        raise DomainError("You need to belong to a hub to record a gap", field="note")
    return gap


def record_view(user: User, need: Need) -> None:
    """A broker opened a need with its private details: audited as a view of a client record."""
    ensure(policies.sees_private_details, user, need)
    audit.record("client_record.viewed", actor=user, holder=need.holder, obj=need)


def broker_needs(user: User) -> list[Need]:
    """Needs of this broker's current clients."""
    holder_ids = [engagement.holder_id for engagement in broker_clients(user)]
    if not holder_ids:
        return []
    return list(db.session.scalars(select(Need).where(Need.holder_id.in_(holder_ids))
                                   .order_by(Need.created_at.desc())))


def holder_needs(holder_id: int) -> list[Need]:
    """The needs posted for the person, once published."""
    return list(db.session.scalars(select(Need).where(Need.holder_id == holder_id, Need.status != NeedStatus.DRAFT)
                                   .order_by(Need.created_at.desc())))
