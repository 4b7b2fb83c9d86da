"""Scheduled brokerage work (run by `flask scheduled run`): remind brokers of requests close to
their deadline, and lapse requests nobody answered in time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.notifications import notify
from app.core.timeutil import format_datetime, utcnow
from app.core.urls import path_for
from app.engagements.kinds import REQUESTS
from app.engagements.models import BrokerRequest, RequestStatus
from app.engagements.requests import close_request
from app.extensions import db
from app.holders import services as holders

REMIND_BEFORE = timedelta(days=1)


def remind_and_lapse_requests(now: datetime | None = None) -> tuple[int, int]:
    """Returns (reminders sent, requests lapsed). Safe to run as often as you like."""
    now = now or utcnow()
    reminded = lapsed = 0
    pending = db.session.scalars(
        select(BrokerRequest).where(BrokerRequest.status == RequestStatus.PENDING).with_for_update(skip_locked=True)
    ).all()
    for request in pending:
        if request.respond_by <= now:
            close_request(request, RequestStatus.LAPSED, None, at=now)
            holders.tell_holder(
                request.holder, REQUESTS.key, f"{request.broker.display_name} did not answer in time",
                "Your request has been closed. You can ask another broker.", path_for("brokers.directory"),
            )
            notify(request.broker.user, REQUESTS.key, f"The request from {request.holder.name} has lapsed",
                   "It was not answered in time, and the person has been told.")
            lapsed += 1
        elif request.reminder_sent_at is None and request.respond_by - now <= REMIND_BEFORE:
            request.reminder_sent_at = now
            notify(request.broker.user, REQUESTS.key, f"Please answer {request.holder.name}'s request",
                   f"It lapses on {format_datetime(request.respond_by)}.",
                   path_for("engagements.broker_request", request_id=request.id))
            reminded += 1
    return reminded, lapsed
