"""Gaps: support the market could not provide. Flagged after 3 days unfilled, or raised by a
broker (about a posted need, or on its own: a service nobody offers, so nothing could even be
posted); kept for the hub's reports by service category and district. The hub lead responds,
and the broker and the person affected are told what is being done, in plain words; the lead
closes the gap, saying what was done, once it has been dealt with. A closed gap stays closed
(kept for the reports, with its response)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from app.accounts.models import User
from app.brokers.models import BrokerProfile
from app.brokers.policies import broker_of
from app.core import audit
from app.core.districts import is_valid_district, normalise_district
from app.core.errors import DomainError, accumulate_errors
from app.core.notifications import notify
from app.core.permissions import ensure
from app.core.records import locked
from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.engagements.services import broker_clients, current_broker_of
from app.extensions import db
from app.holders.services import tell_holder
from app.hubs.policies import led_hub_ids
from app.needs import policies
from app.needs.events import NEED_NEWS, event, tell_hub
from app.needs.models import Gap, GapReason, Need
from app.needs.refusals import gap_closed_refusal, refuse
from app.taxonomy.models import ServiceCategory


def _gap_broker(need: Need) -> BrokerProfile:
    """The broker who works with the person now (else the one who posted): told of the response."""
    return current_broker_of(need.holder) or need.broker


def record_for_need(need: Need, reason: GapReason, *, actor: User | None = None, happened: str = "",
                    now: datetime | None = None) -> Gap | None:
    """Record a need as a gap for its broker's hub, which is told. None when the broker belongs
    to no hub (there is nobody to report to). The caller holds the need's row lock; the check
    reads the database, so a gap recorded by another transaction meanwhile is seen."""
    if db.session.scalar(select(Gap.id).where(Gap.need_id == need.id)) is not None:
        raise DomainError("This need is already recorded as a gap")
    broker = _gap_broker(need)
    if broker.hub_id is None:
        return None
    gap = Gap(need=need, hub_id=broker.hub_id, broker_id=broker.id, holder_id=need.holder_id,
              category_id=need.category_id, district=need.district, reason=reason, needed=need.public_description,
              note=happened, raised_by_id=getattr(actor, "id", None), flagged_at=now or utcnow())
    db.session.add(gap)
    db.session.flush()
    event(need, "gap", actor, reason=reason.value)
    tell_hub(gap)
    return gap


@dataclass(frozen=True)
class GapDetails:
    """A gap a broker raises on its own: what kind of service, where, what was needed and what
    happened, and (optionally) which client it affects, by their engagement."""

    category_id: int | None
    district: str
    needed: str
    happened: str
    engagement_id: int | None = None


def _check(ok: bool, message: str, field: str) -> None:
    if not ok:
        raise DomainError(message, field=field)


def raise_gap_on_its_own(user: User, details: GapDetails) -> Gap:
    """A broker records a gap that no posted need shows (the hub is told)."""
    broker = broker_of(user)
    if broker.hub_id is None:
        raise DomainError("You need to belong to a hub to record a gap")
    clients = {engagement.id: engagement for engagement in broker_clients(user)}
    category = db.session.get(ServiceCategory, details.category_id) if details.category_id else None
    accumulate_errors(
        lambda: _check(category is not None and category.active, "Choose the kind of service that was needed",
                       "category_id"),
        lambda: _check(is_valid_district(details.district.strip()), "Enter the postcode district only, like W9",
                       "district"),
        lambda: _check(bool(details.needed.strip()), "Say what was needed", "needed"),
        lambda: _check(bool(details.happened.strip()), "Say what happened when you looked for it", "happened"),
        lambda: _check(details.engagement_id is None or details.engagement_id in clients,
                       "Choose one of your clients, or say it is not about one client", "engagement_id"),
    )
    engagement = clients.get(details.engagement_id) if details.engagement_id is not None else None
    district = normalise_district(details.district)
    locked(BrokerProfile, broker.id)  # one at a time per broker: a double click makes one gap
    holder_id = engagement.holder_id if engagement else None
    if db.session.scalar(select(Gap.id).where(
            Gap.broker_id == broker.id, Gap.holder_id.is_not_distinct_from(holder_id),
            Gap.category_id == category.id, Gap.district == district, Gap.need_id.is_(None),
            Gap.needed == details.needed.strip(), Gap.closed_at.is_(None))) is not None:
        raise DomainError("You have already recorded this gap: your hub lead has it")
    gap = Gap(hub_id=broker.hub_id, broker_id=broker.id, holder_id=holder_id,
              category_id=category.id, district=district, reason=GapReason.RAISED,
              needed=details.needed.strip(), note=details.happened.strip(), raised_by_id=user.id)
    db.session.add(gap)
    db.session.flush()
    audit.record("gap.raised", actor=user, obj=gap, holder=engagement.holder if engagement else None)
    tell_hub(gap)
    return gap


def hub_gaps(user: User) -> list[Gap]:
    """The gaps of the hubs this user leads, unresolved first."""
    return list(db.session.scalars(
        select(Gap).where(Gap.hub_id.in_(led_hub_ids(user)))
        .order_by(Gap.closed_at.is_not(None), Gap.resolved_at.is_not(None), Gap.flagged_at.desc())
    ))


def waiting_for_response(user: User) -> list[Gap]:
    """The hub's gaps nobody has responded to yet (and not closed): what waits for the lead."""
    return [gap for gap in hub_gaps(user) if not gap.response and gap.closed_at is None]


def broker_gaps(user: User) -> list[Gap]:
    """The gaps this broker raised or reported, and those about the people they work with now,
    newest first. A gap about someone who has moved to another broker is theirs to follow."""
    broker = broker_of(user)
    clients = [engagement.holder_id for engagement in broker_clients(user)]
    mine = or_(Gap.raised_by_id == user.id, Gap.broker_id == broker.id)
    return list(db.session.scalars(
        select(Gap).where(or_(and_(mine, or_(Gap.holder_id.is_(None), Gap.holder_id.in_(clients))),
                              Gap.holder_id.in_(clients)))
        .order_by(Gap.flagged_at.desc())))


def holder_gaps(holder_id: int) -> list[Gap]:
    """The gaps about this person that the hub has responded to (what is being done about them)."""
    return list(db.session.scalars(select(Gap).where(Gap.holder_id == holder_id, Gap.responded_at.is_not(None))
                                   .order_by(Gap.responded_at.desc())))


def _open_gap(user: User, gap_id: int) -> Gap:
    """The gap, locked, for the lead of its hub (404 otherwise); refused once closed."""
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


def _tell(gap: Gap, done: bool) -> None:
    """The broker (the person's broker now, if it is about someone and they have one), and the
    person affected (in plain words), hear what the hub is doing."""
    broker = (current_broker_of(gap.holder) if gap.holder is not None else None) or gap.broker
    broker_link = path_for("needs.broker_need", need_id=gap.need_id) if gap.need_id else path_for("needs.broker_gaps")
    notify(broker.user, NEED_NEWS.key, f"Your hub {'closed' if done else 'responded about'} the gap: {gap.about}",
           gap.response, broker_link)
    if gap.holder is not None:
        tell_holder(gap.holder, NEED_NEWS.key, f"Your hub has looked at why {gap.category.name.lower()} was hard to find",
                    f"{'What was done' if done else 'What they are doing'}: {gap.response}",
                    path_for("needs.holder_needs", holder_id=gap.holder_id) + "#gaps")


def respond(user: User, gap_id: int, response: str) -> Gap:
    """The hub lead says what the hub is doing about a gap; the broker and the person are told."""
    gap = _open_gap(user, gap_id)
    _record_response(user, gap, response, "Enter your response")
    audit.record("gap.responded", actor=user, obj=gap)
    _tell(gap, done=False)
    return gap


def close_gap(user: User, gap_id: int, response: str) -> Gap:
    """The hub lead closes a gap, saying what was done; the broker and the person are told.
    Closing is final."""
    gap = _open_gap(user, gap_id)
    _record_response(user, gap, response, "Say what was done about the gap before you close it")
    gap.closed_at = gap.responded_at
    gap.closed_by_id = user.id
    audit.record("gap.closed", actor=user, obj=gap)
    _tell(gap, done=True)
    return gap
