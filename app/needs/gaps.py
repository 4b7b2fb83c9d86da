"""Gaps: needs the market could not meet. Flagged after 3 days unfilled or raised by a broker;
kept for the hub's reports; the hub lead responds so the broker learns what happened, and closes
the gap, with a response saying what was done, once it has been dealt with. A closed gap stays
closed (kept for the reports, with its response)."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import ensure
from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.extensions import db
from app.hubs.policies import led_hub_ids
from app.needs import policies
from app.needs.events import NEED_NEWS, tell_broker
from app.needs.models import Gap, Need
from app.needs.refusals import gap_closed_refusal, refuse


def hub_gaps(user: User) -> list[Gap]:
    """The gaps of the needs posted by brokers in the hubs this user leads, unresolved first."""
    return list(db.session.scalars(
        select(Gap).join(Need, Need.id == Gap.need_id).join(BrokerProfile, BrokerProfile.id == Need.broker_id)
        .where(BrokerProfile.hub_id.in_(led_hub_ids(user)))
        .order_by(Gap.closed_at.is_not(None), Gap.resolved_at.is_not(None), Gap.flagged_at.desc())
    ))


def waiting_for_response(user: User) -> list[Gap]:
    """The hub's gaps nobody has responded to yet (and not closed): what waits for the lead."""
    return [gap for gap in hub_gaps(user) if not gap.response and gap.closed_at is None]


def _open_gap(user: User, gap_id: int) -> Gap:
    """The gap, locked, for the lead of its broker's hub (404 otherwise); refused once closed."""
    gap = db.session.scalar(select(Gap).where(Gap.id == gap_id).with_for_update()
                            .execution_options(populate_existing=True))
    ensure(policies.can_respond_to_gap, user, gap)
    refuse(gap_closed_refusal(gap))
    return gap


def _record_response(user: User, gap: Gap, response: str, message: str) -> None:
    if not response.strip():
        raise DomainError(message, field="response")
    gap.response = response.strip()
    gap.responded_at = utcnow()
    gap.responded_by_id = user.id


def respond(user: User, gap_id: int, response: str) -> Gap:
    """The hub lead says what the hub is doing about a gap; the broker is told."""
    gap = _open_gap(user, gap_id)
    _record_response(user, gap, response, "Enter your response")
    audit.record("gap.responded", actor=user, obj=gap)
    tell_broker(gap.need, NEED_NEWS.key, f"Your hub responded about the gap in {gap.need.district}",
                gap.response, path_for("needs.broker_need", need_id=gap.need_id))
    return gap


def close_gap(user: User, gap_id: int, response: str) -> Gap:
    """The hub lead closes a gap, saying what was done; the broker is told. Closing is final."""
    gap = _open_gap(user, gap_id)
    _record_response(user, gap, response, "Say what was done about the gap before you close it")
    gap.closed_at = gap.responded_at
    gap.closed_by_id = user.id
    audit.record("gap.closed", actor=user, obj=gap)
    tell_broker(gap.need, NEED_NEWS.key, f"Your hub closed the gap in {gap.need.district}",
                gap.response, path_for("needs.broker_need", need_id=gap.need_id))
    return gap
