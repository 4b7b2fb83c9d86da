"""Named rules about brokers' records, used by the services and asked by templates as
`allowed("name", record)`; and the one place that finds the broker a user is."""

from __future__ import annotations

from typing import Any

from app.brokers.models import BrokerConflict, BrokerProfile, Verification
from app.core.errors import PermissionDenied
from app.core.permissions import record_rule
from app.hubs.policies import leads_hub


def broker_of(user: Any) -> BrokerProfile:
    """The user's own broker profile; someone who is not a broker may not do broker things (403)."""
    profile = getattr(user, "broker_profile", None)
    if profile is None:
        raise PermissionDenied()
    return profile


def is_the_broker(user: Any, broker: BrokerProfile | None) -> bool:
    """The broker profile is the user's own."""
    return broker is not None and broker.user_id == user.id


@record_rule("check_broker")
def checks_broker(user: Any, broker: BrokerProfile | None) -> bool:
    """The user leads the hub the broker applied to, so checks their application."""
    return broker is not None and leads_hub(user, broker.hub_id)


@record_rule("decide_verification")
def can_decide(user: Any, row: Verification | None) -> bool:
    """The lead of the broker's hub decides a part that waits for a check."""
    return row is not None and row.is_waiting and checks_broker(user, row.broker)


@record_rule("remove_conflict")
def can_remove_conflict(user: Any, conflict: BrokerConflict | None) -> bool:
    """A broker removes a link they declared themselves."""
    return conflict is not None and is_the_broker(user, conflict.broker)
