"""How the search backend in use is doing, for `flask search status` and the admin page."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.search import backends, index, pg_data
from app.search.index import Health

LABELS = {backends.WHOOSH: "Whoosh (an index in files on this server)",
          backends.POSTGRESQL: "PostgreSQL full-text search (in the database every server shares)"}


def health() -> Health:
    if not backends.uses_postgresql():
        return index.health()
    try:
        if pg_data.built(db.session) is None:
            return Health(False, 0, "The search table has not been built. Rebuild it.")
        documents = db.session.execute(text("SELECT count(*) FROM search_documents WHERE NOT gone")).scalar_one()
        return Health(True, documents, "")
    except SQLAlchemyError as exc:  # reported to admins, never raised
        db.session.rollback()
        return Health(False, 0, f"The search table cannot be read ({type(exc).__name__}). Rebuild it.")


def backend_label() -> str:
    return LABELS[backends.active()]


def location() -> str:
    if backends.uses_postgresql():
        return "search_documents"  # the table (the backend's label says it is in the database)
    return str(index.index_dir())
