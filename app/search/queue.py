"""Keeping the index in step with the database.

1. After each flush, the objects that changed are mapped to the documents they affect
   ("service:12", "provider:3", "broker:5"), and a row per document is added to the
   `search_queue` table, in the same transaction as the change. A rolled-back change leaves
   no row, so it never reaches the index.
2. When the request that committed ends (or a command finishes), the queue is processed: take
   the index's writer lock,
   read the queued rows, rebuild those documents from the database as it is now, write them,
   commit the index, then delete the rows. Holding the lock while reading keeps two processes
   from writing an older version over a newer one.
3. If another process holds the lock for too long, the rows simply stay queued; the next commit
   in any process, or `flask scheduled run`, applies them. Nothing is lost.
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.search import documents, index
from app.search.models import SearchQueueItem

log = logging.getLogger(__name__)

PENDING = "search_pending_docs"  # doc ids and group markers seen in this transaction
QUEUED = "search_queued_docs"  # doc ids already queued in this transaction
TOUCHED = "search_touched"  # the transaction queued something
COMMITTED = "search_committed"  # ...and it committed: process when the request ends


def affected(obj) -> set:
    """The documents (or groups of documents) an object's change can affect."""
    from app.brokers.models import (
        BrokerConflict,
        BrokerDistrict,
        BrokerFee,
        BrokerProfile,
        StandardsAcceptance,
        StandardsVersion,
        Verification,
    )
    from app.directory.models import DirectoryEntry, DirectoryEntryCategory, DirectoryEntryDistrict
    from app.engagements.models import Engagement, Review
    from app.hubs.models import Hub
    from app.providers.models import CapacitySlot, ProviderDistrict, ProviderOrganisation, ProviderService
    from app.taxonomy.models import ServiceCategory

    if isinstance(obj, DirectoryEntry):
        return {f"service:{obj.id}"}
    if isinstance(obj, DirectoryEntryCategory | DirectoryEntryDistrict):
        return {f"service:{obj.entry_id}"} if obj.entry_id else set()
    if isinstance(obj, ProviderOrganisation):
        return {f"provider:{obj.id}"}
    if isinstance(obj, ProviderService | ProviderDistrict | CapacitySlot):
        return {f"provider:{obj.organisation_id}"} if obj.organisation_id else set()
    if isinstance(obj, BrokerProfile):
        return {f"broker:{obj.id}"}
    if isinstance(obj, BrokerDistrict | BrokerFee | BrokerConflict | Verification | StandardsAcceptance
                  | Review | Engagement):
        return {f"broker:{obj.broker_id}"} if obj.broker_id else set()
    if isinstance(obj, Hub):
        return {("hub", obj.id)}
    if isinstance(obj, StandardsVersion):
        return {("all_brokers", 0)}
    if isinstance(obj, ServiceCategory):
        return {("category", obj.id)}
    return set()


def _expand(session: Session, marker) -> set[str]:
    """Turn a group marker into document ids (needs a query, so only after the flush)."""
    from app.brokers.models import BrokerProfile
    from app.directory.models import DirectoryEntryCategory
    from app.providers.models import ProviderService

    kind, value = marker
    if kind == "hub":
        ids = session.scalars(select(BrokerProfile.id).where(BrokerProfile.hub_id == value))
        return {f"broker:{i}" for i in ids}
    if kind == "all_brokers":
        return {f"broker:{i}" for i in session.scalars(select(BrokerProfile.id))}
    if kind == "user":
        return {f"broker:{i}" for i in session.scalars(select(BrokerProfile.id).where(BrokerProfile.user_id == value))}
    if kind == "category":
        entries = session.scalars(select(DirectoryEntryCategory.entry_id).where(
            DirectoryEntryCategory.category_id == value))
        providers = session.scalars(select(ProviderService.organisation_id).where(
            ProviderService.category_id == value))
        return {f"service:{i}" for i in entries} | {f"provider:{i}" for i in providers}
    return set()


def _before_flush(session: Session, flush_context, instances) -> None:
    """Changed objects are noted before the flush, while their history is there (a value set
    as an SQL expression, like `func.now()`, has none afterwards)."""
    from sqlalchemy import inspect

    from app.accounts.models import User

    pending = session.info.setdefault(PENDING, set())
    for obj in session.dirty:
        if isinstance(obj, SearchQueueItem) or not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, User):
            # A user's name, or closing their account, changes their broker listing.
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in ("closed_at", "name")):
                pending.add(("user", obj.id))
            continue
        pending |= affected(obj)


def _after_flush(session: Session, flush_context) -> None:
    """New and deleted objects are noted after the flush, when new ones have their ids."""
    pending = session.info.setdefault(PENDING, set())
    for obj in list(session.new) + list(session.deleted):
        if not isinstance(obj, SearchQueueItem):
            pending |= affected(obj)


def _after_flush_postexec(session: Session, flush_context) -> None:
    pending = session.info.pop(PENDING, set())
    if not pending:
        return
    queued = session.info.setdefault(QUEUED, set())
    doc_ids: set[str] = set()
    for item in pending:
        doc_ids |= _expand(session, item) if isinstance(item, tuple) else {item}
    for doc_id in sorted(doc_ids - queued):
        session.add(SearchQueueItem(doc_id=doc_id))
        queued.add(doc_id)
        session.info[TOUCHED] = True


def _after_commit(session: Session) -> None:
    session.info.pop(QUEUED, None)
    if session.info.pop(TOUCHED, False):
        session.info[COMMITTED] = True  # processed once this request (or command) is done


def _after_rollback(session: Session) -> None:
    for key in (PENDING, QUEUED, TOUCHED):
        session.info.pop(key, None)


def process_if_committed() -> None:
    """Called when a request ends: apply what its committed transactions queued."""
    if not db.session.info.pop(COMMITTED, False):
        return
    from flask import current_app

    if not current_app.config.get("SEARCH_SYNC", True):
        return
    try:
        process_queue()
    except Exception:  # the queue is retried later; a search problem never fails a change
        db.session.rollback()
        log.exception("Updating the search index failed; the changes stay queued")


def process_queue(limit: int = 2000, timeout: float | None = None) -> int:
    """Apply queued changes to the index. Returns how many documents were written (0 when
    nothing was queued, or another process holds the lock: they then wait for the next run)."""
    if db.session.scalar(select(SearchQueueItem.id).limit(1)) is None:
        db.session.commit()
        return 0
    try:
        w = index.writer(timeout=timeout)
    except index.LockError:
        log.info("Search index busy; queued changes wait for the next writer")
        db.session.rollback()
        return 0
    except index.IndexUnavailable:
        log.warning("Search index unavailable; queued changes wait until it is rebuilt")
        db.session.rollback()
        return 0
    db.session.rollback()  # start reading afresh now that we hold the lock
    written = 0
    try:
        rows = list(db.session.scalars(select(SearchQueueItem).order_by(SearchQueueItem.id).limit(limit)))
        for doc_id in sorted({row.doc_id for row in rows}):
            doc = documents.build(doc_id)
            if doc is None:
                w.delete_by_term("id", doc_id)
            else:
                w.update_document(**doc)
            written += 1
    except BaseException:
        w.cancel()
        db.session.rollback()
        raise
    w.commit()
    index.forget_searchers()
    db.session.execute(delete(SearchQueueItem).where(SearchQueueItem.id.in_([row.id for row in rows])))
    db.session.info.pop(COMMITTED, None)
    db.session.commit()
    db.session.info.pop(COMMITTED, None)
    return written


def reindex() -> int:
    """Rebuild the whole index from the database, then apply anything queued meanwhile.
    Returns how many entries the index holds."""
    db.session.commit()
    count = index.rebuild(documents.all_documents())
    db.session.expire_all()
    process_queue()
    return count


# Rebuilding takes about 4 ms an entry: above this, a web request would time out, so the admin
# page sends people to `flask search reindex` instead.
WEB_REBUILD_LIMIT = 5000


def listing_count() -> int:
    """How many entries the index would hold (roughly: every published or verified listing)."""
    from sqlalchemy import func

    from app.brokers.models import BrokerProfile, BrokerStatus
    from app.directory.models import DirectoryEntry, EntryStatus
    from app.providers.models import ProviderOrganisation

    return sum(db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0 for model, condition in (
        (DirectoryEntry, DirectoryEntry.status == EntryStatus.PUBLISHED),
        (ProviderOrganisation, ProviderOrganisation.verified_at.is_not(None)),
        (BrokerProfile, BrokerProfile.status == BrokerStatus.APPROVED)))


def backlog() -> int:
    """How many changes are waiting to reach the index."""
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(SearchQueueItem)) or 0


def register(app: Flask) -> None:
    """Listen to every session, and apply queued changes when each request ends."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_flush_postexec", _after_flush_postexec)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)

    @app.teardown_request
    def _apply_queue(exc):
        process_if_committed()
