"""Platform admin work that belongs to no single feature: rebuilding the search index from the
admin page, creating a hub together with its lead's invitation, and finding a user with their
roles (`people.py`)."""

from __future__ import annotations

from app.admin import people
from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import IsAdmin, ensure
from app.core.roles import Role
from app.hubs import services as hubs
from app.hubs.models import Hub
from app.invitations import services as invitations
from app.search import services as search


def rebuild_search_index(actor) -> int:
    """Rebuild the directory's search index from the database, for a directory small enough to
    rebuild within a web request (a larger one: `flask search reindex`). Returns its entries."""
    ensure(IsAdmin, actor, hide=False)
    if not search.can_rebuild_on_the_web():
        raise DomainError("The directory is too large to rebuild from this page: run `flask search reindex` on the "
                          "server.")
    try:
        count = search.reindex()
    except search.LockError:
        raise DomainError("The search index is busy being updated. Try again in a minute.") from None
    audit.record("search.rebuilt", actor=actor, entries=count)
    return count


def create_hub_with_lead(actor, details: hubs.HubDetails, lead_name: str, lead_email: str) -> Hub:
    """Create a hub and invite its lead by email, in the caller's one unit of work: both land,
    or (if either says no) neither does."""
    hub = hubs.create_hub(actor, details)
    invitations.invite(actor, invitations.NewInvitation(email=lead_email, name=lead_name, role=Role.HUB_LEAD,
                                                        hub_id=hub.id))
    return hub


def find_users(actor, text: str) -> people.UserSearch:
    """Users whose name or email address contains `text`, each with their roles and the state of
    their account (at most `people.USER_SEARCH_LIMIT`, with how many matched)."""
    ensure(IsAdmin, actor, hide=False)
    return people.find_users(text)
