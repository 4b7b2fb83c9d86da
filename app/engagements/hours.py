"""Hours: the broker logs the time they work, and asks their hub lead for a higher band when
the work needs more hours than the band allows. Approving a band change gives the engagement
the new band's hours and the broker's fee for it.

Time past the band's hours is logged all the same (brokerage often takes longer than agreed,
and time worked is never lost): the broker is warned, and offered the band change, before and
after they log it (`band_use`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.brokers.models import Band, BrokerProfile
from app.brokers.services import active_bands
from app.core import audit, unit_of_work
from app.core.errors import DomainError
from app.core.notifications import notify
from app.core.permissions import ensure
from app.core.records import locked
from app.core.reference import BROKERAGE_FUNCTIONS
from app.core.timeutil import format_minutes, london_date, today_in_london, utcnow
from app.core.urls import path_for
from app.engagements import policies
from app.engagements.clients import broker_engagement
from app.engagements.kinds import ENGAGEMENTS
from app.engagements.models import BandChangeRequest, BandChangeStatus, Engagement, TimeEntry
from app.extensions import db
from app.holders import services as holders
from app.hubs.policies import led_hub_ids

MAX_MINUTES_PER_ENTRY = 12 * 60


def log_time(user: User, engagement_id: int, *, worked_on: date, minutes: int, function: str, note: str) -> TimeEntry:
    engagement = broker_engagement(user, engagement_id, audit_view=False)
    if not engagement.is_active:
        raise DomainError("Time can only be logged while the engagement is active")
    if function not in BROKERAGE_FUNCTIONS:
        raise DomainError("Choose which kind of brokerage work this was", field="function")
    if worked_on > today_in_london():
        raise DomainError("The date cannot be in the future", field="worked_on")
    if worked_on < london_date(engagement.started_at):
        raise DomainError("The date cannot be before the engagement started", field="worked_on")
    if not 1 <= minutes <= MAX_MINUTES_PER_ENTRY:
        raise DomainError("Enter between 1 minute and 12 hours", field="minutes")
    entry = TimeEntry(engagement=engagement, worked_on=worked_on, minutes=minutes, function=function,
                      note=note.strip(), logged_by_id=user.id)
    db.session.add(entry)
    db.session.flush()
    audit.record("time.logged", actor=user, holder=engagement.holder, obj=entry, minutes=minutes,
                 past_band=band_use(engagement).is_over)
    return entry


@dataclass(frozen=True)
class BandUse:
    """Where an engagement stands against its band: the minutes logged and the minutes the band
    allows, with what the broker can do about going past them."""

    engagement_id: int
    holder_name: str
    band_name: str
    used: int
    allocated: int
    waiting_change: BandChangeRequest | None  # already asked for, not yet decided
    can_ask_higher: bool  # a higher band exists to ask for

    @property
    def is_over(self) -> bool:
        return self.used > self.allocated

    @property
    def standing(self) -> str:
        """"Grace Okafor is at 14 hours of the 12 hours in Band B"."""
        return (f"{self.holder_name} is at {format_minutes(self.used)} of the {format_minutes(self.allocated)} "
                f"in {self.band_name}")

    @property
    def after_logging(self) -> str:
        """"This takes Grace Okafor to 14 hours of the 12 hours in Band B"."""
        return (f"This takes {self.holder_name} to {format_minutes(self.used)} of the "
                f"{format_minutes(self.allocated)} in {self.band_name}")


def band_use(engagement: Engagement) -> BandUse:
    waiting = next((change for change in engagement.band_changes if change.is_pending), None)
    return BandUse(engagement_id=engagement.id, holder_name=engagement.holder.name, band_name=engagement.band.name,
                   used=engagement.minutes_used, allocated=engagement.allocated_minutes, waiting_change=waiting,
                   can_ask_higher=engagement.is_active and bool(higher_bands(engagement)))


def higher_bands(engagement: Engagement) -> list[Band]:
    """The bands a broker may ask to move this engagement to: active, with more hours."""
    return [band for band in active_bands() if band.hours > engagement.band.hours]


def request_band_change(user: User, engagement_id: int, to_band_id: int, reason: str) -> BandChangeRequest:
    broker_engagement(user, engagement_id, audit_view=False)
    # Locked, so two requests at once see each other; a partial unique index backs this up.
    engagement = locked(Engagement, engagement_id)
    db.session.refresh(engagement, ["band_changes"])
    if not engagement.is_active:
        raise DomainError("The engagement has ended")
    to_band = next((band for band in higher_bands(engagement) if band.id == to_band_id), None)
    if to_band is None:
        raise DomainError("Choose a higher band", field="to_band_id")
    if not reason.strip():
        raise DomainError("Explain why more hours are needed", field="reason")
    if any(c.is_pending for c in engagement.band_changes):
        raise DomainError("There is already a band change waiting for the hub lead")
    change = BandChangeRequest(engagement=engagement, from_band_id=engagement.band_id, to_band=to_band,
                               reason=reason.strip())
    db.session.add(change)
    try:
        db.session.flush()
    except IntegrityError as exc:
        unit_of_work.discard()
        raise DomainError("There is already a band change waiting for the hub lead") from exc
    audit.record("band_change.requested", actor=user, holder=engagement.holder, obj=change, to_band=to_band.code)
    for lead in engagement.broker.hub.lead_users:
        notify(lead, ENGAGEMENTS.key, f"{engagement.broker.display_name} asks for {to_band.name}",
               change.reason, path_for("engagements.hub_band_changes"))
    return change


def hub_band_changes(user: User) -> list[BandChangeRequest]:
    return list(db.session.scalars(
        select(BandChangeRequest).join(Engagement).join(BrokerProfile, BrokerProfile.id == Engagement.broker_id)
        .where(BrokerProfile.hub_id.in_(led_hub_ids(user)))
        .order_by((BandChangeRequest.status == BandChangeStatus.PENDING).desc(), BandChangeRequest.requested_at.desc())
    ))


def decide_band_change(user: User, change_id: int, *, approve: bool, note: str) -> BandChangeRequest:
    change = locked(BandChangeRequest, change_id)
    ensure(policies.sees_band_change, user, change)
    if not change.is_pending:
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
        # The new band is agreed at the broker's fee for it now; the hourly fee agreed at the start stays.
        engagement.agreed_band_fee_pence = engagement.broker.fee_for_band(change.to_band_id)
    audit.record("band_change.decided", actor=user, holder=engagement.holder, obj=change,
                 decision=change.status.value)
    notify(engagement.broker.user, ENGAGEMENTS.key,
           f"Band change {'approved' if approve else 'declined'} for {engagement.holder.name}",
           change.decision_note, path_for("engagements.broker_client", engagement_id=engagement.id))
    if approve:
        holders.tell_holder(engagement.holder, ENGAGEMENTS.key, f"Your brokerage is now {change.to_band.label}",
                            "Your hub lead agreed your broker needs more hours.")
    return change
