"""Searching with the PostgreSQL backend: the words matched by PostgreSQL's full-text search
(`websearch_to_tsquery`: every word, "quoted phrases", `or`, `-word`; a trailing * for the start
of a word) on the stored weighted vector, ranked in the same tiers as the Whoosh backend by
restricting the words to weights (name A, own tags B, kinds of service C); then the same filters,
counts, sorts and pages as Whoosh over this process's masks (pg_data.py, masks.py); "Did you
mean" from the words listings use, by trigram similarity (pg_trgm) and edit distance.
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session
from whoosh.analysis import STOP_WORDS

from app.extensions import db
from app.search import masks, pg_data, pg_tables, spelling
from app.search.facets import mask_of
from app.search.languages import LanguageWords, names_of
from app.search.results import Filters, Hit, Results, now

CONFIG = pg_tables.TEXT_SEARCH_CONFIG
LEXEME = re.compile(r"'(?:[^']|'')*'")
PREFIX = re.compile(r"^([\w']+)\*$")
TIERS = 5  # exact name, every word in the name, in name or own tags, in those or kinds of service, some word in the name
_extension_schemas: dict[tuple[str, str], str] = {}


class NotBuilt(Exception):
    """`flask search reindex` has not filled the table yet: search answers from the database."""


def _split_prefixes(words: str) -> tuple[str, list[str]]:
    """'hairdress* home' -> ('home', ['hairdress']): words with a * match the start of a word."""
    kept, prefixes = [], []
    for piece in re.findall(r'"[^"]*"?|\S+', words):
        match = PREFIX.match(piece)
        if match and not piece.startswith('"'):
            prefixes.append(match.group(1).lower().replace("'", ""))
        else:
            kept.append(piece)
    return " ".join(kept), [p for p in prefixes if p]


def _unstopped(words: str) -> str:
    """The words as the Whoosh index splits them, for `websearch_to_tsquery`: outside "quoted
    phrases" (which match as written), words of two letters or more ("women's" is "women"),
    hyphenated words as their parts ("day-care": day and care), without the few words Whoosh
    leaves out ("for", "the", lower-case "or"); `OR` stays an operator, and `NOT x` or `-x`
    leaves out what has x."""
    out: list[str] = []
    negate = False
    for piece in re.findall(r'"[^"]*"?|\S+', words):
        if piece.startswith('"') or piece == "OR":
            out.append(piece)
            continue
        if piece == "NOT":
            negate = True
            continue
        negate = negate or (piece.startswith("-") and len(piece) > 1)
        tokens = [t for t in spelling.WORD.findall(piece.lower()) if len(t) >= 2 and t not in STOP_WORDS]
        out.extend(f"-{t}" if negate else t for t in tokens)
        negate = False
    return " ".join(out)


def _both(*queries: str) -> str:
    """Queries (as tsquery text) that must all match; '' when there is nothing to match."""
    present = [f"({q})" for q in queries if q]
    return " & ".join(present)


def _weighted(query: str, weights: str) -> str:
    """Every lexeme of the query restricted to these weights: "'lunch' & 'club'" -> "'lunch':A & 'club':A"."""
    return LEXEME.sub(lambda m: f"{m.group(0)}:{weights}", query)


def _any_of(query: str, weights: str) -> str:
    return " | ".join(f"{lexeme}:{weights}" for lexeme in LEXEME.findall(query))


def _queries(session: Session, words: str) -> dict[str, str]:
    """The tsquery texts for the words: what must match, and what ranks the matches."""
    web, prefixes = _split_prefixes(words)
    loose = re.sub(r"[\"*]", " ", words)  # for ranking, phrases count as their words
    plain = re.findall(r"[\w']+", words)
    start = (bool(plain) and len(plain[-1]) >= 3 and not re.search(r"[\"*?()]", words)
             and not re.search(r"(^|\s)-|\bNOT\b", words))  # "befriending -chelsea" leaves Chelsea out
    parsed = session.execute(text(
        "SELECT websearch_to_tsquery(CAST(:config AS regconfig), :web)::text, "
        "websearch_to_tsquery(CAST(:config AS regconfig), :loose)::text, "
        "websearch_to_tsquery(CAST(:config AS regconfig), :rest)::text"),
        {"config": CONFIG, "web": _unstopped(web), "loose": _unstopped(loose),
         "rest": _unstopped(" ".join(plain[:-1]))}).one()
    content = _both(parsed[0], *(f"'{p}':*" for p in prefixes))
    queries = {"content": content, "name": _weighted(parsed[1], "A"), "tags": _weighted(parsed[1], "AB"),
               "labels": _weighted(parsed[1], "ABC"), "some": _any_of(parsed[1], "A")}
    if start:  # typing the start of a name also works: "Pimlico Lun" finds "Pimlico Lunch Club"
        last = re.sub(r"'", "", plain[-1].lower())
        queries["start"] = _both(f"'{last}':*A", parsed[2]) if last else ""
    return queries


def _words_masks(session: Session, data: pg_data.PgData, words: str, typed: str) -> tuple[int, list[int]]:
    """What the words find, and the ranking tiers (as the Whoosh backend's). Remembered: after a
    change, only the rows that changed are asked about again."""
    exact = typed.strip().lower()
    if not words.strip():
        rows = session.execute(text("SELECT id FROM search_documents WHERE name_exact = :exact AND NOT gone "
                                    "AND id < :size"), {"exact": exact, "size": data.size}).scalars().all()
        return data.live, [mask_of(rows, data.size) & data.live]
    key = ("words", words, typed)
    known = data.words.get(key)
    if known is not None and known[0] == data.version:
        data.words.move_to_end(key)
        tier_masks = known[1]
    else:
        changed = data.changed_since(known[0]) if known is not None else None
        found = _tiers(session, data, _queries(session, words), exact, only=changed)
        if changed is None:
            tier_masks = [mask_of(docnums, data.size) & data.live for docnums in found]
        else:
            keep = ~mask_of(changed, data.size)
            tier_masks = [(old & keep) | mask_of(new, data.size) for old, new in zip(known[1], found, strict=True)]
        _remember(data, key, (data.version, tier_masks))
    matched = 0
    for mask in tier_masks:
        matched |= mask
    return matched, tier_masks[:TIERS]


def _tiers(session: Session, data: pg_data.PgData, q: dict[str, str], exact: str,
           only: list[int] | None = None) -> list[list[int]]:
    """The ids the words find, by ranking tier (the last: matched, in no tier); `only` these ids."""
    by_tier: list[list[int]] = [[] for _ in range(TIERS + 1)]
    if only is not None and not only:
        return by_tier
    tiers = " ".join(f"WHEN vector @@ CAST(:{name} AS tsquery) THEN {n}"
                     for n, name in enumerate(("name", "tags", "labels", "some"), start=1) if q[name])
    matches = ["name_exact = :exact"] + [f"vector @@ CAST(:{name} AS tsquery)" for name in ("content", "start")
                                         if q.get(name)]
    # One row per tier with its ids (PostgreSQL groups them: far quicker than a row per match).
    # Rows newer than these masks (committed since they caught up) wait for the next search.
    statement = text(f"SELECT tier, array_agg(id) FROM (SELECT id, CASE WHEN name_exact = :exact THEN 0 "  # noqa: S608 - fixed SQL, values bound
                     f"{tiers} ELSE {TIERS} END AS tier FROM search_documents WHERE NOT gone AND id < :size "
                     f"{'AND id IN :only ' if only is not None else ''}AND ({' OR '.join(matches)})) matched "
                     "GROUP BY tier")
    params = {"exact": exact, "size": data.size, **q}
    if only is not None:
        statement = statement.bindparams(bindparam("only", expanding=True))
        params["only"] = only
    for tier, docnums in session.execute(statement, params):
        by_tier[tier] = docnums
    return by_tier


def _remember(data: pg_data.PgData, key, value) -> None:
    data.words[key] = value
    while len(data.words) > pg_data.WORD_CACHE_SIZE:
        data.words.popitem(last=False)


def _language_mask(session: Session, data: pg_data.PgData, languages: list[str]) -> int:
    """Listings in any of the languages: listed as speaking it, or naming it in their own words;
    a listing that gives no language is in English."""
    key = ("languages", tuple(languages))
    known = data.words.get(key)
    if known is not None and known[0] == data.version:
        return known[1]
    spoken = data.terms["languages"]
    mask = 0
    names = [name for code in languages for name in names_of(code)]
    for code in languages:
        mask |= spoken.get(code, 0)
        if code == "english":
            any_language = 0
            for option in spoken.values():
                any_language |= option
            mask |= data.live & ~any_language
    if names:
        phrases = " || ".join(f"phraseto_tsquery(CAST(:config AS regconfig), :n{i})" for i in range(len(names)))
        rows = session.execute(text(f"SELECT id FROM search_documents WHERE NOT gone AND id < :size "  # noqa: S608 - values bound
                                    f"AND vector @@ ({phrases})"),
                               {"config": CONFIG, "size": data.size} | {f"n{i}": name for i, name in enumerate(names)}
                               ).scalars().all()
        mask |= mask_of(rows, data.size)
    mask &= data.live
    _remember(data, key, (data.version, mask))
    return mask


def _extension(session: Session, name: str) -> str:
    """The schema an extension's functions live in (wherever the database put it), quoted."""
    key = (str(session.get_bind().url), name)
    if key not in _extension_schemas:
        schema = session.execute(text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                      "ON n.oid = e.extnamespace WHERE e.extname = :name"), {"name": name}).scalar_one()
        _extension_schemas[key] = '"' + schema.replace('"', '""') + '"'
    return _extension_schemas[key]


def _suggest(session: Session, parts: list[tuple[str, bool]], districts: list[str]) -> str | None:
    """'befreinding' -> 'befriending' (only when a word changes; languages are left as typed)."""
    trgm, fuzzy = _extension(session, "pg_trgm"), _extension(session, "fuzzystrmatch")
    session.execute(text("SELECT set_config('pg_trgm.similarity_threshold', '0.2', true)"))
    closest = text(
        "SELECT EXISTS (SELECT 1 FROM search_words WHERE word = :w), "  # noqa: S608 - schema names quoted, values bound
        f"(SELECT word FROM search_words WHERE word OPERATOR({trgm}.%) :w AND {fuzzy}.levenshtein(word, :w) <= 2 "
        f"ORDER BY {fuzzy}.levenshtein(word, :w), {trgm}.similarity(word, :w) DESC, word LIMIT 1)")
    changed = False
    out = []
    for word, is_language in parts:
        clean = spelling.clean(word)
        if is_language or len(clean) < 4:
            out.append(word)
            continue
        known, option = session.execute(closest, {"w": clean}).one()
        if not known and option and option != clean:
            out.append(option)
            changed = True
        else:
            out.append(word)
    return " ".join(out + districts) if changed else None


def _hits(session: Session, docnums: list[int]) -> list[Hit]:
    if not docnums:
        return []
    rows = session.execute(text("SELECT d.id, s.doc_id, d.display FROM search_displays d JOIN search_documents s "
                                "ON s.id = d.id WHERE d.id IN :ids")
                           .bindparams(bindparam("ids", expanding=True)), {"ids": docnums})
    found = {docnum: Hit(doc_id, display) for docnum, doc_id, display in rows}
    return [found[d] for d in docnums if d in found]


def search(said: LanguageWords, typed: str, districts_in_query: list[str], filters: Filters, sort: str,
           near: str | None, page: int, page_size: int) -> Results:
    session = db.session
    session.execute(text("SET LOCAL jit = off"))  # compiling costs more than these short queries take
    build = pg_data.built(session)
    if build is None:
        raise NotBuilt("The PostgreSQL search table has not been built: run `flask search reindex`")
    with pg_data.lock:  # the masks change in place as they catch up: one thread at a time reads them
        data = pg_data.current(session, build)
        flags = data.flags(now())
        words = said.words
        has_words = bool(words.strip())
        words_mask, tiers = (_words_masks(session, data, words, typed) if has_words or said.languages
                             else (data.live, []))
        if said.languages:
            words_mask &= _language_mask(session, data, said.languages)
        answer = masks.answer(data, flags, words_mask, tiers, filters, sort, near, page, page_size)
    suggestion = _suggest(session, said.parts, districts_in_query) if answer.total < 3 and has_words else None
    return Results(hits=_hits(session, answer.docnums), total=answer.total, page=answer.page, pages=answer.pages,
                   counts=answer.counts, suggestion=suggestion, near=near, sort=sort)
