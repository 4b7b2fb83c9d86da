"""The PostgreSQL backend's writes: search documents kept in step in the same transaction as the
change that affects them, and rebuilt in chunks by `reindex`.

Every write of documents holds one transaction-level advisory lock (`WRITE_LOCK`) from before it
takes a version number until its transaction commits. So versions become visible in the order
they were given out, and each host's filter masks (pg_data.py) can catch up by asking for the
versions after the last one they saw. Holding the lock while building also means a document is
built from what is committed by the previous writer: two changes to one listing cannot leave the
older version in search.

A listing that leaves search keeps its row, marked `gone`, so hosts learn that too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.core.timeutil import utcnow
from app.search import documents
from app.search import pg_tables as tables
from app.search.registry import Doc
from app.search.spelling import words_of

WRITE_LOCK = 0x0C5EA4C4  # pg_advisory_xact_lock key: "ourchoice search"
DIRTY = "search_pg_dirty"  # doc ids changed in this transaction, written before it commits
CHUNK = 500

COLUMNS = ("kind", "name", "name_exact", "sort_name", "own_tags", "kinds", "description", "categories",
           "districts", "languages", "accessibility", "free", "located", "rating", "verified_until",
           "accepting_until", "listed_until", "display")
NEXT_VERSION = func.nextval("search_document_versions")


def _row(doc: Doc) -> dict:
    row = {column: doc.get(column) for column in COLUMNS}
    for name in ("categories", "districts", "languages", "accessibility"):
        row[name] = [value for value in (doc.get(name) or "").split(",") if value]
    row["doc_id"] = doc["id"]
    return row


def lock(connection: Connection | Session) -> None:
    """Wait for any other writer of search documents to commit (held until this one commits)."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


def write(connection: Connection | Session, docs: list[Doc], gone: Iterable[str] = (), *,
          unless_newer_than: int | None = None) -> None:
    """Write these documents (and mark the `gone` ones), under the lock."""
    gone = sorted(set(gone))
    if gone:
        connection.execute(update(tables.documents).where(tables.documents.c.doc_id.in_(gone), ~tables.documents.c.gone)
                           .values(gone=True, display=None, version=NEXT_VERSION))
    if not docs:
        return
    rows = {doc["id"]: _row(doc) for doc in docs}
    table = tables.documents
    versions = dict(connection.execute(select(table.c.doc_id, table.c.version).where(table.c.doc_id.in_(rows))).all())
    # An update keeps the row's id (its place in every host's masks); writers take turns under
    # the lock, so no one else inserts the same document meanwhile.
    fresh = [row for doc_id, row in sorted(rows.items()) if doc_id not in versions]
    changed = [row for doc_id, row in sorted(rows.items()) if doc_id in versions
               and (unless_newer_than is None or versions[doc_id] <= unless_newer_than)]
    if fresh:
        connection.execute(insert(table).values(fresh))
    if changed:
        connection.execute(update(table).where(table.c.doc_id == bindparam("key")).values(
            {column: bindparam(f"new_{column}") for column in COLUMNS} | {"gone": False, "version": NEXT_VERSION}),
            [{"key": row["doc_id"]} | {f"new_{column}": row[column] for column in COLUMNS} for row in changed])
    words = sorted(set().union(*(words_of(doc) for doc in docs)))  # in one order: no deadlocks
    if words:
        statement = insert(tables.words).values([{"word": word, "version": NEXT_VERSION} for word in words])
        connection.execute(statement.on_conflict_do_update(index_elements=["word"], set_={"version": NEXT_VERSION}))


# --- In the same transaction as the change ---------------------------------------------------------


def note(session: Session, doc_ids: set[str]) -> None:
    """Documents a flush changed: written when the transaction commits."""
    session.info.setdefault(DIRTY, set()).update(doc_ids)


def before_commit(session: Session) -> None:
    """Write the documents this transaction changed, as the last thing before it commits."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit would flush next: its changes add their documents now
    if not session.info.get(DIRTY):
        return
    lock(session)
    # Read afresh, now that the previous writer has committed: the rows this transaction changed
    # are flushed, so nothing of its own is lost by forgetting what was loaded.
    session.expire_all()
    while session.info.get(DIRTY):
        doc_ids = sorted(session.info.pop(DIRTY))
        built = {doc_id: documents.build(doc_id) for doc_id in doc_ids}
        write(session, [doc for doc in built.values() if doc is not None],
              gone=[doc_id for doc_id, doc in built.items() if doc is None])
        session.flush()


def forget(session: Session) -> None:
    session.info.pop(DIRTY, None)


# --- Rebuilding ------------------------------------------------------------------------------------


def _chunks(docs: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    chunk: list[Doc] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rebuild(session: Session, docs: Iterable[Doc], progress=None) -> int:
    """Write every document in chunks, each its own short transaction on a connection of its
    own, while `session` reads. Changes made meanwhile are written by their own transactions and
    never overwritten here; documents not written by this run or a change since it started are
    marked gone at the end. Interrupted, it leaves every document as it was or rebuilt: run it
    again."""
    engine = session.get_bind()
    with engine.begin() as connection:
        lock(connection)  # every change that took a version so far has committed: this run reads it
        since = connection.execute(text(
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM search_document_versions")).scalar_one()
    count = 0
    for chunk in _chunks(docs, CHUNK):
        with engine.begin() as connection:
            lock(connection)
            write(connection, chunk, unless_newer_than=since)
        count += len(chunk)
        if progress:
            progress(count)
    with engine.begin() as connection:
        lock(connection)
        connection.execute(text("UPDATE search_documents SET gone = true, display = NULL, "
                                "version = nextval('search_document_versions') WHERE version <= :since AND NOT gone"),
                           {"since": since})
        connection.execute(text("DELETE FROM search_words WHERE version <= :since"), {"since": since})
        connection.execute(text("INSERT INTO search_state (backend, build_id, built_at) VALUES ('postgresql', :build, :at) "
                                "ON CONFLICT (backend) DO UPDATE SET built_at = EXCLUDED.built_at"),
                           {"build": str(uuid.uuid4()), "at": utcnow()})
    return count


def forget_build(connection: Connection | Session) -> None:
    """The table is no longer kept in step (another backend answers): a switch back must rebuild."""
    connection.execute(text("DELETE FROM search_state WHERE backend = 'postgresql'"))
