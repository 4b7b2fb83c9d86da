"""Keeping community services current: the hub lead for the district (or a platform admin
where no hub covers it) adds, edits, checks, hides, merges and deletes entries."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.accounts.models import User
from app.core import audit
from app.core.errors import DomainError, PermissionDenied
from app.core.permissions import IsAdmin, ensure
from app.core.timeutil import today_in_london, utcnow
from app.directory.details import EntryDetails, apply_to, check_contact, clean
from app.directory.models import DirectoryEntry, DirectoryEntryDistrict, EntryStatus, Suggestion
from app.directory.policies import can_moderate, led_districts, moderates_entry
from app.directory.public import STALE_AFTER
from app.extensions import db
from app.hubs.models import HubDistrict


def entry_for_moderator(user: User, entry_id: int) -> DirectoryEntry:
    """An entry the user moderates (404 for any other)."""
    entry = db.session.get(DirectoryEntry, entry_id)
    ensure(moderates_entry, user, entry)
    return entry


def create_entry(user: User, details: EntryDetails, *, no_contact_confirmed: bool = False) -> DirectoryEntry:
    """A moderator adds a community service in their districts (checked today). One with no way
    to contact it is published only when the moderator confirms it (`details.check_contact`)."""
    details, districts, categories = clean(details)
    if not can_moderate(user, districts):
        raise DomainError("You can only add services in your hub's districts", field="districts")
    check_contact(details, no_contact_confirmed)
    entry = DirectoryEntry(last_verified_on=today_in_london(), verified_by_id=user.id)
    apply_to(entry, details, districts, categories)
    db.session.add(entry)
    db.session.flush()
    audit.record("directory.entry_created", actor=user, obj=entry)
    return entry


def update_entry(user: User, entry_id: int, details: EntryDetails, *,
                 no_contact_confirmed: bool = False) -> DirectoryEntry:
    """Saving an edit also marks the entry as checked today. A published entry left with no way
    to contact it needs the moderator's confirmation."""
    entry = entry_for_moderator(user, entry_id)
    details, districts, categories = clean(details)
    if entry.is_published:
        check_contact(details, no_contact_confirmed)
    apply_to(entry, details, districts, categories)
    entry.last_verified_on, entry.verified_by_id = today_in_london(), user.id
    audit.record("directory.entry_updated", actor=user, obj=entry)
    return entry


def verify_entry(user: User, entry_id: int) -> DirectoryEntry:
    """Checked and still right: the "last verified" date becomes today."""
    entry = entry_for_moderator(user, entry_id)
    entry.last_verified_on, entry.verified_by_id = today_in_london(), user.id
    entry.updated_at = utcnow()
    audit.record("directory.entry_verified", actor=user, obj=entry)
    return entry


def set_hidden(user: User, entry_id: int, hidden: bool, *, no_contact_confirmed: bool = False) -> DirectoryEntry:
    """Hide an entry while finding out whether it still runs, or show it again (one with no way
    to contact it only when the moderator confirms it)."""
    entry = entry_for_moderator(user, entry_id)
    if entry.is_merged:
        raise DomainError("A merged entry cannot be shown again")
    if not hidden:
        check_contact(entry, no_contact_confirmed)
    entry.status = EntryStatus.HIDDEN if hidden else EntryStatus.PUBLISHED
    entry.updated_at = utcnow()
    audit.record("directory.entry_hidden" if hidden else "directory.entry_shown", actor=user, obj=entry)
    return entry


def merge_entries(user: User, duplicate_id: int, keep_id: int) -> DirectoryEntry:
    """A service listed twice: the duplicate stops appearing, folded into the one kept."""
    duplicate = entry_for_moderator(user, duplicate_id)
    keep = entry_for_moderator(user, keep_id)
    if duplicate.id == keep.id:
        raise DomainError("Choose a different entry to keep", field="keep_id")
    duplicate.status = EntryStatus.MERGED
    duplicate.merged_into_id = keep.id
    duplicate.updated_at = utcnow()
    audit.record("directory.entries_merged", actor=user, obj=duplicate, kept=keep.id)
    return keep


def delete_entry(user: User, entry_id: int) -> None:
    """Delete an entry for good (suggestions and merged duplicates that pointed at it let go)."""
    entry = entry_for_moderator(user, entry_id)
    for suggestion in db.session.scalars(select(Suggestion).where(Suggestion.entry_id == entry.id)):
        suggestion.entry_id = None
    for merged in db.session.scalars(select(DirectoryEntry).where(DirectoryEntry.merged_into_id == entry.id)):
        merged.merged_into_id = None
    audit.record("directory.entry_deleted", actor=user, object_type="DirectoryEntry", object_id=entry.id,
                 name=entry.name)
    db.session.delete(entry)


def entries_for(user: User, *, stale_only: bool = False) -> list[DirectoryEntry]:
    """Entries the user moderates (the longest unchecked first): in their hubs' districts, and
    for platform admins, entries no hub covers."""
    districts = led_districts(user)
    conditions = []
    if districts:
        conditions.append(DirectoryEntry.districts.any(DirectoryEntryDistrict.district.in_(districts)))
    if IsAdmin(user):
        conditions.append(~DirectoryEntry.districts.any(DirectoryEntryDistrict.district.in_(
            select(HubDistrict.district))))
    if not conditions:
        raise PermissionDenied()
    query = select(DirectoryEntry).where(DirectoryEntry.status != EntryStatus.MERGED, or_(*conditions))
    if stale_only:
        cutoff = today_in_london() - STALE_AFTER
        query = query.where(or_(DirectoryEntry.last_verified_on.is_(None), DirectoryEntry.last_verified_on < cutoff))
    return list(db.session.scalars(query.order_by(DirectoryEntry.last_verified_on.is_not(None),
                                                  DirectoryEntry.last_verified_on, DirectoryEntry.name)))
