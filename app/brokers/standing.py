"""Where each broker of a hub stands, for the hub lead's list: whether they are listed in the public
broker directory and, if not, why (in plain words, with the date); and which of their checks
expire soon, so the lead can act before they drop off the list.

Whether a broker is listed is always `rules.accredited_ids` (the same SQL the directory uses); the
reasons here only explain it, asking the same rules (`rules.dbs_cutoff`, `expiry.expiry_date`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app

from app.brokers import rules
from app.brokers.expiry import expiry_date
from app.brokers.models import BrokerProfile, BrokerStatus, Verification, VerificationKind, VerificationStatus
from app.core.timeutil import format_date, today_in_london
from app.hubs.models import HubStatus

# The parts a broker needs approved, and in date, to be listed; and how the list names them.
LISTING_PARTS = {
    VerificationKind.ACCREDITATION: "accreditation",
    VerificationKind.DBS: "DBS check",
    VerificationKind.INSURANCE: "insurance",
}
EXPIRING_PARTS = (VerificationKind.DBS, VerificationKind.INSURANCE)


@dataclass(frozen=True)
class Standing:
    listed: bool
    not_listed_because: list[str] = field(default_factory=list)
    expiring: list[str] = field(default_factory=list)
    parts_to_check: int = 0


def in_date(row: Verification, today: date) -> bool:
    """An approved part that still counts for the listing (as `rules.accredited_condition` says)."""
    if row.status != VerificationStatus.APPROVED:
        return False
    if row.kind == VerificationKind.DBS:
        return row.issued_on is not None and row.issued_on > rules.dbs_cutoff(today)
    if row.kind == VerificationKind.INSURANCE:
        return row.expires_on is not None and row.expires_on >= today
    return True


def _in_date_rows(broker: BrokerProfile, kind: VerificationKind, today: date) -> list[Verification]:
    return [v for v in broker.verifications if v.kind == kind and in_date(v, today)]


def _part_reason(broker: BrokerProfile, kind: VerificationKind, today: date) -> str | None:
    """Why this part stops the listing, or None when it does not."""
    if _in_date_rows(broker, kind, today):
        return None
    name = LISTING_PARTS[kind]
    newest = rules.latest(broker, kind)
    approved = rules.latest(broker, kind, approved_only=True)
    waiting = newest is not None and newest.is_waiting
    if approved is not None:
        expired = f"{name} expired on {format_date(expiry_date(approved))}"
        return f"{expired}; the new one is waiting for your decision" if waiting else expired
    if waiting:
        return f"{name} waiting for your decision"
    if newest is not None and newest.is_rejected:
        return f"{name} sent back for changes on {format_date(newest.reviewed_at)}"
    return f"no {name} sent yet"


def _reasons(broker: BrokerProfile, today: date, parts_to_check: int) -> list[str]:
    reasons = []
    if broker.user.closed_at is not None:
        reasons.append(f"account closed on {format_date(broker.user.closed_at)}")
    if broker.hub is not None and broker.hub.status != HubStatus.ACTIVE:
        reasons.append(f"the hub is {broker.hub.status.label.lower()}")
    if broker.status == BrokerStatus.DRAFT:
        reasons.append("application not sent yet")
    elif broker.status == BrokerStatus.SUBMITTED:
        count = f"{parts_to_check} part{'s' if parts_to_check != 1 else ''} to check"
        reasons.append(f"application sent on {format_date(broker.submitted_at)} is waiting for your decision ({count})")
    else:
        reasons.extend(r for r in (_part_reason(broker, kind, today) for kind in LISTING_PARTS) if r)
    return reasons


def _expiring(broker: BrokerProfile, today: date) -> list[str]:
    """The in-date DBS check and insurance that expire within the reminder period."""
    last_day = today + timedelta(days=current_app.config["EXPIRY_REMINDER_DAYS"])
    notes = []
    for kind in EXPIRING_PARTS:
        rows = _in_date_rows(broker, kind, today)
        if not rows:
            continue
        expires = max(expiry_date(row) for row in rows)
        if today < expires <= last_day:
            newest = rules.latest(broker, kind)
            note = f"{LISTING_PARTS[kind][0].upper()}{LISTING_PARTS[kind][1:]} expires on {format_date(expires)}"
            notes.append(f"{note} (the new one is waiting for your decision)" if newest and newest.is_waiting else note)
    return notes


def standings(brokers: Sequence[BrokerProfile], today: date | None = None) -> dict[int, Standing]:
    """broker id -> where they stand, for a hub's list."""
    today = today or today_in_london()
    listed = rules.accredited_ids([b.id for b in brokers], today)
    result = {}
    for broker in brokers:
        to_check = sum(1 for v in broker.verifications if v.is_waiting)
        if broker.id in listed:
            result[broker.id] = Standing(True, [], _expiring(broker, today), to_check)
        else:
            result[broker.id] = Standing(False, _reasons(broker, today, to_check), _expiring(broker, today), to_check)
    return result
