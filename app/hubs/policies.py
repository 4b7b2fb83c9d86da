"""Named rules about hubs, and the one place that says which hubs a user leads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.permissions import IsAdmin, record_rule
from app.extensions import db
from app.hubs.models import Hub, HubDistrict


def hubs_led_by(user: Any) -> list[Hub]:
    """The hubs this user leads (none for a signed-out user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return [membership.hub for membership in user.hub_lead_memberships]


def led_hub_ids(user: Any) -> set[int]:
    """The ids of the hubs this user leads."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return {membership.hub_id for membership in user.hub_lead_memberships}


def led_districts(user: Any) -> set[str]:
    """Every district of the hubs the user leads."""
    hub_ids = led_hub_ids(user)
    if not hub_ids:
        return set()
    return set(db.session.scalars(select(HubDistrict.district).where(HubDistrict.hub_id.in_(hub_ids))))


@record_rule("lead_hub")
def leads_hub(user: Any, hub_id: int | None) -> bool:
    """The user leads this hub (given by id)."""
    return hub_id is not None and hub_id in led_hub_ids(user)


def has_public_page(hub: Hub | None) -> bool:
    """Anyone, signed in or not, may see a hub's page unless it has closed for good."""
    return hub is not None and not hub.is_closed


@record_rule("change_hub_status")
def may_change_status(user: Any, hub: Hub | None) -> bool:
    """A platform admin may suspend, reopen or close a hub that has not closed for good."""
    return IsAdmin(user) and hub is not None and not hub.is_closed
