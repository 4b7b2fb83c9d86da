"""What the directory's index holds, as registered by the features that own it (as microblog's
`__searchable__` does): `search` builds, lists and counts documents, and maps changed rows to
the documents they affect, without importing any feature.

A feature's `search_documents.py` module (imported at start-up) calls:
- `register_kind(...)`: a kind of document ("service", "provider", "broker"): the model a
  document is built from, how to build one from a loaded row, how to list every document for a
  rebuild and how many listings there are;
- `affects(Model, documents, attributes=...)`: which documents a change to a row can affect
  (doc ids, or a `Group` found by a query once the flush is done);
- `rates(kind, rating)`: where a kind's ratings come from, when they live in a higher feature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

Doc = dict[str, Any]
Rating = tuple[float | None, int]  # average (one decimal place) and how many reviews


@dataclass(frozen=True)
class DocumentKind:
    name: str  # the first part of a doc id: "service:12"
    label: str  # the option in the directory's "kind" filter
    model: type  # a document's id is this model's primary key
    document: Callable[[Any], Doc | None]  # the document for one row (None: not listed)
    every: Callable[[], Iterable[Doc]]  # every listed document, for a rebuild
    count: Callable[[], int]  # how many listings (roughly), to decide where a rebuild may run
    position: int  # kinds are listed, rebuilt and offered in this order
    stale_after: timedelta | None = None  # results verified longer ago "may be out of date"


@dataclass(frozen=True)
class Group:
    """Documents known only by a query, run once the flush is done (every broker of a hub, every
    entry in a category): `find(session, value)` gives their doc ids."""

    find: Callable[[Session, Any], Iterable[str]]
    value: Any


@dataclass(frozen=True)
class ChangeRule:
    model: type
    documents: Callable[[Any], Iterable[str | Group]]
    attributes: tuple[str, ...] = ()  # when given: only an update of one of these counts


_kinds: dict[str, DocumentKind] = {}
KINDS: dict[str, str] = {}  # name -> label, in order: the directory's kind filter reads this
_rules: list[ChangeRule] = []
_rules_by_type: dict[type, tuple[ChangeRule, ...]] = {}
_ratings: dict[str, Callable[[int], Rating]] = {}


def register_kind(name: str, *, label: str, model: type, document: Callable[[Any], Doc | None],
                  every: Callable[[], Iterable[Doc]], count: Callable[[], int], position: int,
                  stale_after: timedelta | None = None) -> DocumentKind:
    """Add (or replace) a kind of document."""
    kind = DocumentKind(name, label, model, document, every, count, position, stale_after)
    _kinds[name] = kind
    KINDS.clear()
    KINDS.update((k.name, k.label) for k in kinds())
    return kind


def kinds() -> list[DocumentKind]:
    return sorted(_kinds.values(), key=lambda k: (k.position, k.name))


def kind(name: str | None) -> DocumentKind | None:
    return _kinds.get(name or "")


def kind_of(record: Any) -> DocumentKind | None:
    """The kind whose documents are built from this row's model."""
    return next((k for k in kinds() if isinstance(record, k.model)), None)


def doc_ids(kind_name: str, *ids: int | None) -> set[str]:
    """`doc_ids("broker", 5)` -> {"broker:5"}; ids not known yet (None) are left out."""
    return {f"{kind_name}:{i}" for i in ids if i}


def affects(model: type, documents: Callable[[Any], Iterable[str | Group]], *,
            attributes: Iterable[str] = ()) -> None:
    """A change to a row of `model` (added, changed or deleted; or, with `attributes`, one of
    them updated) can change these documents."""
    _rules.append(ChangeRule(model, documents, tuple(attributes)))
    _rules_by_type.clear()


def rules_for(record: Any) -> tuple[ChangeRule, ...]:
    cls = type(record)
    found = _rules_by_type.get(cls)
    if found is None:
        found = _rules_by_type[cls] = tuple(rule for rule in _rules if issubclass(cls, rule.model))
    return found


def rates(kind_name: str, rating: Callable[[int], Rating]) -> None:
    """Ratings of a kind's documents come from `rating(id)` (reviews live in a higher feature)."""
    _ratings[kind_name] = rating


def rating(kind_name: str, record_id: int) -> Rating:
    """The rating of one document, (None, 0) when nothing rates this kind."""
    contributor = _ratings.get(kind_name)
    return contributor(record_id) if contributor else (None, 0)
