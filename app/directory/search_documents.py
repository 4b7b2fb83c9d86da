"""The directory's community services in search: one document per published entry, the
changes that affect it, and the staleness rule ("may be out of date" after STALE_AFTER)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session, selectinload

from app.directory.models import DirectoryEntry, DirectoryEntryCategory, DirectoryEntryDistrict, EntryStatus
from app.directory.services import STALE_AFTER
from app.extensions import db
from app.search import services as search
from app.search.services import Doc, document, end_of_day
from app.taxonomy.models import ServiceCategory

KIND = "service"


def entry_doc(entry: DirectoryEntry) -> Doc | None:
    if entry.status != EntryStatus.PUBLISHED:
        return None
    verified = end_of_day(entry.last_verified_on) if entry.last_verified_on else None
    return document(
        doc_id=f"{KIND}:{entry.id}", kind=KIND, name=entry.name, description=entry.description,
        categories=[c.category for c in entry.categories], tags=list(entry.tags or []),
        districts=entry.district_codes, languages=list(entry.languages or []),
        accessibility=list(entry.accessibility or []), free=entry.is_free, rating=None,
        last_verified=verified, verified_until=verified + STALE_AFTER if verified else None,
        accepting_until=None, listed_until=None, located=bool(entry.postcode),
        display={"url": f"/directory/services/{entry.id}", "summary": entry.description[:300],
                 "cost": "Free" if entry.is_free else (entry.cost or "There is a charge"),
                 "opening_times": entry.opening_times[:120]},
    )


def every_entry(batch: int = 2000) -> Iterator[Doc]:
    """Every published entry, loaded in batches. Entries loaded only for this are let go after
    each batch, so memory stays flat on a large directory; anything the caller already had in
    the session stays there."""
    already_loaded = set(db.session.identity_map.keys())
    last = 0
    while True:
        entries = list(db.session.scalars(
            select(DirectoryEntry).where(DirectoryEntry.id > last, DirectoryEntry.status == EntryStatus.PUBLISHED)
            .options(selectinload(DirectoryEntry.categories).selectinload(DirectoryEntryCategory.category),
                     selectinload(DirectoryEntry.districts))
            .order_by(DirectoryEntry.id).limit(batch)))
        if not entries:
            break
        for entry in entries:
            doc = entry_doc(entry)
            if doc:
                yield doc
        last = entries[-1].id
        for entry in entries:
            if inspect(entry).identity_key not in already_loaded:
                db.session.expunge(entry)


def published_count() -> int:
    return db.session.scalar(select(func.count()).select_from(DirectoryEntry).where(
        DirectoryEntry.status == EntryStatus.PUBLISHED)) or 0


def _entries_in_category(session: Session, category_id: int) -> set[str]:
    entry_ids = session.scalars(select(DirectoryEntryCategory.entry_id).where(
        DirectoryEntryCategory.category_id == category_id))
    return search.doc_ids(KIND, *entry_ids)


search.register_kind(KIND, label="Community services", model=DirectoryEntry, document=entry_doc,
                       every=every_entry, count=published_count, position=10, stale_after=STALE_AFTER)
search.affects(DirectoryEntry, lambda entry: search.doc_ids(KIND, entry.id))
search.affects(DirectoryEntryCategory, lambda row: search.doc_ids(KIND, row.entry_id))
search.affects(DirectoryEntryDistrict, lambda row: search.doc_ids(KIND, row.entry_id))
search.affects(ServiceCategory, lambda category: {search.Group(_entries_in_category, category.id)})
