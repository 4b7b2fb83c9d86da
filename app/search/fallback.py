"""Searching without the index: the same answers as the index gives (words, filters, counts,
ranking tiers and sorting), from the documents built afresh from the database. Slow on a large
directory; used only while the index is missing or damaged."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import datetime

from app.search import documents, neighbours
from app.search.languages import names_of
from app.search.results import FLAG_FACETS, MULTI_FACETS, Filters, Hit, Results, now
from app.search.schema import STEMMED


def _stem_words(text: str) -> list[str]:
    return [token.text for token in STEMMED(text)]  # as the index stems words


def _matches_flag(doc: dict, facet: str, current: datetime) -> bool:
    if facet == "free":
        return bool(doc["free"])
    field_name = "accepting_until" if facet == "accepting" else "verified_until"
    return doc[field_name] is not None and doc[field_name] >= current


def _doc_values(doc: dict, facet: str) -> list[str]:
    if facet == "kind":
        return [doc["kind"]]
    return [v for v in (doc[facet] or "").split(",") if v]


def _passes(doc: dict, filters: Filters, current: datetime, skip: str | None = None) -> bool:
    if doc["listed_until"] < current or (filters.located and not doc["located"]):
        return False
    for facet in MULTI_FACETS:
        if facet != skip and filters.values(facet) and not set(filters.values(facet)) & set(_doc_values(doc, facet)):
            return False
    return all(facet == skip or not getattr(filters, facet) or _matches_flag(doc, facet, current)
               for facet in FLAG_FACETS)


def in_language(doc: dict, codes: list[str]) -> bool:
    """As the index's language match: listed as speaking one of them, or naming it in its own
    words; a listing that gives no language is in English."""
    spoken = set(_doc_values(doc, "languages"))
    content = " ".join(_stem_words(doc["content"]))
    for code in codes:
        if code in spoken or (code == "english" and not spoken):
            return True
        if any(" ".join(_stem_words(name)) in content for name in names_of(code)):
            return True
    return False


def database_search(words: str, districts_in_query: list[str], filters: Filters, sort: str, near: str | None,
                    page: int, page_size: int, *, languages_in_query: list[str] = ()) -> Results:
    current = now()
    wanted = _stem_words(words.replace("*", ""))
    phrases = [p.lower() for p in re.findall(r'"([^"]+)"', words)]
    docs = []
    for doc in documents.all_documents():
        if languages_in_query and not in_language(doc, list(languages_in_query)):
            continue
        if wanted and not set(wanted) <= set(_stem_words(doc["content"])):
            continue
        if phrases and not all(p in " ".join(re.findall(r"[\w']+", doc["content"].lower())) for p in phrases):
            continue
        docs.append(doc)
    selected = [d for d in docs if _passes(d, filters, current)]
    counts: dict[str, dict[str, int]] = {}
    for facet in (*MULTI_FACETS, *FLAG_FACETS):
        pool = [d for d in docs if _passes(d, filters, current, skip=facet)] if filters.active(facet) else selected
        if facet in FLAG_FACETS:
            counts[facet] = {"yes": sum(1 for d in pool if _matches_flag(d, facet, current))}
        else:
            counts[facet] = dict(Counter(v for d in pool for v in _doc_values(d, facet)))

    def tier(doc: dict) -> int:
        """The same tiers as the index (see service._words_mask)."""
        if not wanted:
            return 0
        if doc["name_exact"] == words.strip().lower():
            return 0
        in_name = set(_stem_words(doc["name"]))
        if set(wanted) <= in_name:
            return 1
        if set(wanted) <= set(_stem_words(doc["tags"])):
            return 2
        if set(wanted) <= set(_stem_words(doc["labels"])):
            return 3
        return 4 if set(wanted) & in_name else 5

    if sort == "rating":
        selected.sort(key=lambda d: (-d["rating"], tier(d), d["sort_name"]))
    elif sort == "nearest" and near:
        close = {d.lower() for d in neighbours.neighbours(near)}
        prefix = neighbours.area(near).lower()

        def ring(doc: dict) -> int:
            values = set(_doc_values(doc, "districts"))
            if near.lower() in values:
                return 0
            if values & close:
                return 1
            return 2 if any(v.startswith(prefix) for v in values) else 3

        selected.sort(key=lambda d: (ring(d), tier(d), d["sort_name"]))
    else:
        selected.sort(key=lambda d: (tier(d), d["sort_name"]))
    total = len(selected)
    pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 1), pages)
    chosen = selected[(page - 1) * page_size: page * page_size]
    return Results(hits=[Hit(d["id"], d["display"]) for d in chosen], total=total, page=page, pages=pages,
                   counts=counts, fallback=True, near=near, sort=sort)
