"""Searching the directory: words (stemmed, phrases in quotes, prefixes with *), filters with
counts beside each option, sorting by relevance, nearest or rating, paging, "Did you mean".

Postcode districts in the words ("befriending W9") sort by nearest; languages in the words
("Arabic speaking befriending", languages.py) keep the listings in that language, and are not
words that must match as well.

Answers come from the backend in use: the Whoosh index (here), or PostgreSQL's full-text search
(pg_query.py); if the index is missing or damaged, the same answers come (more slowly) from the
database, and the problem is logged for an admin to fix.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from whoosh.qparser import QueryParser
from whoosh.query import And, NullQuery, Or, Prefix, Query, Term

from app.core.districts import is_valid_district, normalise_district
from app.extensions import db
from app.search import backends, facets, fallback, index, masks, pg_query
from app.search.languages import LanguageWords, languages_in, names_of
from app.search.results import (
    ACCESSIBILITY,
    KINDS,
    PAGE_SIZE,
    SORTS,
    Filters,
    Hit,
    Results,
    now,
)

log = logging.getLogger(__name__)

__all__ = ["ACCESSIBILITY", "KINDS", "PAGE_SIZE", "SORTS", "Corrected", "Filters", "Hit", "Results", "languages_in",
           "search", "search_correcting", "split_query"]


def split_query(text: str) -> tuple[str, list[str]]:
    """Take postcode districts out of the words: 'befriending W9' -> ('befriending', ['W9'])."""
    words, districts = [], []
    for word in (text or "").split():
        if is_valid_district(word) and re.search(r"\d", word):
            districts.append(normalise_district(word))
        else:
            words.append(word)
    return " ".join(words), districts


# --- Whoosh -----------------------------------------------------------------------------------------


def _parse(searcher, field_name: str, words: str) -> Query | None:
    """The words as a query on one field: every word must match (stemmed); "quotes" make a
    phrase; a * matches the start of a word. None when nothing searchable is left."""
    parsed = QueryParser(field_name, schema=searcher.schema).parse(words)
    return None if parsed is NullQuery or isinstance(parsed, type(NullQuery)) else parsed


def _mask(data: facets.IndexData, searcher, q: Query | None) -> int:
    """Documents matching a parsed query, combining remembered masks of its words."""
    if q is None:
        return 0
    if isinstance(q, And):
        mask = data.live
        for part in q.subqueries:
            mask &= _mask(data, searcher, part)
        return mask
    if isinstance(q, Or):
        mask = 0
        for part in q.subqueries:
            mask |= _mask(data, searcher, part)
        return mask
    return data.query(searcher, q)


def _language_mask(data: facets.IndexData, searcher, languages: list[str]) -> int:
    """Listings in any of the languages: listed as speaking it, or naming it in their own words
    ("for Arabic-speaking women"). A listing that gives no language is in English, as its page says."""
    spoken = data.terms["languages"]
    mask = 0
    for code in languages:
        mask |= spoken.get(code, 0)
        for name in names_of(code):
            mask |= _mask(data, searcher, _parse(searcher, "content", f'"{name}"'))
        if code == "english":
            any_language = 0
            for option in spoken.values():
                any_language |= option
            mask |= data.live & ~any_language
    return mask & data.live


def _words_mask(data: facets.IndexData, searcher, words: str, typed: str) -> tuple[int, list[int]]:
    """What the words find, and the ranking tiers: the exact name (as `typed`, languages and
    all); every word in the name; every word in the name or the entry's own tags ("telephone
    befriending"); every word in the name, tags or kinds of service (an entry also listed under
    befriending); some word in the name; the rest."""
    exact = data.query(searcher, Term("name_exact", typed.strip().lower()))
    if not words.strip():
        return data.live, [exact]
    content = _mask(data, searcher, _parse(searcher, "content", words))
    plain = re.findall(r"[\w']+", words)
    if plain and len(plain[-1]) >= 3 and not re.search(r"[\"*?()]", words):
        # Typing the start of a name also works: "Pimlico Lun" finds "Pimlico Lunch Club".
        rest = " ".join(plain[:-1])
        start = data.query(searcher, Prefix("name", plain[-1].lower()))
        content |= start & (_mask(data, searcher, _parse(searcher, "content", rest)) if rest else data.live)
    matched = (content | exact) & data.live
    loose = words.replace('"', " ")  # the name and labels keep no word positions: phrases rank as words
    name_query = _parse(searcher, "name", loose)
    in_name = _mask(data, searcher, name_query)
    in_tags = _mask(data, searcher, _parse(searcher, "tags", loose))
    in_labels = _mask(data, searcher, _parse(searcher, "labels", loose))
    some_in_name = 0
    if name_query is not None:
        for leaf in name_query.leaves():
            if isinstance(leaf, Term):
                some_in_name |= data.query(searcher, leaf)
    return matched, [exact, in_name, in_tags, in_labels, some_in_name]


def _whoosh_search(said: LanguageWords, typed: str, districts_in_query: list[str], filters: Filters, sort: str,
                   near: str | None, page: int, page_size: int) -> Results:
    searcher = index.searcher()
    data = facets.data_for(searcher, str(index.index_dir()))
    flags = data.flags(now())
    words = said.words
    has_words = bool(words.strip())
    words_mask, tiers = _words_mask(data, searcher, words, typed) if has_words or said.languages else (data.live, [])
    if said.languages:
        words_mask &= _language_mask(data, searcher, said.languages)
    page_of = masks.answer(data, flags, words_mask, tiers, filters, sort, near, page, page_size)
    hits = []
    for docnum in page_of.docnums:
        stored = searcher.stored_fields(docnum)
        hits.append(Hit(stored["id"], stored["display"]))
    total = page_of.total
    suggestion = _suggest(searcher, said.parts, districts_in_query) if total < 3 and has_words else None
    return Results(hits=hits, total=total, page=page_of.page, pages=page_of.pages, counts=page_of.counts,
                   suggestion=suggestion, near=near, sort=sort)


def _suggest(searcher, parts: list[tuple[str, bool]], districts: list[str]) -> str | None:
    """'befreinding' -> 'befriending' (only when a word changes; languages are left as typed)."""
    corrector = searcher.corrector("spell")
    changed = False
    out = []
    for word, is_language in parts:
        clean = re.sub(r"[^\w]", "", word.lower())
        if is_language or len(clean) < 4 or searcher.frequency("spell", clean) > 0:
            out.append(word)
            continue
        options = corrector.suggest(clean, limit=1, maxdist=2)
        if options and options[0] != clean:
            out.append(options[0])
            changed = True
        else:
            out.append(word)
    if not changed:
        return None
    return " ".join(out + districts)


# --- The one entry point ----------------------------------------------------------------------------------


def search(text: str = "", filters: Filters | None = None, *, sort: str = "relevance", near: str | None = None,
           page: int = 1, page_size: int = PAGE_SIZE) -> Results:
    """What the directory page and the Open Referral API call."""
    filters = filters or Filters()
    words, districts_in_query = split_query(text)
    near = near or (districts_in_query[0] if districts_in_query else None) or (
        filters.districts[0] if filters.districts else None)
    sort = sort if sort in SORTS else "relevance"
    if sort == "relevance" and districts_in_query:
        sort = "nearest"  # "befriending W9": the best matches in W9 first, then neighbouring districts
    said = languages_in(words)
    postgresql = backends.uses_postgresql()
    answer = pg_query.search if postgresql else _whoosh_search
    try:
        return answer(said, words, districts_in_query, filters, sort, near, max(page, 1), page_size)
    except (index.IndexUnavailable, pg_query.NotBuilt) as exc:
        log.error("Search index unavailable, answering from the database: %s", exc)
    except Exception:  # a damaged index can fail in many ways; the database still answers
        log.exception("Search index failed, answering from the database")
        if postgresql:
            db.session.rollback()  # a failed statement ends the transaction; searching changes nothing
    index.forget_searchers()
    return fallback.database_search(said.words, districts_in_query, filters, sort, near, max(page, 1), page_size,
                                    languages_in_query=said.languages)


@dataclass
class Corrected:
    """A search, or the search for its spelling suggestion when the words as typed find nothing
    and the suggestion finds something ("Showing results for befriending")."""

    results: Results
    words: str  # what the results are for
    typed: str | None = None  # the words as typed, when the results are for the suggestion instead


def search_correcting(text: str = "", filters: Filters | None = None, *, as_typed: bool = False,
                      **options) -> Corrected:
    """`search`, answering a misspelling that finds nothing with its suggestion's results
    (unless `as_typed`: "Search instead for befreinding")."""
    results = search(text, filters, **options)
    if as_typed or results.total or not results.suggestion:
        return Corrected(results, text)
    instead = search(results.suggestion, filters, **options)
    if not instead.total:
        return Corrected(results, text)  # offer "Did you mean" only
    return Corrected(instead, results.suggestion, typed=text)
