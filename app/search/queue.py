"""Keeping the index in step with the database.

1. After each flush, the objects that changed are mapped to the documents they affect
   ("service:12", "provider:3", "broker:5") by the rules each feature registers
   (registry.py, from its `search_documents.py`), and a row per document is added to the
   `search_queue` table, in the same transaction as the change. A rolled-back change leaves
   no row, so it never reaches the index.
2. When the request that committed ends (or a command finishes), the queue is processed: take
   the index's writer lock, read the queued rows, rebuild those documents from the database
   as it is now, write them, commit the index, then delete the rows. Holding the lock while reading keeps two processes
   from writing an older version over a newer one.
3. If another process holds the lock for too long, the rows simply stay queued; the next commit
   in any process, or `flask scheduled run`, applies them. Nothing is lost.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app
from sqlalchemy import delete, event, func, inspect, select
from sqlalchemy.orm import Session

from app.core import unit_of_work
from app.extensions import db
from app.search import backends, documents, index, pg_write, registry
from app.search.models import SearchQueueItem
from app.search.progress import Progress

log = logging.getLogger(__name__)

PENDING = "search_pending_docs"  # doc ids and group markers seen in this transaction
QUEUED = "search_queued_docs"  # doc ids already queued in this transaction
TOUCHED = "search_touched"  # the transaction queued something
COMMITTED = "search_committed"  # ...and it committed: process when the request ends
WROTE = "search_session_wrote"  # the transaction has flushed changes not yet committed


class UncommittedWork(RuntimeError):
    """The queue processor runs as its own unit of work, after the caller's has committed."""


def _refuse_uncommitted_work() -> None:
    if db.session.info.get(WROTE) or db.session.new or db.session.dirty or db.session.deleted:
        raise UncommittedWork("Commit the unit of work before processing the search queue: it would be rolled back")


def affected(obj) -> set:
    """The documents (or groups of documents) an object's change can affect."""
    out: set = set()
    for rule in registry.rules_for(obj):
        if not rule.attributes:
            out |= set(rule.documents(obj))
    return out


def _updated(obj) -> set:
    """What changing a row already in the database can affect: rules for any change, and rules
    for a change of particular attributes (a user's name, or closing their account, changes
    their broker listing)."""
    out: set = set()
    state = None
    for rule in registry.rules_for(obj):
        if rule.attributes:
            state = state or inspect(obj)
            if not any(state.attrs[name].history.has_changes() for name in rule.attributes):
                continue
        out |= set(rule.documents(obj))
    return out


def _expand(session: Session, marker: registry.Group) -> set[str]:
    """Turn a group into document ids (needs a query, so only after the flush)."""
    return set(marker.find(session, marker.value))


def _before_flush(session: Session, flush_context, instances) -> None:
    """Changed objects are noted before the flush, while their history is there (a value set
    as an SQL expression, like `func.now()`, has none afterwards)."""
    pending = session.info.setdefault(PENDING, set())
    for obj in session.dirty:
        if isinstance(obj, SearchQueueItem) or not session.is_modified(obj, include_collections=False):
            continue
        pending |= _updated(obj)


def _after_flush(session: Session, flush_context) -> None:
    """New and deleted objects are noted after the flush, when new ones have their ids."""
    session.info[WROTE] = True
    pending = session.info.setdefault(PENDING, set())
    for obj in list(session.new) + list(session.deleted):
        if not isinstance(obj, SearchQueueItem):
            pending |= affected(obj)


def _after_flush_postexec(session: Session, flush_context) -> None:
    pending = session.info.pop(PENDING, set())
    if not pending:
        return
    doc_ids: set[str] = set()
    for item in pending:
        doc_ids |= _expand(session, item) if isinstance(item, registry.Group) else {item}
    if backends.uses_postgresql():
        pg_write.note(session, doc_ids)  # written in this transaction, just before it commits
        return
    queued = session.info.setdefault(QUEUED, set())
    for doc_id in sorted(doc_ids - queued):
        session.add(SearchQueueItem(doc_id=doc_id))
        queued.add(doc_id)
        session.info[TOUCHED] = True


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    pg_write.forget(session)
    session.info.pop(QUEUED, None)
    session.info.pop(WROTE, None)
    if session.info.pop(TOUCHED, False):
        session.info[COMMITTED] = True  # processed once this request (or command) is done


def _before_commit(session: Session) -> None:
    if backends.uses_postgresql() and not session.in_nested_transaction():  # a savepoint's release is not the commit
        pg_write.before_commit(session)


def _after_rollback(session: Session) -> None:
    for key in (PENDING, QUEUED, TOUCHED, WROTE):
        session.info.pop(key, None)
    if not session.in_nested_transaction():  # a savepoint rolled back: what was noted before it still commits
        pg_write.forget(session)


def process_if_committed() -> None:
    """Called when a request ends: apply what its committed transactions queued."""
    if not db.session.info.pop(COMMITTED, False):
        return
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
    _refuse_uncommitted_work()
    if backends.uses_postgresql():
        return 0  # every change was written in its own transaction
    if db.session.scalar(select(SearchQueueItem.id).limit(1)) is None:
        db.session.rollback()  # end the read
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
                w.update_document(**documents.whoosh_fields(doc))
            written += 1
    except BaseException:
        w.cancel()
        db.session.rollback()
        raise
    w.commit()
    index.forget_searchers()
    with unit_of_work.transaction():
        db.session.execute(delete(SearchQueueItem).where(SearchQueueItem.id.in_([row.id for row in rows])))
        db.session.info.pop(COMMITTED, None)
    db.session.info.pop(COMMITTED, None)
    return written


def reindex(progress: Progress | None = None) -> int:
    """Rebuild the whole index from the database (the backend in use: the Whoosh index, or the
    PostgreSQL table), then apply anything queued meanwhile. Runs as its own unit of work: call
    it with nothing of yours waiting to commit. `progress(done)` is told how far it has got.
    Returns how many entries the index holds."""
    _refuse_uncommitted_work()
    db.session.rollback()  # read what is committed
    docs = _counted(documents.all_documents(), progress)
    if backends.uses_postgresql():
        count = pg_write.rebuild(db.session, docs, progress)
        db.session.rollback()
        return count
    count = index.rebuild(docs)
    if db.engine.dialect.name == "postgresql" and pg_tables_exist():
        with unit_of_work.transaction():
            pg_write.forget_build(db.session)  # no longer kept in step: switching back rebuilds it
    db.session.expire_all()
    process_queue()
    return count


def _counted(docs, progress: Progress | None):
    """The documents, telling `progress` every 500 (the PostgreSQL rebuild tells it per chunk)."""
    if progress is None or backends.uses_postgresql():
        yield from docs
        return
    done = 0
    for doc in docs:
        yield doc
        done += 1
        if done % 500 == 0:
            progress(done)
    if done % 500:
        progress(done)  # the last few (the last line of a log says the rebuild is done)


def pg_tables_exist() -> bool:
    return inspect(db.engine).has_table("search_state")


# Rebuilding takes about 4 ms an entry: above this, a web request would time out, so the admin
# page sends people to `flask search reindex` instead.
WEB_REBUILD_LIMIT = 5000


def can_rebuild_on_the_web(listings: int | None = None) -> bool:
    """Whether the index is small enough to rebuild within a web request."""
    return (listing_count() if listings is None else listings) <= WEB_REBUILD_LIMIT


def listing_count() -> int:
    """How many entries the index would hold (roughly: every published or verified listing)."""
    return sum(kind.count() for kind in registry.kinds())


def backlog() -> int:
    """How many changes are waiting to reach the index (none with PostgreSQL: each change is
    written in its own transaction)."""
    if backends.uses_postgresql():
        return 0
    return db.session.scalar(select(func.count()).select_from(SearchQueueItem)) or 0


def register(app: Flask) -> None:
    """Listen to every session, and apply queued changes when each request ends."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_flush_postexec", _after_flush_postexec)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)

    @app.teardown_request
    def _apply_queue(exc):
        process_if_committed()
