"""Asking a broker to work with you, and the broker's answer.

- A budget holder (or someone who can act for them) asks one broker at a time, with consent to
  share their details with that broker; they can have one active engagement at a time.
- The broker answers within the configured number of working days, or the request lapses
  (`tasks.py`). Accepting starts the engagement; declining needs a reason the person sees.
- However a waiting request closes, the consent to share with that broker is withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.brokers import services as brokers
from app.brokers.models import BrokerProfile
from app.core import audit, unit_of_work
from app.core.errors import DomainError, NotFound, PermissionDenied
from app.core.notifications import notify
from app.core.permissions import ensure
from app.core.records import locked
from app.core.reference import BROKERAGE_FUNCTIONS
from app.core.timeutil import add_working_days, format_datetime, utcnow
from app.core.urls import path_for
from app.engagements import policies
from app.engagements.bands import default_band
from app.engagements.clients import active_engagement, broker_side_reason, lock_broker, start_engagement
from app.engagements.kinds import REQUESTS
from app.engagements.models import BrokerRequest, Engagement, RequestStatus
from app.engagements.signals import engagement_started
from app.extensions import db
from app.holders import services as holders
from app.holders.models import BudgetHolder, ConsentMethod


def pending_request(holder: BudgetHolder) -> BrokerRequest | None:
    return db.session.scalar(
        select(BrokerRequest).where(BrokerRequest.holder_id == holder.id, BrokerRequest.status == RequestStatus.PENDING)
    )


def holder_requests(holder: BudgetHolder) -> list[BrokerRequest]:
    return list(db.session.scalars(
        select(BrokerRequest).where(BrokerRequest.holder_id == holder.id).order_by(BrokerRequest.created_at.desc())
    ))


@dataclass(frozen=True)
class AskProblem:
    """Why a person cannot ask a broker now, in words for whoever is asking ("you" when it is
    about themselves), and where they can do something about it."""

    text: str
    link: str | None = None
    link_text: str = ""


@dataclass(frozen=True)
class AskChoice:
    """Someone the signed-in user may ask a broker for: themselves, or a person they act for."""

    holder: BudgetHolder
    label: str
    problem: AskProblem | None
    is_self: bool


@dataclass(frozen=True)
class AskCheck:
    """Before any form: who the user could ask this broker for, and why not for the others.
    No choices at all: the user has no personal budget and acts for nobody who has one."""

    broker: BrokerProfile
    choices: list[AskChoice]
    view_only: list[BudgetHolder]  # people the user helps who let them view, not act

    @property
    def askable(self) -> list[AskChoice]:
        return [choice for choice in self.choices if choice.problem is None]

    @property
    def blocked(self) -> list[AskChoice]:
        return [choice for choice in self.choices if choice.problem is not None]

    @property
    def can_ask_for_self(self) -> bool:
        return any(choice.is_self for choice in self.askable)


# What stops a broker taking anyone new (brokers' `Availability.missing`), said about them by name.
_BROKER_UNAVAILABLE = {
    "accredited": "{name} is not listed as an accredited broker at the moment, so you cannot ask them now.",
    "standards": "{name} cannot take new clients until they accept the latest broker standards. You can ask "
                 "another broker.",
    "accepting": "{name} is not taking new clients at the moment. You can ask another broker.",
    "places": "{name} has no places left at the moment. You can ask another broker.",
}


def ask_problem(holder: BudgetHolder, broker: BrokerProfile, *, is_self: bool = True) -> AskProblem | None:
    """Why `holder` cannot ask `broker` now (None: they can), said to the person themselves
    (`is_self`) or to someone acting for them."""
    who, has, works = ("You", "have", "work") if is_self else (holder.name, "has", "works")
    whose = "your" if is_self else f"{holder.name}'s"
    current = active_engagement(holder)
    if current is not None:
        link = path_for("engagements.holder_engagement", holder_id=holder.id, engagement_id=current.id)
        name = current.broker.user.name
        if current.broker_id == broker.id:
            return AskProblem(f"{who} already {works} with {name}.", link, f"See {whose} work with {name}")
        return AskProblem(f"{who} already {works} with {name}. To choose another broker, end that work first.",
                          link, f"See {whose} work with {name}")
    waiting = pending_request(holder)
    if waiting is not None:
        link = path_for("home.person", holder_id=holder.id)
        name = waiting.broker.user.name
        if waiting.broker_id == broker.id:
            return AskProblem(f"{who} already {has} a request waiting with {name}. They will answer by "
                              f"{format_datetime(waiting.respond_by)}.", link, f"See {whose} request")
        return AskProblem(f"{who} already {has} a request waiting with {name}. You can withdraw it to ask "
                          "someone else.", link, f"See {whose} request to {name}")
    missing = brokers.availability(broker).missing
    if missing is not None:
        return AskProblem(_BROKER_UNAVAILABLE[missing].format(name=broker.user.name))
    return None


def why_cannot_ask(holder: BudgetHolder, broker: BrokerProfile, *, is_self: bool = True) -> str | None:
    problem = ask_problem(holder, broker, is_self=is_self)
    return problem.text if problem else None


def ask_check(user: User, broker: BrokerProfile) -> AskCheck:
    """Whom `user` could ask `broker` for (themselves, the people they can act for), each with
    what would stop the request, so a page can say so before anyone fills in a form."""
    choices, view_only = [], []
    own = holders.own_holder(user)
    if own is not None:
        choices.append(AskChoice(own, "Myself", ask_problem(own, broker), is_self=True))
    for delegation in user.people_helped:
        if delegation.can_act:
            holder = delegation.holder
            choices.append(AskChoice(holder, f"{holder.name} (you can act for them)",
                                     ask_problem(holder, broker, is_self=False), is_self=False))
        else:
            view_only.append(delegation.holder)
    return AskCheck(broker, choices, view_only)


def ask_broker(acting: holders.HolderAccess, broker_id: int, *, message: str, help_wanted: list[str],
               consent: bool) -> BrokerRequest:
    if not acting.can_act:
        raise PermissionDenied()
    broker = brokers.accredited_broker(broker_id)
    if not consent:
        raise DomainError("You need to agree to share your details with this broker so they can answer",
                          field="consent")
    unknown = [h for h in help_wanted if h not in BROKERAGE_FUNCTIONS]
    if unknown or not help_wanted:
        raise DomainError("Choose at least one kind of help", field="help_wanted")
    problem = why_cannot_ask(acting.holder, broker, is_self=acting.is_self)
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
        respond_by=add_working_days(now, current_app.config["BROKER_REQUEST_WORKING_DAYS"]),
    )
    db.session.add(request)
    try:
        db.session.flush()
        audit.record("broker_request.sent", actor=acting.user, on_behalf_of=acting.on_behalf_of,
                     holder=acting.holder, obj=request, broker_id=broker.id)
        notify(broker.user, REQUESTS.key, f"{acting.holder.name} has asked you to work with them",
               f"Please answer by {format_datetime(request.respond_by)}.",
               path_for("engagements.broker_request", request_id=request.id))
    except IntegrityError as exc:  # another request was sent for this person at the same moment
        unit_of_work.discard()
        who = "You already have" if acting.is_self else f"{acting.holder.name} already has"
        raise DomainError(f"{who} a request waiting with another broker.") from exc
    return request


def withdraw_request(acting: holders.HolderAccess, request_id: int) -> BrokerRequest:
    request = db.session.get(BrokerRequest, request_id)
    if not policies.belongs_to(acting, request):
        raise NotFound()
    if not acting.can_act:
        raise PermissionDenied()
    if not request.is_pending:
        raise DomainError("Only a request still waiting for an answer can be withdrawn")
    close_request(request, RequestStatus.WITHDRAWN, acting.user, on_behalf_of=acting.on_behalf_of)
    notify(request.broker.user, REQUESTS.key, f"{acting.holder.name} has withdrawn their request",
           "You do not need to answer it.")
    return request


def close_request(request: BrokerRequest, status: RequestStatus, actor: User | None, *, reason: str = "",
                  on_behalf_of: User | None = None, at: datetime | None = None, **details) -> None:
    """A waiting request is withdrawn, declined or lapses: the consent to share with that broker
    is withdrawn and the step audited, whoever or whatever closes it."""
    request.status = status
    request.responded_at = at or utcnow()
    if status == RequestStatus.DECLINED:
        request.decline_reason = reason
    holders.withdraw_consents(request.holder, request.broker, actor)
    audit.record(f"broker_request.{status.value}", actor=actor, on_behalf_of=on_behalf_of, holder=request.holder,
                 obj=request, **details)


# --- The broker answers --------------------------------------------------------------------------


def broker_requests(user: User) -> list[BrokerRequest]:
    broker = brokers.broker_of(user)
    return list(db.session.scalars(
        select(BrokerRequest).where(BrokerRequest.broker_id == broker.id)
        .order_by((BrokerRequest.status == RequestStatus.PENDING).desc(), BrokerRequest.created_at.desc())
    ))


def pending_request_count(user: User) -> int:
    """How many requests wait for this broker's answer."""
    broker = brokers.broker_of(user)
    return db.session.scalar(select(func.count()).select_from(BrokerRequest).where(
        BrokerRequest.broker_id == broker.id, BrokerRequest.status == RequestStatus.PENDING)) or 0


def broker_request(user: User, request_id: int) -> BrokerRequest:
    """A request to this broker (viewing it is viewing a client record: audited)."""
    brokers.broker_of(user)
    request = db.session.get(BrokerRequest, request_id)
    ensure(policies.sees_request, user, request)
    audit.record("client_record.viewed", actor=user, holder=request.holder, obj=request)
    return request


def _locked_request(user: User, request_id: int) -> BrokerRequest:
    request = locked(BrokerRequest, request_id)
    ensure(policies.sees_request, user, request)
    if not request.is_pending:
        raise DomainError(f"This request has already been answered ({request.status.label.lower()})")
    return request


def accept_request(user: User, request_id: int) -> Engagement:
    # The broker's row is locked first, so two acceptances at once count each other's new client
    # against the broker's places (and the request row next, so one request starts one engagement).
    broker = lock_broker(brokers.broker_of(user))
    request = _locked_request(user, request_id)
    if request.respond_by <= utcnow():
        raise DomainError("The time to answer this request has passed")
    availability = brokers.availability(broker)
    if not availability.can_take_new_clients:
        raise DomainError(broker_side_reason(availability))
    if active_engagement(request.holder) is not None:
        raise DomainError("This person is already working with a broker")
    band = default_band()
    now = utcnow()
    request.status = RequestStatus.ACCEPTED
    request.responded_at = now
    engagement = start_engagement(request.holder, broker, band, request=request, started_at=now)
    try:
        db.session.flush()
        engagement_started.send(engagement)
        audit.record("broker_request.accepted", actor=user, holder=request.holder, obj=request)
        audit.record("engagement.started", actor=user, holder=request.holder, obj=engagement, band=band.code)
        holders.tell_holder(request.holder, REQUESTS.key, f"{broker.display_name} has agreed to work with you",
                            f"Your brokerage starts now, in {band.label}.",
                            path_for("home.person", holder_id=request.holder_id))
        db.session.flush()
    except IntegrityError as exc:  # the person started with someone else at the same moment
        unit_of_work.discard()
        raise DomainError("This person is already working with a broker") from exc
    return engagement


def decline_request(user: User, request_id: int, reason: str) -> BrokerRequest:
    broker = brokers.broker_of(user)
    request = _locked_request(user, request_id)
    if not reason.strip():
        raise DomainError("Tell the person why, so they can choose another broker", field="reason")
    close_request(request, RequestStatus.DECLINED, user, reason=reason.strip())
    holders.tell_holder(request.holder, REQUESTS.key, f"{broker.display_name} cannot work with you",
                        f"Their reason: {request.decline_reason} You can ask another broker.",
                        path_for("brokers.directory"))
    return request
