"""Named rules about the directory, used by the services and asked by templates as
`allowed("name", record)`: who moderates an entry or a suggestion.

The lead of the hub covering a district keeps the directory there; a platform admin keeps the
districts no hub covers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.core.permissions import IsAdmin, record_rule
from app.directory.models import DirectoryEntry, Suggestion
from app.extensions import db
from app.hubs.models import HubDistrict, HubLead
from app.hubs.policies import led_districts


def covered_by_a_hub(districts: list[str]) -> bool:
    return db.session.scalar(select(HubDistrict.id).where(HubDistrict.district.in_(districts)).limit(1)) is not None


def can_moderate(user: Any, districts: list[str]) -> bool:
    """The user leads a hub covering one of the districts, or is a platform admin and no hub
    covers any of them."""
    if set(districts) & led_districts(user):
        return True
    return IsAdmin(user) and not covered_by_a_hub(districts)


@record_rule("moderate_entry")
def moderates_entry(user: Any, entry: DirectoryEntry | None) -> bool:
    """The user keeps this community service's entry current (edit, check, hide, merge, delete)."""
    return entry is not None and can_moderate(user, entry.district_codes)


@record_rule("moderate_suggestion")
def moderates_suggestion(user: Any, suggestion: Suggestion | None) -> bool:
    """The user moderates the district the suggestion is about."""
    return suggestion is not None and can_moderate(user, [suggestion.district])


@record_rule("decide_suggestion")
def can_decide(user: Any, suggestion: Suggestion | None) -> bool:
    """A suggestion not yet decided, in a district the user moderates."""
    return suggestion is not None and suggestion.is_pending and moderates_suggestion(user, suggestion)


def moderators_for(districts: list[str]) -> list[User]:
    """Who is told about a suggestion: the leads of the hubs covering the districts, or the
    platform admins when no hub does."""
    leads = list(db.session.scalars(select(User).join(HubLead, HubLead.user_id == User.id).join(
        HubDistrict, HubDistrict.hub_id == HubLead.hub_id).where(HubDistrict.district.in_(districts)).distinct()))
    if leads:
        return leads
    return list(db.session.scalars(select(User).where(User.is_platform_admin.is_(True), User.closed_at.is_(None))))
