"""Engagements' reactions to lower features, each through engagements' own services, so the
same rules, consents and audit events apply as when a person does it by hand:

- an account closing: a waiting request is withdrawn and engagements end (`accounts` signals);
- a hub stopping: its brokers' clients are told and requests waiting for them declined (`hubs`);
- the broker listing asks how many clients and which reviews each broker has (`brokers`).
"""

from __future__ import annotations

from app.accounts.signals import account_closing, closing_summary
from app.brokers.services import provide_caseload
from app.engagements import clients, ending, requests, reviews
from app.hubs.signals import hub_suspended

provide_caseload(client_counts=clients.active_client_counts, ratings=reviews.rating_summary,
                 reviews=reviews.published_reviews)


@account_closing.connect
def _end_brokerage(user, now, **_):
    if user.budget_holder is not None:
        ending.holder_leaving(user.budget_holder, user)
    if user.broker_profile is not None:
        ending.broker_leaving(user.broker_profile, user)


@hub_suspended.connect
def _hub_stopped(hub, reason, **_):
    ending.hub_stopped(hub, reason)


@closing_summary.connect
def _what_happens_to_brokerage(user, **_):
    lines = []
    holder = user.budget_holder
    if holder is not None:
        engagement = clients.active_engagement(holder)
        if engagement is not None:
            lines.append(f"your work with your broker, {engagement.broker.display_name}, ends and they are told")
        waiting = requests.pending_request(holder)
        if waiting is not None:
            lines.append(f"your request to {waiting.broker.display_name} is withdrawn")
    if user.broker_profile is not None:
        count = len(clients.broker_clients(user))
        if count:
            lines.append(f"your work with your {count} client{'s' if count != 1 else ''} ends, and each "
                         "is told so they can choose another broker")
    return lines
