"""The Whoosh index on disk: opening, writing under its lock, rebuilding, health.

Whoosh allows one writer at a time. Writers wait for the lock a little (`WRITE_TIMEOUT`); if it
is still held, the change stays in the database queue (queue.py) and is applied by the next
writer, so nothing is lost. Readers are never blocked.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.codec import whoosh3
from whoosh.index import LockError
from whoosh.writing import CLEAR

from app.search.documents import whoosh_fields
from app.search.schema import SCHEMA

log = logging.getLogger(__name__)


def _fingerprint() -> str:
    """Changes whenever the schema does, so an index built for an older schema is never opened
    (search answers from the database until `flask search reindex` builds the new one)."""
    described = ";".join(f"{name}:{type(field).__name__}:{getattr(field, 'sortable_typecode', '')}:"
                         f"{field.scorable}:{field.stored}"
                         for name, field in sorted(SCHEMA.items()))
    return hashlib.sha256(described.encode()).hexdigest()[:8]


INDEX_NAME = f"directory_{_fingerprint()}"


def _remember_missing_columns() -> None:
    """Whoosh looks for a field-length column file on disk for every posting it writes of a
    field that has none (ids, keywords), and does not remember that it is missing: 200,000
    file-system checks per 5,000 entries, most of an index build. Remember the answer."""
    original = whoosh3.W3PerDocReader._cached_reader
    if getattr(original, "remembers_missing", False):
        return

    def cached_reader(self, fieldname, column):
        if fieldname in self._readers:
            return self._readers[fieldname]
        reader = original(self, fieldname, column)
        if reader is None:
            self._readers[fieldname] = None
        return reader

    cached_reader.remembers_missing = True
    whoosh3.W3PerDocReader._cached_reader = cached_reader


_remember_missing_columns()
WRITE_TIMEOUT = 10.0
_local = threading.local()


class IndexUnavailable(Exception):
    """The index is missing or cannot be read; search falls back to the database."""


def index_dir() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def exists() -> bool:
    path = index_dir()
    return path.exists() and whoosh_index.exists_in(str(path), indexname=INDEX_NAME)


def create_empty(path: Path | None = None):
    path = path or index_dir()
    path.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(path), SCHEMA, indexname=INDEX_NAME)


def open_index():
    """The index. Only `rebuild` creates one: an index that is missing (never built, or built
    for an older schema) is unavailable, so search answers from the database rather than from
    an empty or partial index."""
    path = index_dir()
    try:
        if not exists():
            raise IndexUnavailable(f"No search index at {path}: run `flask search reindex`")
        return whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
    except IndexUnavailable:
        raise
    except Exception as exc:  # a damaged index: search answers from the database instead
        raise IndexUnavailable(str(exc)) from exc


def searcher():
    """A searcher for this thread, reopened when the index has changed since.

    Not `Searcher.refresh()`: Whoosh then reuses the reader of any segment it already had open,
    keyed by segment id, so deletions made in that segment since (an entry changed, hidden or
    deleted) would not be seen, and an old version of an entry could show up beside the new."""
    path = str(index_dir())
    cached = getattr(_local, "searchers", {})
    current = cached.pop(path, None)
    try:
        if current is not None and not current.up_to_date():
            current.close()
            current = None
        if current is None:
            current = open_index().searcher()
    except IndexUnavailable:
        raise
    except Exception as exc:
        raise IndexUnavailable(str(exc)) from exc
    cached[path] = current
    _local.searchers = cached
    return current


def forget_searchers() -> None:
    for current in getattr(_local, "searchers", {}).values():
        try:
            current.close()
        except Exception:  # closing a broken searcher must never fail a request
            log.debug("Could not close a searcher", exc_info=True)
    _local.searchers = {}


def write_timeout() -> float:
    return float(current_app.config.get("SEARCH_WRITE_TIMEOUT", WRITE_TIMEOUT))


def writer(timeout: float | None = None):
    """A writer, waiting up to `timeout` seconds for another process to finish."""
    return open_index().writer(timeout=write_timeout() if timeout is None else timeout, delay=0.05)


def rebuild(documents, timeout: float = 60.0) -> int:
    """Replace every document, holding the writer lock throughout so that changes made in the
    meantime wait in the queue and are applied afterwards. Searches keep answering from the old
    documents until the new ones are committed. A damaged index is recreated empty first."""
    try:
        ix = open_index()
    except IndexUnavailable:
        if exists():
            log.warning("Search index damaged: recreating it at %s", index_dir())
            _remove(lambda name: INDEX_NAME in name)
        ix = create_empty()
    w = ix.writer(timeout=timeout, delay=0.1, limitmb=256)
    count = 0
    try:
        for doc in documents:
            w.add_document(**whoosh_fields(doc))
            count += 1
    except BaseException:
        w.cancel()
        raise
    w.commit(mergetype=CLEAR, optimize=True)
    forget_searchers()
    _remove(lambda name: INDEX_NAME not in name and "directory" in name)  # indexes for older schemas
    return count


def _remove(matches) -> None:
    path = index_dir()
    if not path.exists():
        return
    for item in path.iterdir():
        if matches(item.name):
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)


@dataclass
class Health:
    ok: bool
    documents: int
    message: str


def health() -> Health:
    try:
        if not exists():
            return Health(False, 0, "The search index has not been built. Rebuild it.")
        with open_index().searcher() as s:
            return Health(True, s.doc_count(), "")
    except Exception as exc:  # reported to admins, never raised
        return Health(False, 0, f"The search index cannot be read ({type(exc).__name__}). Rebuild it.")


__all__ = ["IndexUnavailable", "LockError", "health", "open_index", "rebuild", "searcher", "writer"]
