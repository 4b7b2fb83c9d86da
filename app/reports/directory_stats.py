"""The directory in a hub's districts: entries nobody has checked for 12 months (or ever), and
suggestions waiting for the hub lead (the same rules as the hub's directory page)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, or_, select

from app.directory.models import DirectoryEntry, DirectoryEntryDistrict, EntryStatus, Suggestion, SuggestionStatus
from app.directory.public import STALE_AFTER
from app.extensions import db
from app.hubs.models import HubDistrict


def directory_counts(hub_ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    """hub id -> (entries not checked for 12 months, suggestions waiting)."""
    cutoff = today - STALE_AFTER
    stale = dict(db.session.execute(
        select(HubDistrict.hub_id, func.count(func.distinct(DirectoryEntry.id)))
        .join(DirectoryEntryDistrict, DirectoryEntryDistrict.district == HubDistrict.district)
        .join(DirectoryEntry, DirectoryEntry.id == DirectoryEntryDistrict.entry_id)
        .where(HubDistrict.hub_id.in_(hub_ids), DirectoryEntry.status != EntryStatus.MERGED,
               or_(DirectoryEntry.last_verified_on.is_(None), DirectoryEntry.last_verified_on < cutoff))
        .group_by(HubDistrict.hub_id)).all())
    waiting = Counter(dict(db.session.execute(
        select(HubDistrict.hub_id, func.count(Suggestion.id))
        .join(Suggestion, Suggestion.district == HubDistrict.district)
        .where(HubDistrict.hub_id.in_(hub_ids), Suggestion.status == SuggestionStatus.PENDING)
        .group_by(HubDistrict.hub_id)).all()))
    return {hub_id: (stale.get(hub_id, 0), waiting[hub_id]) for hub_id in hub_ids}
