"""Features' reactions to an account closing (see accounts/signals.py).

Money and audit records are kept; personal data and access are removed.
"""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.signals import account_closing
from app.core import audit
from app.extensions import db


@account_closing.connect
def _stop_helping_and_being_helped(user, now, **_):
    """Access the person gave others, and access others gave them, ends."""
    from app.holders.models import Delegation, DelegationStatus

    holder = user.budget_holder
    conditions = [Delegation.user_id == user.id]
    if holder is not None:
        conditions.append(Delegation.holder_id == holder.id)
    for delegation in db.session.scalars(select(Delegation).where(db.or_(*conditions))):
        if delegation.status != DelegationStatus.REVOKED:
            delegation.status = DelegationStatus.REVOKED
            delegation.revoked_at = now
            delegation.revoked_by_id = user.id
            delegation.token_hash = None
            audit.record("delegation.revoked", actor=user, obj=delegation, because="account closed")


@account_closing.connect
def _end_brokerage(user, now, **_):
    """A closing budget holder's engagement ends and pending requests are withdrawn; a closing
    broker stops being listed, their engagements end and their clients are told, so they can
    choose another broker."""
    from app.brokerage.models import BrokerRequest, Engagement, EngagementStatus, RequestStatus
    from app.brokerage.services import ENGAGEMENTS
    from app.core.notifications import notify
    from app.holders.services import tell_holder

    holder = user.budget_holder
    if holder is not None:
        for request in db.session.scalars(select(BrokerRequest).where(
                BrokerRequest.holder_id == holder.id, BrokerRequest.status == RequestStatus.PENDING)):
            request.status = RequestStatus.WITHDRAWN
            request.responded_at = now
        for engagement in db.session.scalars(select(Engagement).where(
                Engagement.holder_id == holder.id, Engagement.status == EngagementStatus.ACTIVE)):
            engagement.status = EngagementStatus.ENDED
            engagement.ended_at = now
            engagement.ended_by_id = user.id
            engagement.end_reason = "The person closed their account."
            notify(engagement.broker.user, ENGAGEMENTS.key, "A client has closed their account",
                   "Your engagement has ended.")
    broker = user.broker_profile
    if broker is not None:
        broker.accepting_new_clients = False
        for engagement in db.session.scalars(select(Engagement).where(
                Engagement.broker_id == broker.id, Engagement.status == EngagementStatus.ACTIVE)):
            engagement.status = EngagementStatus.ENDED
            engagement.ended_at = now
            engagement.ended_by_id = user.id
            engagement.end_reason = "The broker has left OurChoice."
            tell_holder(engagement.holder, ENGAGEMENTS.key, "Your broker has left OurChoice",
                        "Your records stay yours. Please choose another broker.")
        for request in db.session.scalars(select(BrokerRequest).where(
                BrokerRequest.broker_id == broker.id, BrokerRequest.status == RequestStatus.PENDING)):
            request.status = RequestStatus.DECLINED
            request.responded_at = now
            request.decline_reason = "The broker has left OurChoice."
