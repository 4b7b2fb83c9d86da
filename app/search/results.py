"""What a search asks (`Filters`) and answers (`Results` of `Hit`s), shared by the index and
the database fallback."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.core.reference import ACCESSIBILITY_FEATURES
from app.core.timeutil import today_in_london
from app.search import registry

KINDS = registry.KINDS  # filled in by the features that register their documents
ACCESSIBILITY = ACCESSIBILITY_FEATURES
SORTS = {"relevance": "Best match", "nearest": "Nearest", "rating": "Rating"}
PAGE_SIZE = 20
MULTI_FACETS = ("kind", "categories", "districts", "languages", "accessibility")
FLAG_FACETS = ("free", "accepting", "verified")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Filters:
    kinds: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    free: bool = False
    accepting: bool = False
    verified: bool = False
    located: bool = False  # only services at an address (for the open data API)

    def values(self, facet: str) -> list[str]:
        return {"kind": self.kinds, "categories": self.categories, "districts": [d.lower() for d in self.districts],
                "languages": self.languages, "accessibility": self.accessibility}[facet]

    def active(self, facet: str) -> bool:
        if facet in FLAG_FACETS:
            return bool(getattr(self, facet))
        return bool(self.values(facet))


@dataclass
class Hit:
    doc_id: str
    display: dict[str, Any]

    @property
    def stale(self) -> bool:
        """Verified longer ago than its kind allows ("may be out of date")."""
        kind = registry.kind(self.display.get("kind"))
        if kind is None or kind.stale_after is None:
            return False
        verified = self.display.get("last_verified")
        if not verified:
            return True
        return today_in_london() - datetime.fromisoformat(verified).date() > kind.stale_after

    @property
    def accepting(self) -> bool:
        until = self.display.get("accepting_until")
        return bool(until) and datetime.fromisoformat(until) >= now()


@dataclass
class Results:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    counts: dict[str, dict[str, int]]
    suggestion: str | None = None
    fallback: bool = False
    near: str | None = None
    sort: str = "relevance"
