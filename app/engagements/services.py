"""The engagements feature's front door: a budget holder asks a broker to work with them; the
engagement, its band and logged hours, band changes, the ending and the review. Other features
call only what is named here. The work is done in modules of one job each:

- `requests`: asking a broker, withdrawing, and the broker accepting or declining.
- `clients`: engagements (starting one with its agreed price, client records, oversight).
- `hours`: logged time (and how it stands against the band) and band changes; `bands`: the bands
  and the one new work starts in.
- `client_needs`: the needs a client record lists, filled in by the needs feature above.
- `ending`: either side ending, and what an account closing or a hub stopping ends.
- `reviews`: the review at the end, its moderation and the broker's reply.
- `tasks`: the scheduled reminders and lapses of requests nobody answered.
- `policies`: the named rules; `kinds`: the notification kinds; `signals`: what it announces.

Rules:
- A budget holder (or someone who can act for them) asks one broker at a time, with consent to
  share their details with that broker; they can have one active engagement at a time.
- The broker answers within the configured number of working days, or the request lapses.
- A broker sees only their own clients; a hub lead sees the engagements of their own hub; every
  view of a client record by either is audit-logged.
- Either side can end an engagement; the budget holder's records stay theirs.
"""

from __future__ import annotations

from app.brokers.services import active_bands, availability
from app.engagements.bands import default_band
from app.engagements.client_needs import ClientNeed, client_needs, provide_client_needs
from app.engagements.clients import (
    NewClient,
    active_client_counts,
    active_engagement,
    broker_clients,
    broker_engagement,
    create_client_record,
    current_broker_of,
    holder_engagement,
    holder_engagements,
    hub_engagement,
    hub_engagements,
    invite_client_to_claim,
)
from app.engagements.ending import (
    broker_leaving,
    end_by_broker,
    end_by_holder,
    end_engagement,
    holder_leaving,
    hub_stopped,
)
from app.engagements.hours import (
    MAX_MINUTES_PER_ENTRY,
    BandUse,
    band_use,
    decide_band_change,
    higher_bands,
    hub_band_changes,
    log_time,
    request_band_change,
)
from app.engagements.kinds import ENGAGEMENTS, REQUESTS
from app.engagements.requests import (
    AskCheck,
    accept_request,
    ask_broker,
    ask_check,
    broker_request,
    broker_requests,
    decline_request,
    holder_requests,
    pending_request,
    pending_request_count,
    why_cannot_ask,
    withdraw_request,
)
from app.engagements.reviews import (
    awaiting_review,
    broker_reviews,
    hub_reviews,
    moderate,
    moderate_reply,
    published_reviews,
    rating_summary,
    reply,
    submit_review,
)
from app.engagements.signals import engagement_started
from app.engagements.tasks import remind_and_lapse_requests

__all__ = [
    "AskCheck", "ask_check",
    "ENGAGEMENTS",
    "MAX_MINUTES_PER_ENTRY",
    "REQUESTS",
    "BandUse",
    "ClientNeed",
    "NewClient",
    "accept_request",
    "active_bands",
    "active_client_counts",
    "active_engagement",
    "ask_broker",
    "availability",
    "awaiting_review",
    "band_use",
    "broker_clients",
    "broker_engagement",
    "broker_leaving",
    "broker_request",
    "broker_requests",
    "broker_reviews",
    "client_needs",
    "create_client_record",
    "current_broker_of",
    "decide_band_change",
    "decline_request",
    "default_band",
    "end_by_broker",
    "end_by_holder",
    "end_engagement",
    "engagement_started",
    "holder_engagement",
    "holder_engagements",
    "holder_leaving",
    "holder_requests",
    "higher_bands", "hub_band_changes",
    "hub_engagement",
    "hub_engagements",
    "hub_reviews",
    "hub_stopped",
    "invite_client_to_claim",
    "log_time",
    "moderate",
    "moderate_reply",
    "pending_request",
    "pending_request_count",
    "provide_client_needs",
    "published_reviews",
    "rating_summary",
    "remind_and_lapse_requests",
    "reply",
    "request_band_change",
    "submit_review",
    "why_cannot_ask",
    "withdraw_request",
]
