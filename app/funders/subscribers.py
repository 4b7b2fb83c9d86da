"""Funders' reactions to lower features' signals."""

from __future__ import annotations

from app.accounts.signals import account_closed
from app.funders import services


@account_closed.connect
def _stop_being_an_officer(user, now, **_):
    services.remove_officer_memberships(user)
