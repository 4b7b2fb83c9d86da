"""Search documents: the one shape every kind of listing takes in the index, and building or
listing them through the kinds the features register (registry.py).

The same documents feed the Whoosh index and the database fallback, so both answer alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

from app.core.reference import LANGUAGES
from app.core.timeutil import LONDON
from app.extensions import db
from app.search import registry
from app.search.registry import Doc
from app.search.schema import SCHEMA

SCHEMA_FIELDS = frozenset(SCHEMA.names())

FOREVER = datetime(2999, 12, 31, tzinfo=UTC)

__all__ = ["FOREVER", "Doc", "all_documents", "build", "document", "document_of", "end_of_day"]


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON).astimezone(UTC)


def _naive(moment: datetime | None) -> datetime | None:
    """Whoosh stores naive datetimes: we give it UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


def document(*, doc_id: str, kind: str, name: str, description: str, categories: list, tags: list[str],
             districts: list[str], languages: list[str], accessibility: list[str], free: bool,
             rating: float | None, last_verified: datetime | None, verified_until: datetime | None,
             located: bool = False, accepting_until: datetime | None, listed_until: datetime | None,
             display: dict) -> Doc:
    """One listing as the index stores it. `categories` are taxonomy categories (`name`, `slug`)."""
    category_names = [c.name for c in categories]
    labels = " ".join([name, *category_names, *tags])
    return {
        "id": doc_id,
        "kind": kind,
        "content": f"{labels} {description}",
        "name": name,
        "tags": " ".join([name, *tags]),
        "labels": labels,
        "own_tags": " ".join(tags),  # the PostgreSQL backend weighs these apart (pg_write.py)
        "kinds": " ".join(category_names),
        "description": description,
        "name_exact": name.strip().lower(),
        "sort_name": name.strip().lower(),
        "spell": f"{labels} {description}",
        "categories": ",".join(c.slug for c in categories),
        "districts": ",".join(d.lower() for d in districts),
        "languages": ",".join(languages),
        "accessibility": ",".join(accessibility),
        "free": free,
        "located": located,
        "rating": round((rating or 0) * 10),
        "last_verified": _naive(last_verified),
        "verified_until": _naive(verified_until),
        "accepting_until": _naive(accepting_until),
        "listed_until": _naive(listed_until or FOREVER),
        "display": {**display, "kind": kind, "name": name, "districts": districts,
                    "categories": category_names, "languages": [LANGUAGES.get(x, x) for x in languages],
                    "last_verified": last_verified.date().isoformat() if last_verified else None,
                    "free": free, "rating": rating,
                    "accepting_until": _naive(accepting_until).isoformat() if accepting_until else None},
    }


def build(doc_id: str) -> Doc | None:
    """The current document for one id (None: remove it from the index)."""
    kind_name, _, raw_id = doc_id.partition(":")
    kind = registry.kind(kind_name)
    if kind is None or not raw_id.isdigit():
        return None
    record = db.session.get(kind.model, int(raw_id))
    return kind.document(record) if record is not None else None


def document_of(record: Any) -> Doc | None:
    """The document for a loaded row of a registered kind's model (None: not listed)."""
    kind = registry.kind_of(record)
    return kind.document(record) if kind else None


def whoosh_fields(doc: Doc) -> Doc:
    """The document's fields the Whoosh schema has (the rest are for the PostgreSQL backend)."""
    return {name: value for name, value in doc.items() if name in SCHEMA_FIELDS}


def all_documents() -> Iterator[Doc]:
    """Every listable document, kind by kind (for rebuilding the index, and the fallback)."""
    for kind in registry.kinds():
        yield from kind.every()
