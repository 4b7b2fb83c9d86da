"""What each role's card on the home page says, read from the features' front doors."""

from __future__ import annotations

from typing import Any

from app.core.text import count_of
from app.directory import services as directory
from app.engagements import services as engagements
from app.holders import services as holders
from app.home.hub_lead import waiting_for_hub_lead
from app.home.waiting import waiting_for
from app.needs import services as needs


def home_summary(user: Any) -> dict:
    summary: dict = {}
    holder = holders.own_holder(user)
    if holder is not None:
        summary.update(engagement=engagements.active_engagement(holder), waiting=engagements.pending_request(holder),
                       to_review=engagements.awaiting_review(holder.id),
                       holder_waiting=waiting_for(holders.access(user, holder.id)))
    broker = user.broker_profile
    if broker is not None:
        summary["pending_requests"] = engagements.pending_request_count(user)
        if broker.is_approved:
            summary["broker_availability"] = engagements.availability(broker)
    if user.hub_lead_memberships:
        summary["hub_waiting"] = hub_lead_waiting(user)
    if user.provider_memberships:
        summary["provider_work"] = {m.organisation_id: provider_work(user, m.organisation_id)
                                    for m in user.provider_memberships}
    return summary


def hub_lead_waiting(user: Any) -> list[str]:
    """What waits for the hub lead, in words, for the home card (the dashboard has the detail)."""
    applications = len(waiting_for_hub_lead(user)["to_check"])
    unanswered = len(needs.waiting_for_response(user))
    suggestions = len(directory.suggestions_for(user))
    lines = [(applications, count_of(applications, "broker application") + " to check"),
             (unanswered, count_of(unanswered, "gap") + " with no response yet"),
             (suggestions, count_of(suggestions, "directory suggestion") + " waiting")]
    return [text for number, text in lines if number]


def provider_work(user: Any, organisation_id: int) -> dict[str, int]:
    """How many of the organisation's offers wait for a decision (sent, shortlisted or proposed)
    and how many of its agreements are active."""
    offers = needs.my_offers(user, organisation_id)
    agreements = needs.provider_agreements(user, organisation_id)
    return {"waiting_offers": sum(1 for offer in offers if offer.is_active),
            "active_agreements": sum(1 for agreement in agreements if agreement.is_active)}
