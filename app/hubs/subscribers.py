"""Hubs' reactions to lower features' signals."""

from __future__ import annotations

from app.accounts.signals import account_closed
from app.hubs import services


@account_closed.connect
def _stop_leading(user, now, **_):
    services.remove_lead_memberships(user)
