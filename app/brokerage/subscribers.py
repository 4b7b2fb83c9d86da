"""Brokerage's reactions to an account closing: through its own services, so consents are
withdrawn and every step is audited exactly as when a person ends an engagement themselves."""

from __future__ import annotations

from app.accounts.signals import account_closing
from app.brokerage import services


@account_closing.connect
def _end_brokerage(user, now, **_):
    if user.budget_holder is not None:
        services.holder_leaving(user.budget_holder, user)
    if user.broker_profile is not None:
        services.broker_leaving(user.broker_profile, user)
