"""Asking a broker, accepting or declining, the engagement, logged time and band changes.

Rules:
- A budget holder (or someone who can act for them) asks one broker at a time, with consent to
  share their details with that broker; they can have one active engagement at a time.
- The broker answers within the configured number of working days, or the request lapses.
- A broker sees only their own clients; a hub lead sees the engagements of their own hub; every
  view of a client record by either is audit-logged.
- Either side can end an engagement; the budget holder's records stay theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.brokers import rules
from app.brokers.models import BrokerProfile
from app.core import audit
from app.core.districts import is_valid_district, normalise_district
from app.core.errors import DomainError, NotFound, PermissionDenied
from app.core.notifications import notify, register_kind
from app.core.reference import BROKERAGE_FUNCTIONS
from app.core.roles import Role
from app.core.timeutil import add_working_days, today_in_london, utcnow
from app.core.urls import path_for
from app.engagements.models import (
    Band,
    BandChangeRequest,
    BandChangeStatus,
    BrokerRequest,
    Engagement,
    EngagementStatus,
    RequestStatus,
    TimeEntry,
)
from app.engagements.signals import engagement_started
from app.extensions import db
from app.holders import services as holders
from app.holders.models import BudgetHolder, ConsentMethod
from app.hubs.models import Hub

REQUESTS = register_kind("broker_requests", "Requests to work with a broker, and their answers")
ENGAGEMENTS = register_kind("engagements", "Your work with your broker: band changes, endings and reviews")

MAX_MINUTES_PER_ENTRY = 12 * 60


def bank_holidays() -> frozenset[date]:
    text = current_app.config.get("BANK_HOLIDAYS", "")
    return frozenset(date.fromisoformat(d.strip()) for d in text.split(",") if d.strip())


def default_band() -> Band:
    band = db.session.scalar(select(Band).where(Band.active.is_(True)).order_by(Band.sort_order, Band.id))
    if band is None:
        raise DomainError("No brokerage bands are set up. Ask a platform admin to add one.")
    return band


def active_bands() -> list[Band]:
    return list(db.session.scalars(select(Band).where(Band.active.is_(True)).order_by(Band.sort_order, Band.id)))


def broker_of(user: User) -> BrokerProfile:
    profile = user.broker_profile
    if profile is None:
        raise PermissionDenied()
    return profile


def led_hub_ids(user: User) -> list[int]:
    return [m.hub_id for m in user.hub_lead_memberships]


# --- Asking a broker ---------------------------------------------------------------------------


def active_engagement(holder: BudgetHolder) -> Engagement | None:
    return db.session.scalar(
        select(Engagement).where(Engagement.holder_id == holder.id, Engagement.status == EngagementStatus.ACTIVE)
    )


def pending_request(holder: BudgetHolder) -> BrokerRequest | None:
    return db.session.scalar(
        select(BrokerRequest).where(BrokerRequest.holder_id == holder.id, BrokerRequest.status == RequestStatus.PENDING)
    )


def why_cannot_ask(holder: BudgetHolder, broker: BrokerProfile) -> str | None:
    current = active_engagement(holder)
    if current is not None:
        if current.broker_id == broker.id:
            return f"{holder.name} already works with this broker."
        return (f"{holder.name} already works with {current.broker.display_name}. End that engagement first "
                "to choose another broker.")
    waiting = pending_request(holder)
    if waiting is not None:
        return (f"{holder.name} is already waiting for an answer from {waiting.broker.display_name}. Withdraw that "
                "request first to ask another broker.")
    return rules.availability(broker).reason_not_available


def ask_broker(acting: holders.HolderAccess, broker_id: int, *, message: str, help_wanted: list[str],
               consent: bool) -> BrokerRequest:
    if not acting.can_act:
        raise PermissionDenied()
    broker = db.session.get(BrokerProfile, broker_id)
    if broker is None or not rules.is_accredited(broker):
        raise NotFound()
    if not consent:
        raise DomainError("You need to agree to share your details with this broker so they can answer",
                          field="consent")
    unknown = [h for h in help_wanted if h not in BROKERAGE_FUNCTIONS]
    if unknown or not help_wanted:
        raise DomainError("Choose at least one kind of help", field="help_wanted")
    problem = why_cannot_ask(acting.holder, broker)
    if problem:
        raise DomainError(problem)
    now = utcnow()
    consent_row = holders.record_consent(
        acting.holder, purpose="share_with_broker", recorded_by=acting.user, method=ConsentMethod.ONLINE,
        broker=broker, note="Given when asking the broker to work with them" +
        ("" if acting.is_self else f", by {acting.user.name} on their behalf"),
    )
    request = BrokerRequest(
        holder=acting.holder, broker=broker, message=message.strip(), help_wanted=help_wanted,
        consent=consent_row, created_at=now, sent_by_id=acting.user.id,
        respond_by=add_working_days(now, current_app.config["BROKER_REQUEST_WORKING_DAYS"], bank_holidays()),
    )
    db.session.add(request)
    try:
        db.session.flush()
        audit.record("broker_request.sent", actor=acting.user, on_behalf_of=acting.on_behalf_of,
                     holder=acting.holder, obj=request, broker_id=broker.id)
        notify(broker.user, REQUESTS.key, f"{acting.holder.name} has asked you to work with them",
               f"Please answer by {_format(request.respond_by)}.",
               path_for("engagements.broker_request", request_id=request.id))
        db.session.commit()
    except IntegrityError as exc:  # another request was sent for this person at the same moment
        db.session.rollback()
        raise DomainError(f"{acting.holder.name} is already waiting for an answer from a broker.") from exc
    return request


def _format(moment) -> str:
    from app.core.timeutil import format_datetime

    return format_datetime(moment)


def withdraw_request(acting: holders.HolderAccess, request_id: int) -> BrokerRequest:
    request = _holder_request(acting, request_id)
    if not acting.can_act:
        raise PermissionDenied()
    if request.status != RequestStatus.PENDING:
        raise DomainError("Only a request still waiting for an answer can be withdrawn")
    _close_request(request, RequestStatus.WITHDRAWN, acting.user, on_behalf_of=acting.on_behalf_of)
    notify(request.broker.user, REQUESTS.key, f"{acting.holder.name} has withdrawn their request",
           "You do not need to answer it.")
    db.session.commit()
    return request


def _close_request(request: BrokerRequest, status: RequestStatus, actor: User | None, *, reason: str = "",
                   on_behalf_of: User | None = None, **details) -> None:
    """A waiting request is withdrawn by the person or declined: the consent to share with that
    broker is withdrawn and the step audited, whoever or whatever closes it."""
    request.status = status
    request.responded_at = utcnow()
    if status == RequestStatus.DECLINED:
        request.decline_reason = reason
    holders.withdraw_consents(request.holder, request.broker, actor)
    audit.record(f"broker_request.{status.value}", actor=actor, on_behalf_of=on_behalf_of, holder=request.holder,
                 obj=request, **details)


def _holder_request(acting: holders.HolderAccess, request_id: int) -> BrokerRequest:
    request = db.session.get(BrokerRequest, request_id)
    if request is None or request.holder_id != acting.holder.id:
        raise NotFound()
    return request


def holder_requests(holder: BudgetHolder) -> list[BrokerRequest]:
    return list(db.session.scalars(
        select(BrokerRequest).where(BrokerRequest.holder_id == holder.id).order_by(BrokerRequest.created_at.desc())
    ))


def holder_engagements(holder: BudgetHolder) -> list[Engagement]:
    return list(db.session.scalars(
        select(Engagement).where(Engagement.holder_id == holder.id).order_by(Engagement.started_at.desc())
    ))


def holder_engagement(acting: holders.HolderAccess, engagement_id: int) -> Engagement:
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or engagement.holder_id != acting.holder.id:
        raise NotFound()
    return engagement


# --- The broker answers --------------------------------------------------------------------------


def broker_requests(user: User) -> list[BrokerRequest]:
    broker = broker_of(user)
    return list(db.session.scalars(
        select(BrokerRequest).where(BrokerRequest.broker_id == broker.id)
        .order_by((BrokerRequest.status == RequestStatus.PENDING).desc(), BrokerRequest.created_at.desc())
    ))


def broker_request(user: User, request_id: int) -> BrokerRequest:
    """A request to this broker (viewing it is viewing a client record: audited)."""
    broker = broker_of(user)
    request = db.session.get(BrokerRequest, request_id)
    if request is None or request.broker_id != broker.id:
        raise NotFound()
    audit.record("client_record.viewed", actor=user, holder=request.holder, obj=request)
    db.session.commit()
    return request


def accept_request(user: User, request_id: int) -> Engagement:
    # The broker's row is locked first, so two acceptances at once count each other's new client
    # against the broker's places (and the request row next, so one request starts one engagement).
    broker = _lock_broker(broker_of(user))
    request = db.session.scalar(select(BrokerRequest).where(BrokerRequest.id == request_id).with_for_update().execution_options(populate_existing=True))
    if request is None or request.broker_id != broker.id:
        raise NotFound()
    if request.status != RequestStatus.PENDING:
        raise DomainError(f"This request has already been answered ({request.status.label.lower()})")
    if request.respond_by <= utcnow():
        raise DomainError("The time to answer this request has passed")
    availability = rules.availability(broker)
    if not availability.can_take_new_clients:
        raise DomainError(_broker_side_reason(availability))
    if active_engagement(request.holder) is not None:
        raise DomainError("This person is already working with a broker")
    band = default_band()
    now = utcnow()
    request.status = RequestStatus.ACCEPTED
    request.responded_at = now
    engagement = Engagement(holder=request.holder, broker=broker, request=request, band=band,
                            allocated_minutes=band.hours * 60, started_at=now)
    db.session.add(engagement)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the person started with someone else at the same moment
        db.session.rollback()
        raise DomainError("This person is already working with a broker") from exc
    engagement_started.send(engagement)
    audit.record("broker_request.accepted", actor=user, holder=request.holder, obj=request)
    audit.record("engagement.started", actor=user, holder=request.holder, obj=engagement, band=band.code)
    holders.tell_holder(request.holder, REQUESTS.key, f"{broker.display_name} has agreed to work with you",
                        f"Your brokerage starts now, in {band.label}.",
                        path_for("holders.overview", holder_id=request.holder_id))
    try:
        db.session.commit()
    except IntegrityError as exc:  # the person started with someone else at the same moment
        db.session.rollback()
        raise DomainError("This person is already working with a broker") from exc
    return engagement


def _lock_broker(broker: BrokerProfile) -> BrokerProfile:
    # FOR NO KEY UPDATE: serialises acceptances without blocking rows that merely reference the broker.
    return db.session.scalar(select(BrokerProfile).where(BrokerProfile.id == broker.id)
                             .with_for_update(key_share=True).execution_options(populate_existing=True))


def _broker_side_reason(availability: rules.Availability) -> str:
    if not availability.accredited:
        return "You cannot take new clients while you are not listed as an accredited broker."
    if not availability.accepted_standards:
        return "Accept the latest broker standards before taking new clients."
    if not availability.accepting:
        return "Switch on 'accepting new clients' in your availability before accepting."
    return "You have no places left. Raise your number of places in your availability first."


def decline_request(user: User, request_id: int, reason: str) -> BrokerRequest:
    broker = broker_of(user)
    request = db.session.scalar(select(BrokerRequest).where(BrokerRequest.id == request_id).with_for_update().execution_options(populate_existing=True))
    if request is None or request.broker_id != broker.id:
        raise NotFound()
    if request.status != RequestStatus.PENDING:
        raise DomainError(f"This request has already been answered ({request.status.label.lower()})")
    if not reason.strip():
        raise DomainError("Tell the person why, so they can choose another broker", field="reason")
    _close_request(request, RequestStatus.DECLINED, user, reason=reason.strip())
    holders.tell_holder(request.holder, REQUESTS.key, f"{broker.display_name} cannot work with you",
                        f"Their reason: {request.decline_reason} You can ask another broker.",
                        path_for("brokers.directory"))
    db.session.commit()
    return request


# --- Client records --------------------------------------------------------------------------------


def broker_clients(user: User, *, include_ended: bool = False) -> list[Engagement]:
    broker = broker_of(user)
    query = select(Engagement).where(Engagement.broker_id == broker.id)
    if not include_ended:
        query = query.where(Engagement.status == EngagementStatus.ACTIVE)
    return list(db.session.scalars(query.order_by(Engagement.status, Engagement.started_at.desc())))


def broker_engagement(user: User, engagement_id: int, *, audit_view: bool = True) -> Engagement:
    """One of this broker's engagements; anyone else's answers 404. Viewing is audited."""
    broker = broker_of(user)
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or engagement.broker_id != broker.id:
        raise NotFound()
    if audit_view:
        audit.record("client_record.viewed", actor=user, holder=engagement.holder, obj=engagement)
        db.session.commit()
    return engagement


def hub_engagements(user: User) -> list[Engagement]:
    hub_ids = led_hub_ids(user)
    return list(db.session.scalars(
        select(Engagement).join(BrokerProfile, BrokerProfile.id == Engagement.broker_id)
        .where(BrokerProfile.hub_id.in_(hub_ids))
        .order_by(Engagement.status, Engagement.started_at.desc())
    ))


def hub_engagement(user: User, engagement_id: int) -> Engagement:
    """An engagement in one of the user's hubs (404 otherwise). Viewing is audited."""
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or engagement.broker.hub_id not in led_hub_ids(user):
        raise NotFound()
    audit.record("client_record.viewed", actor=user, holder=engagement.holder, obj=engagement, as_role="hub_lead")
    db.session.commit()
    return engagement


@dataclass
class NewClient:
    name: str
    district: str
    email: str
    consent_method: str
    consent_note: str


def create_client_record(user: User, new: NewClient) -> Engagement:
    """A broker creates a record for someone without a login (after a phone call, say), with
    their recorded consent, and starts working with them."""
    broker = _lock_broker(broker_of(user))
    availability = rules.availability(broker)
    if not availability.can_take_new_clients:
        raise DomainError(_broker_side_reason(availability))
    if new.consent_method not in (ConsentMethod.VERBAL.value, ConsentMethod.WRITTEN.value):
        raise DomainError("Say how the person gave their consent", field="consent_method")
    if not new.consent_note.strip():
        raise DomainError("Record when and how the person agreed", field="consent_note")
    if new.district and not is_valid_district(new.district):
        raise DomainError("Enter a postcode district, like W9 or NW8", field="district")
    holder = BudgetHolder(name=new.name.strip(), district=normalise_district(new.district) if new.district else None,
                          contact_email=new.email.strip().lower() or None, created_by_id=user.id)
    db.session.add(holder)
    db.session.flush()
    holders.record_consent(holder, purpose="share_with_broker", recorded_by=user,
                           method=ConsentMethod(new.consent_method), broker=broker, note=new.consent_note)
    band = default_band()
    engagement = Engagement(holder=holder, broker=broker, band=band, allocated_minutes=band.hours * 60)
    db.session.add(engagement)
    db.session.flush()
    audit.record("holder.created_by_broker", actor=user, holder=holder, obj=holder)
    audit.record("engagement.started", actor=user, holder=holder, obj=engagement, band=band.code)
    db.session.commit()
    if new.email.strip():
        holders.invite_to_claim(user, holder, new.email)
    return engagement


def invite_client_to_claim(user: User, engagement_id: int, email: str):
    engagement = broker_engagement(user, engagement_id, audit_view=False)
    if not engagement.is_active:
        raise DomainError("This engagement has ended")
    return holders.invite_to_claim(user, engagement.holder, email)


# --- Time and bands --------------------------------------------------------------------------------


def log_time(user: User, engagement_id: int, *, worked_on: date, minutes: int, function: str, note: str) -> TimeEntry:
    engagement = broker_engagement(user, engagement_id, audit_view=False)
    if not engagement.is_active:
        raise DomainError("Time can only be logged while the engagement is active")
    if function not in BROKERAGE_FUNCTIONS:
        raise DomainError("Choose which kind of brokerage work this was", field="function")
    if worked_on > today_in_london():
        raise DomainError("The date cannot be in the future", field="worked_on")
    if worked_on < engagement.started_at.date():
        raise DomainError("The date cannot be before the engagement started", field="worked_on")
    if not 1 <= minutes <= MAX_MINUTES_PER_ENTRY:
        raise DomainError("Enter between 1 minute and 12 hours", field="minutes")
    entry = TimeEntry(engagement=engagement, worked_on=worked_on, minutes=minutes, function=function,
                      note=note.strip(), logged_by_id=user.id)
    db.session.add(entry)
    db.session.flush()
    audit.record("time.logged", actor=user, holder=engagement.holder, obj=entry, minutes=minutes)
    db.session.commit()
    return entry


def request_band_change(user: User, engagement_id: int, to_band_id: int, reason: str) -> BandChangeRequest:
    broker_engagement(user, engagement_id, audit_view=False)
    # Locked, so two requests at once see each other; a partial unique index backs this up.
    engagement = db.session.scalar(select(Engagement).where(Engagement.id == engagement_id)
                                   .with_for_update().execution_options(populate_existing=True))
    db.session.refresh(engagement, ["band_changes"])
    if not engagement.is_active:
        raise DomainError("The engagement has ended")
    to_band = db.session.get(Band, to_band_id)
    if to_band is None or not to_band.active or to_band.hours <= engagement.band.hours:
        raise DomainError("Choose a higher band", field="to_band_id")
    if not reason.strip():
        raise DomainError("Explain why more hours are needed", field="reason")
    if any(c.status == BandChangeStatus.PENDING for c in engagement.band_changes):
        raise DomainError("There is already a band change waiting for the hub lead")
    change = BandChangeRequest(engagement=engagement, from_band_id=engagement.band_id, to_band=to_band,
                               reason=reason.strip())
    db.session.add(change)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise DomainError("There is already a band change waiting for the hub lead") from exc
    audit.record("band_change.requested", actor=user, holder=engagement.holder, obj=change, to_band=to_band.code)
    for lead in engagement.broker.hub.lead_users:
        notify(lead, ENGAGEMENTS.key, f"{engagement.broker.display_name} asks for {to_band.name}",
               change.reason, path_for("engagements.hub_band_changes"))
    db.session.commit()
    return change


def hub_band_changes(user: User) -> list[BandChangeRequest]:
    hub_ids = led_hub_ids(user)
    return list(db.session.scalars(
        select(BandChangeRequest).join(Engagement).join(BrokerProfile, BrokerProfile.id == Engagement.broker_id)
        .where(BrokerProfile.hub_id.in_(hub_ids))
        .order_by((BandChangeRequest.status == BandChangeStatus.PENDING).desc(), BandChangeRequest.requested_at.desc())
    ))


def decide_band_change(user: User, change_id: int, *, approve: bool, note: str) -> BandChangeRequest:
    change = db.session.scalar(select(BandChangeRequest).where(BandChangeRequest.id == change_id).with_for_update().execution_options(populate_existing=True))
    if change is None or change.engagement.broker.hub_id not in led_hub_ids(user):
        raise NotFound()
    if change.status != BandChangeStatus.PENDING:
        raise DomainError("This band change has already been decided")
    if not approve and not note.strip():
        raise DomainError("Give the reason, which the broker will see", field="note")
    engagement = change.engagement
    change.status = BandChangeStatus.APPROVED if approve else BandChangeStatus.DECLINED
    change.decided_at = utcnow()
    change.decided_by_id = user.id
    change.decision_note = note.strip()
    if approve:
        engagement.band_id = change.to_band_id
        engagement.allocated_minutes = change.to_band.hours * 60
    audit.record("band_change.decided", actor=user, holder=engagement.holder, obj=change,
                 decision=change.status.value)
    notify(engagement.broker.user, ENGAGEMENTS.key,
           f"Band change {'approved' if approve else 'declined'} for {engagement.holder.name}",
           change.decision_note, path_for("engagements.broker_client", engagement_id=engagement.id))
    if approve:
        holders.tell_holder(engagement.holder, ENGAGEMENTS.key, f"Your brokerage is now {change.to_band.label}",
                            "Your hub lead agreed your broker needs more hours.")
    db.session.commit()
    return change


# --- Ending --------------------------------------------------------------------------------------------


def end_engagement(engagement: Engagement, actor: User | None, reason: str, on_behalf_of: User | None = None) -> None:
    """End an engagement: the person's consent to share with that broker is withdrawn, audited.
    The one way an engagement ends, whoever ends it (either side, or an account closing)."""
    if not engagement.is_active:
        raise DomainError("This engagement has already ended")
    engagement.status = EngagementStatus.ENDED
    engagement.ended_at = utcnow()
    engagement.ended_by_id = actor.id if actor is not None else None
    engagement.end_reason = reason.strip()
    holders.withdraw_consents(engagement.holder, engagement.broker, actor)
    audit.record("engagement.ended", actor=actor, on_behalf_of=on_behalf_of, holder=engagement.holder,
                 obj=engagement)


def end_by_holder(acting: holders.HolderAccess, engagement_id: int, reason: str) -> Engagement:
    if not acting.can_act:
        raise PermissionDenied()
    engagement = holder_engagement(acting, engagement_id)
    end_engagement(engagement, acting.user, reason, on_behalf_of=acting.on_behalf_of)
    notify(engagement.broker.user, ENGAGEMENTS.key, f"{acting.holder.name} has ended your work together",
           reason.strip() or "No reason given.")
    db.session.commit()
    return engagement


def end_by_broker(user: User, engagement_id: int, reason: str) -> Engagement:
    engagement = broker_engagement(user, engagement_id, audit_view=False)
    if not reason.strip():
        raise DomainError("Tell the person why the work is ending", field="reason")
    end_engagement(engagement, user, reason)
    holders.tell_holder(engagement.holder, ENGAGEMENTS.key, f"{engagement.broker.display_name} has ended your work together",
                        f"{reason.strip()} Please tell us how it went.",
                        path_for("holders.overview", holder_id=engagement.holder_id))
    db.session.commit()
    return engagement


# --- When an account closes --------------------------------------------------------------------------


def holder_leaving(holder: BudgetHolder, actor: User) -> None:
    """The person closed their account: their waiting request is withdrawn and their engagement
    ends, each as if they had done it themselves (consents withdrawn, audited, broker told)."""
    for request in db.session.scalars(select(BrokerRequest).where(
            BrokerRequest.holder_id == holder.id, BrokerRequest.status == RequestStatus.PENDING).with_for_update().execution_options(populate_existing=True)):
        _close_request(request, RequestStatus.WITHDRAWN, actor, because="account closed")
        notify(request.broker.user, REQUESTS.key, "A request to you has been withdrawn",
               "The person closed their account. You do not need to answer it.")
    engagement = active_engagement(holder)
    if engagement is not None:
        end_engagement(engagement, actor, "The person closed their account.")
        notify(engagement.broker.user, ENGAGEMENTS.key, "A client has closed their account",
               "Your engagement has ended.")


def broker_leaving(broker: BrokerProfile, actor: User) -> None:
    """A broker closed their account: they stop being listed, their engagements end and their
    clients are told so they can choose another broker; requests waiting for them are declined."""
    broker.accepting_new_clients = False
    for engagement in db.session.scalars(select(Engagement).where(
            Engagement.broker_id == broker.id, Engagement.status == EngagementStatus.ACTIVE).with_for_update().execution_options(populate_existing=True)):
        end_engagement(engagement, actor, "The broker has left OurChoice.")
        holders.tell_holder(engagement.holder, ENGAGEMENTS.key, "Your broker has left OurChoice",
                            "Your records stay yours. Please choose another broker.", path_for("brokers.directory"))
    for request in db.session.scalars(select(BrokerRequest).where(
            BrokerRequest.broker_id == broker.id, BrokerRequest.status == RequestStatus.PENDING).with_for_update().execution_options(populate_existing=True)):
        _close_request(request, RequestStatus.DECLINED, actor, reason="The broker has left OurChoice.",
                       because="account closed")
        holders.tell_holder(request.holder, REQUESTS.key, f"{broker.display_name} cannot take your request",
                            request.decline_reason + " You can ask another broker.", path_for("brokers.directory"))


# --- When a hub stops ------------------------------------------------------------------------------------


def hub_stopped(hub: Hub, reason: str) -> None:
    """A hub was suspended or closed: tell its brokers' clients, and close pending requests."""
    brokers = list(db.session.scalars(select(BrokerProfile).where(BrokerProfile.hub_id == hub.id)))
    broker_ids = [b.id for b in brokers]
    if not broker_ids:
        return
    link = path_for("brokers.directory")
    for engagement in db.session.scalars(select(Engagement).where(
            Engagement.broker_id.in_(broker_ids), Engagement.status == EngagementStatus.ACTIVE)):
        holders.tell_holder(
            engagement.holder, ENGAGEMENTS.key, f"Your broker's hub ({hub.name}) has stopped trading",
            f"{reason} You can carry on with {engagement.broker.display_name} for now, or choose another broker.",
            link,
        )
    for request in db.session.scalars(select(BrokerRequest).where(
            BrokerRequest.broker_id.in_(broker_ids), BrokerRequest.status == RequestStatus.PENDING)):
        _close_request(request, RequestStatus.DECLINED, None,
                       reason="The broker's hub is not taking new clients at the moment.", because="hub stopped")
        holders.tell_holder(request.holder, REQUESTS.key, f"{request.broker.display_name} cannot take your request",
                            request.decline_reason + " You can ask another broker.", link)
    for broker in brokers:
        notify(broker.user, ENGAGEMENTS.key, f"{hub.name} has stopped trading", reason)


def minutes_used(engagement: Engagement) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(TimeEntry.minutes), 0)).where(TimeEntry.engagement_id == engagement.id)
    ) or 0


def is_hub_lead_of(user: User, broker: BrokerProfile) -> bool:
    return Role.HUB_LEAD in user.roles and broker.hub_id in led_hub_ids(user)
