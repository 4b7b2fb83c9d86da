"""Ending: either side ends an engagement; an account closing or a hub stopping ends or closes
what is left, each the same way (consents withdrawn, audited, the other side told). The budget
holder's records stay theirs."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.core import audit
from app.core.errors import DomainError, PermissionDenied
from app.core.notifications import notify
from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.engagements.clients import active_engagement, broker_engagement, holder_engagement
from app.engagements.kinds import ENGAGEMENTS, REQUESTS
from app.engagements.models import BrokerRequest, Engagement, EngagementStatus, RequestStatus
from app.engagements.requests import close_request
from app.extensions import db
from app.holders import services as holders
from app.holders.models import BudgetHolder
from app.hubs.models import Hub


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
    return engagement


def end_by_broker(user: User, engagement_id: int, reason: str) -> Engagement:
    engagement = broker_engagement(user, engagement_id, audit_view=False)
    if not reason.strip():
        raise DomainError("Tell the person why the work is ending", field="reason")
    end_engagement(engagement, user, reason)
    holders.tell_holder(engagement.holder, ENGAGEMENTS.key, f"{engagement.broker.display_name} has ended your work together",
                        f"{reason.strip()} Please tell us how it went.",
                        path_for("home.person", holder_id=engagement.holder_id))
    return engagement


def _locked(query):
    return db.session.scalars(query.with_for_update().execution_options(populate_existing=True))


# --- When an account closes --------------------------------------------------------------------------


def holder_leaving(holder: BudgetHolder, actor: User) -> None:
    """The person closed their account: their waiting request is withdrawn and their engagement
    ends, each as if they had done it themselves (consents withdrawn, audited, broker told)."""
    for request in _locked(select(BrokerRequest).where(
            BrokerRequest.holder_id == holder.id, BrokerRequest.status == RequestStatus.PENDING)):
        close_request(request, RequestStatus.WITHDRAWN, actor, because="account closed")
        notify(request.broker.user, REQUESTS.key, "A request to you has been withdrawn",
               "The person closed their account. You do not need to answer it.")
    engagement = active_engagement(holder)
    if engagement is not None:
        end_engagement(engagement, actor, "The person closed their account.")
        notify(engagement.broker.user, ENGAGEMENTS.key, "A client has closed their account",
               "Your engagement has ended.")


def _decline_for_broker(request: BrokerRequest, actor: User | None, reason: str, because: str, link: str) -> None:
    close_request(request, RequestStatus.DECLINED, actor, reason=reason, because=because)
    holders.tell_holder(request.holder, REQUESTS.key, f"{request.broker.display_name} cannot take your request",
                        request.decline_reason + " You can ask another broker.", link)


def broker_leaving(broker: BrokerProfile, actor: User) -> None:
    """A broker closed their account: they stop being listed, their engagements end and their
    clients are told so they can choose another broker; requests waiting for them are declined."""
    broker.accepting_new_clients = False
    link = path_for("brokers.directory")
    for engagement in _locked(select(Engagement).where(
            Engagement.broker_id == broker.id, Engagement.status == EngagementStatus.ACTIVE)):
        end_engagement(engagement, actor, "The broker has left OurChoice.")
        holders.tell_holder(engagement.holder, ENGAGEMENTS.key, "Your broker has left OurChoice",
                            "Your records stay yours. Please choose another broker.", link)
    for request in _locked(select(BrokerRequest).where(
            BrokerRequest.broker_id == broker.id, BrokerRequest.status == RequestStatus.PENDING)):
        _decline_for_broker(request, actor, "The broker has left OurChoice.", "account closed", link)


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
        _decline_for_broker(request, None, "The broker's hub is not taking new clients at the moment.",
                            "hub stopped", link)
    for broker in brokers:
        notify(broker.user, ENGAGEMENTS.key, f"{hub.name} has stopped trading", reason)
