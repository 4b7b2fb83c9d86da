"""The associate broker's kind of account on the registration page: registering creates an
empty broker profile, which the person fills in as their application."""

from __future__ import annotations

from app.accounts.models import User
from app.accounts.services import Registration, register_kind
from app.brokers.models import BrokerProfile
from app.extensions import db


def _create_broker_profile(user: User, registration: Registration) -> None:
    db.session.add(BrokerProfile(user=user))


register_kind("broker", "I want to apply to be an associate broker", position=30, create=_create_broker_profile)
