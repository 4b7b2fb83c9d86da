"""The needs a broker's client record lists.

Needs belong to the needs feature, which sits above this one. So engagements asks through this
small registry, and needs fills it in from its own `registration.py` with
`provide_client_needs(...)`; engagements never imports needs. Until something provides them, a
client record lists no needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.engagements.models import Engagement


@dataclass(frozen=True)
class ClientNeed:
    """One need, as the client record shows it."""

    category: str  # the kind of service, as people read it
    district: str
    status: str  # the need's status, as people read it
    minutes_per_week: int
    start_date: date
    href: str  # the broker's page for the need


NeedsOfClient = Callable[[Any, Engagement], list[ClientNeed]]
_sources: list[NeedsOfClient] = []


def provide_client_needs(source: NeedsOfClient) -> None:
    """Called once by the feature that keeps needs: `source(user, engagement)` answers the
    needs of the engagement's client that this user (their broker) manages, newest first."""
    _sources[:] = [source]


def client_needs(user: Any, engagement: Engagement) -> list[ClientNeed]:
    """The client's needs while the broker works with them. Once the engagement has ended the
    needs are looked after by whoever works with the person now, so none are listed."""
    if not engagement.is_active or not _sources:
        return []
    return _sources[0](user, engagement)
