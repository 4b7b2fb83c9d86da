"""The directory's front door, which other features and the directory's views use: public
entries, suggestions from anyone signed in, and moderation by the hub lead for the district (or
a platform admin where no hub covers it).

Community services carry a "last verified" date; after 12 months the directory says "this
information may be out of date" and the entry appears on the hub lead's list to check.

The work is in modules of one job each: `public` (what the directory shows), `details` (a
service's details, checked), `suggestions`, `entries` (keeping them current) and `policies`
(who moderates what).
"""

from __future__ import annotations

from app.core.reference import ACCESSIBILITY_FEATURES
from app.directory.details import NO_CONTACT, POSTCODE, EntryDetails, details_of, has_contact
from app.directory.entries import (
    create_entry,
    delete_entry,
    entries_for,
    entry_for_moderator,
    merge_entries,
    set_hidden,
    update_entry,
    verify_entry,
)
from app.directory.policies import can_moderate
from app.directory.public import (
    CORRECTION_KINDS,
    STALE_AFTER,
    correction_target,
    is_stale,
    listed_name,
    public_entry,
    public_provider,
    target_name,
)
from app.directory.suggestions import (
    DIRECTORY_NEWS,
    approve_new,
    correction_details,
    merge_new,
    reject,
    resolve_correction,
    suggest_correction,
    suggest_new,
    suggestion_for_moderator,
    suggestions_for,
)

__all__ = [
    "ACCESSIBILITY_FEATURES", "CORRECTION_KINDS", "DIRECTORY_NEWS", "NO_CONTACT", "POSTCODE", "STALE_AFTER", "EntryDetails",
    "approve_new", "can_moderate", "correction_details", "correction_target", "create_entry", "delete_entry", "details_of", "entries_for",
    "entry_for_moderator", "has_contact", "is_stale", "listed_name", "merge_entries", "merge_new",
    "public_entry", "public_provider", "reject", "resolve_correction", "set_hidden", "suggest_correction",
    "suggest_new", "suggestion_for_moderator", "suggestions_for", "target_name", "update_entry", "verify_entry",
]
