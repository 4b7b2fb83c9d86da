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

from sqlalchemy import bindparam, delete, func, literal_column, select, text, update
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

COLUMNS = ("kind", "name_exact", "sort_name", "categories", "districts", "languages", "accessibility", "free",
           "located", "rating", "verified_until", "accepting_until", "listed_until")
WEIGHTED = (("name", "A"), ("own_tags", "B"), ("kinds", "C"), ("description", "D"))  # name > own tags > kinds > description
CONFIG = literal_column(f"'{tables.TEXT_SEARCH_CONFIG}'::regconfig")
NEXT_VERSION = func.nextval("search_document_versions")


def _vector(value):
    """The stored, weighted vector, from each part's text (`value(part)`: a bound parameter)."""
    parts = [func.setweight(func.to_tsvector(CONFIG, value(part)), literal_column(f"'{weight}'::\"char\""))
             for part, weight in WEIGHTED]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector.op("||")(part)
    return vector


def _params(doc: Doc) -> dict:
    """A document as the parameters of `_INSERT` and `_UPDATE`."""
    params = {f"new_{column}": doc.get(column) for column in COLUMNS}
    for name in ("categories", "districts", "languages", "accessibility"):
        params[f"new_{name}"] = [value for value in (doc.get(name) or "").split(",") if value]
    params.update({f"text_{part}": doc.get(part) or "" for part, _ in WEIGHTED}, key=doc["id"])
    return params


# Compiled once (SQLAlchemy caches them): sent as many rows at a time.
_VALUES = {column: bindparam(f"new_{column}") for column in COLUMNS} | {
    "vector": _vector(lambda part: bindparam(f"text_{part}"))}
_INSERT = insert(tables.documents).values(_VALUES | {"doc_id": bindparam("key")}).returning(
    tables.documents.c.id, tables.documents.c.doc_id)
_UPDATE = update(tables.documents).where(tables.documents.c.doc_id == bindparam("key")).values(
    _VALUES | {"gone": False, "version": NEXT_VERSION})


def _mark_gone(connection: Connection | Session, condition) -> None:
    table = tables.documents
    ids = connection.execute(update(table).where(condition).values(gone=True, version=NEXT_VERSION)
                             .returning(table.c.id)).scalars().all()
    if ids:
        connection.execute(delete(tables.displays).where(tables.displays.c.id.in_(ids)))


def _leave(connection: Connection | Session, doc_ids: list[str]) -> None:
    """These listings left search (or never were in it): their rows say so with a new version,
    and one is made for a listing that has none yet, so that a rebuild that read the listing
    before it left cannot bring it back (its rows are never written over a newer version)."""
    table = tables.documents
    _mark_gone(connection, table.c.doc_id.in_(doc_ids))
    present = set(connection.execute(select(table.c.doc_id).where(table.c.doc_id.in_(doc_ids))).scalars())
    missing = [doc_id for doc_id in doc_ids if doc_id not in present]
    if missing:
        connection.execute(insert(table).values([{"doc_id": doc_id, "gone": True, "vector": literal_column("''::tsvector")}
                                                 for doc_id in missing]))


def lock(connection: Connection | Session) -> None:
    """Wait for any other writer of search documents to commit (held until this one commits)."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


def write(connection: Connection | Session, docs: list[Doc], gone: Iterable[str] = (), *,
          unless_newer_than: int | None = None) -> None:
    """Write these documents (and mark the `gone` ones), under the lock."""
    gone = sorted(set(gone))
    if gone:
        _leave(connection, gone)
    if not docs:
        return
    by_id = {doc["id"]: doc for doc in docs}
    table = tables.documents
    found = dict(connection.execute(select(table.c.doc_id, table.c.version).where(table.c.doc_id.in_(by_id))).all())
    # An update keeps the row's id (its place in every host's masks); writers take turns under
    # the lock, so no one else inserts the same document meanwhile.
    fresh = [doc_id for doc_id in sorted(by_id) if doc_id not in found]
    changed = [doc_id for doc_id in sorted(by_id) if doc_id in found
               and (unless_newer_than is None or found[doc_id] <= unless_newer_than)]
    written: list[tuple[int, str]] = []
    if fresh:
        written += connection.execute(_INSERT, [_params(by_id[doc_id]) for doc_id in fresh]).all()
    if changed:
        connection.execute(_UPDATE, [_params(by_id[doc_id]) for doc_id in changed])
        written += connection.execute(select(table.c.id, table.c.doc_id).where(table.c.doc_id.in_(changed))).all()
    if written:
        statement = insert(tables.displays).values([{"id": row_id, "display": by_id[doc_id]["display"]}
                                                    for row_id, doc_id in sorted(written)])
        connection.execute(statement.on_conflict_do_update(index_elements=["id"],
                                                           set_={"display": statement.excluded.display}))
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
        _mark_gone(connection, (tables.documents.c.version <= since) & ~tables.documents.c.gone)
        connection.execute(text("DELETE FROM search_words WHERE version <= :since"), {"since": since})
        connection.execute(text("INSERT INTO search_state (backend, build_id, built_at) VALUES ('postgresql', :build, :at) "
                                "ON CONFLICT (backend) DO UPDATE SET built_at = EXCLUDED.built_at"),
                           {"build": str(uuid.uuid4()), "at": utcnow()})
    with engine.begin() as connection:  # fresh statistics, or the planner guesses (3x slower searches measured)
        connection.execute(text("ANALYZE search_documents, search_displays, search_words"))
    return count


def forget_build(connection: Connection | Session) -> None:
    """The table is no longer kept in step (another backend answers): a switch back must rebuild."""
    connection.execute(text("DELETE FROM search_state WHERE backend = 'postgresql'"))
