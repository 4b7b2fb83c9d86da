"""Who may read a hub's performance: its hub leads, and the platform admin (every hub)."""

from __future__ import annotations

from typing import Any

from app.core.permissions import IsAdmin, record_rule
from app.hubs.models import Hub
from app.hubs.policies import leads_hub


@record_rule("see_hub_report")
def can_see_hub_report(user: Any, hub: Hub | None) -> bool:
    return hub is not None and (leads_hub(user, hub.id) or IsAdmin(user))


@record_rule("see_all_hubs_report")
def can_see_all_hubs(user: Any, _: Any = None) -> bool:
    return IsAdmin(user)
