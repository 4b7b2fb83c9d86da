"""Reminders before a DBS check or insurance expires, and notices when one has (run by
`flask scheduled run`). The listing itself hides expired brokers by date, straight away."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.brokers import rules
from app.brokers.models import BrokerProfile, BrokerStatus, Verification, VerificationKind
from app.brokers.parts import APPLICATIONS
from app.core import audit
from app.core.notifications import notify
from app.core.timeutil import format_date, today_in_london, utcnow
from app.core.urls import path_for
from app.extensions import db


def expiry_date(row: Verification) -> date | None:
    if row.kind == VerificationKind.DBS:
        return rules.dbs_expiry(row.issued_on) if row.issued_on else None
    return row.expires_on


def check_expiries(today: date | None = None) -> tuple[int, int]:
    """Returns (reminders sent, expiries notified)."""
    today = today or today_in_london()
    remind_days = current_app.config["EXPIRY_REMINDER_DAYS"]
    reminders = expiries = 0
    brokers = db.session.scalars(select(BrokerProfile).where(BrokerProfile.status == BrokerStatus.APPROVED))
    for broker in brokers:
        for kind in (VerificationKind.DBS, VerificationKind.INSURANCE):
            row = rules.latest(broker, kind, approved_only=True)
            if row is None:
                continue
            expires = expiry_date(row)
            if expires is None:
                continue
            label = kind.label
            if expires <= today and row.expiry_notified_at is None:
                row.expiry_notified_at = utcnow()
                audit.record("verification.expired", obj=row, part=kind.value)
                notify(broker.user, APPLICATIONS.key, f"Your {label} has expired",
                       "You are no longer listed as an accredited broker. Send your new details to be listed again.",
                       path_for("brokers.application"))
                for lead in broker.hub.lead_users if broker.hub else []:
                    notify(lead, APPLICATIONS.key, f"{broker.display_name}'s {label} has expired",
                           "They are no longer listed until new details are approved.",
                           path_for("brokers.review_broker", broker_id=broker.id))
                expiries += 1
            elif today < expires <= today + timedelta(days=remind_days) and row.reminder_sent_at is None:
                row.reminder_sent_at = utcnow()
                notify(broker.user, APPLICATIONS.key, f"Your {label} expires on {format_date(expires)}",
                       "Send your new details before then, so you stay listed.", path_for("brokers.application"))
                reminders += 1
    return reminders, expiries
