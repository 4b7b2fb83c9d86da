"""What each role's card on the home page says, read from the features' front doors."""

from __future__ import annotations

from typing import Any

from app.engagements import services as engagements
from app.holders import services as holders


def home_summary(user: Any) -> dict:
    summary: dict = {}
    holder = holders.own_holder(user)
    if holder is not None:
        summary.update(engagement=engagements.active_engagement(holder), waiting=engagements.pending_request(holder),
                       to_review=engagements.awaiting_review(holder.id))
    broker = user.broker_profile
    if broker is not None:
        summary["pending_requests"] = engagements.pending_request_count(user)
        if broker.is_approved:
            summary["broker_availability"] = engagements.availability(broker)
    return summary
