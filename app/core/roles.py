"""The roles a user can hold. One user may hold several."""

from __future__ import annotations

import enum


class Role(str, enum.Enum):
    BUDGET_HOLDER = "budget_holder"
    BROKER = "broker"
    PROVIDER_STAFF = "provider_staff"
    HUB_LEAD = "hub_lead"
    FUNDER_OFFICER = "funder_officer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.BUDGET_HOLDER: "Budget holder",
    Role.BROKER: "Associate broker",
    Role.PROVIDER_STAFF: "Provider staff",
    Role.HUB_LEAD: "Hub lead",
    Role.FUNDER_OFFICER: "Funder officer",
    Role.ADMIN: "Platform admin",
}
