"""Named rules about provider organisations, used by the services and asked by templates as
`allowed("name", record)`: who works for an organisation, who manages its staff, and which hub
lead may verify it (the lead of a hub covering one of its districts)."""

from __future__ import annotations

from typing import Any

from app.core.permissions import record_rule
from app.hubs.policies import led_districts
from app.providers.models import ProviderOrganisation, ProviderStaff


def membership_of(user: Any, organisation_id: int | None) -> ProviderStaff | None:
    """The user's place on the organisation's staff, if they have one."""
    for staff in getattr(user, "provider_memberships", None) or []:
        if staff.organisation_id == organisation_id:
            return staff
    return None


@record_rule("work_for_provider")
def works_for(user: Any, organisation: ProviderOrganisation | None) -> bool:
    """The user is on the organisation's staff: they see and change its profile and capacity."""
    return organisation is not None and membership_of(user, organisation.id) is not None


@record_rule("manage_provider_staff")
def manages_staff(user: Any, organisation: ProviderOrganisation | None) -> bool:
    """The person who manages the organisation's account (an owner) adds and removes staff."""
    staff = membership_of(user, organisation.id) if organisation is not None else None
    return staff is not None and staff.is_owner


@record_rule("remove_provider_staff")
def can_remove_staff(user: Any, staff: ProviderStaff | None) -> bool:
    """An owner removes anyone on their organisation's staff except themselves."""
    return staff is not None and staff.user_id != user.id and manages_staff(user, staff.organisation)


@record_rule("verify_provider")
def can_verify(user: Any, organisation: ProviderOrganisation | None) -> bool:
    """A hub lead checks a provider serving at least one of their hubs' districts."""
    return organisation is not None and bool(set(organisation.district_codes) & led_districts(user))
