"""Expressions the reports' queries share."""

from __future__ import annotations

from sqlalchemy import case

from app.accounts.models import User
from app.brokers.models import BrokerProfile

# A broker's name as `BrokerProfile.display_name` says it (needs User joined).
broker_name = case((BrokerProfile.trading_name != "", BrokerProfile.trading_name), else_=User.name)
