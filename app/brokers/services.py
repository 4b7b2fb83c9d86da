"""The brokers feature's front door: what other features may call. The work is done in modules
of one job each, listed here by what they answer:

- `rules`: is a broker accredited, can they take a new client (`availability`, `availabilities`).
- `listing`: the public list of accredited brokers, their profiles and comparison.
- `application` and `parts`: a broker applying, part by part; `checks`: the hub lead's checks.
- `standards`: the accredited course list and the broker standards; `expiry`: reminders.
- `bands`: the brokerage bands in use (fees are set per band).
- `caseload`: where the engagements feature tells brokers how many clients and which reviews
  each broker has (`provide_caseload`), so the listing can show them without importing it.
- `policies`: the named rules, and `broker_of(user)`.
"""

from __future__ import annotations

from app.brokers.bands import active_bands
from app.brokers.caseload import provide as provide_caseload
from app.brokers.checks import broker_for_lead, hub_brokers
from app.brokers.expiry import check_expiries
from app.brokers.listing import BrokerCard, BrokerFilters, accredited_broker, hub_accredited, public_profile, search
from app.brokers.parts import APPLICATIONS
from app.brokers.policies import broker_of, checks_broker, is_the_broker
from app.brokers.rules import (
    Availability,
    accredited_brokers_query,
    accredited_ids,
    availabilities,
    availability,
    current_standards,
    dbs_expiry,
    is_accredited,
    latest,
)

__all__ = [
    "APPLICATIONS",
    "Availability",
    "BrokerCard",
    "BrokerFilters",
    "accredited_broker",
    "accredited_brokers_query",
    "accredited_ids",
    "active_bands",
    "availabilities",
    "availability",
    "broker_for_lead",
    "broker_of",
    "check_expiries",
    "checks_broker",
    "current_standards",
    "dbs_expiry",
    "hub_accredited",
    "hub_brokers",
    "is_accredited",
    "is_the_broker",
    "latest",
    "provide_caseload",
    "public_profile",
    "search",
]
