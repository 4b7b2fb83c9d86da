"""Brokerage's reactions to an account closing: through its own services, so consents are
withdrawn and every step is audited exactly as when a person ends an engagement themselves."""

from __future__ import annotations

from app.accounts.signals import account_closing, closing_summary
from app.engagements import services


@account_closing.connect
def _end_brokerage(user, now, **_):
    if user.budget_holder is not None:
        services.holder_leaving(user.budget_holder, user)
    if user.broker_profile is not None:
        services.broker_leaving(user.broker_profile, user)


@closing_summary.connect
def _what_happens_to_brokerage(user, **_):
    lines = []
    holder = user.budget_holder
    if holder is not None:
        engagement = services.active_engagement(holder)
        if engagement is not None:
            lines.append(f"your work with your broker, {engagement.broker.display_name}, ends and they are told")
        waiting = services.pending_request(holder)
        if waiting is not None:
            lines.append(f"your request to {waiting.broker.display_name} is withdrawn")
    if user.broker_profile is not None:
        clients = services.broker_clients(user)
        if clients:
            lines.append(f"your work with your {len(clients)} client{'s' if len(clients) != 1 else ''} ends, and each "
                         "is told so they can choose another broker")
    return lines
