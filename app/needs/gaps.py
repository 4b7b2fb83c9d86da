"""Gaps: needs the market could not meet. Flagged after 3 days unfilled or raised by a broker;
kept for the hub's reports; the hub lead responds so the broker learns what happened."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.extensions import db
from app.needs.events import NEED_NEWS, tell_broker
from app.needs.models import Gap, Need


def _lead_hub_ids(user: User) -> list[int]:
    return [m.hub_id for m in user.hub_lead_memberships]


def hub_gaps(user: User) -> list[Gap]:
    return list(db.session.scalars(
        select(Gap).join(Need, Need.id == Gap.need_id).join(BrokerProfile, BrokerProfile.id == Need.broker_id)
        .where(BrokerProfile.hub_id.in_(_lead_hub_ids(user)))
        .order_by(Gap.resolved_at.is_not(None), Gap.flagged_at.desc())
    ))


def respond(user: User, gap_id: int, response: str) -> Gap:
    gap = db.session.get(Gap, gap_id)
    if gap is None or gap.need.broker.hub_id not in _lead_hub_ids(user):
        raise NotFound()
    if not response.strip():
        raise DomainError("Enter your response", field="response")
    gap.response = response.strip()
    gap.responded_at = utcnow()
    gap.responded_by_id = user.id
    audit.record("gap.responded", actor=user, obj=gap)
    tell_broker(gap.need, NEED_NEWS.key, f"Your hub responded about the gap in {gap.need.district}",
                gap.response, path_for("needs.broker_need", need_id=gap.need_id))
    db.session.commit()
    return gap
