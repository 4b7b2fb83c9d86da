"""The filters, counts and order of a search, as bitmasks (one Python int per set of
documents, one bit per document number), shared by both backends: the Whoosh index's masks
(facets.py) and the PostgreSQL backend's (pg_data.py) answer the same questions alike.

`data` is either backend's masks: `live`, `terms[facet][value]`, `free`, `located`,
`flags(now)` (still listed, taking clients, checked recently), `rating_groups()`, `size`,
`order` (document numbers A to Z) and `sort_key` (a document number's place A to Z).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.search import neighbours
from app.search.facets import count, docnums_of
from app.search.results import FLAG_FACETS, MULTI_FACETS, Filters


@dataclass
class Answer:
    docnums: list[int]  # the page's documents, in order
    total: int
    page: int
    pages: int
    counts: dict[str, dict[str, int]]


def _option_masks(data, flags: dict[str, int], filters: Filters) -> dict[str, int]:
    """For each filter in use, the documents it lets through."""
    chosen: dict[str, int] = {}
    for facet in MULTI_FACETS:
        values = filters.values(facet)
        if values:
            mask = 0
            for value in values:
                mask |= data.terms[facet].get(value, 0)
            chosen[facet] = mask
    if filters.free:
        chosen["free"] = data.free
    if filters.accepting:
        chosen["accepting"] = flags["accepting_until"]
    if filters.verified:
        chosen["verified"] = flags["verified_until"]
    return chosen


def _counts(data, flags: dict[str, int], words_mask: int, base: int,
            chosen: dict[str, int]) -> dict[str, dict[str, int]]:
    """The number beside each option: what ticking it would show, with the other filters as
    they are (so an option of a filter in use is counted without that filter)."""

    def without(skip: str) -> int:
        mask = words_mask & base
        for facet, allowed in chosen.items():
            if facet != skip:
                mask &= allowed
        return mask

    counts: dict[str, dict[str, int]] = {}
    for facet in MULTI_FACETS:
        pool = without(facet)
        counts[facet] = {value: n for value, option in data.terms[facet].items() if (n := count(pool & option))}
    flag_masks = {"free": data.free, "accepting": flags["accepting_until"], "verified": flags["verified_until"]}
    for facet in FLAG_FACETS:
        counts[facet] = {"yes": count(without(facet) & flag_masks[facet])}
    return counts


def _ring_masks(data, near: str) -> list[int]:
    """Documents in the district, then in its neighbours, then in the same postcode area."""
    terms = data.terms["districts"]
    here = terms.get(near.lower(), 0)
    close = 0
    for code in neighbours.neighbours(near):
        close |= terms.get(code.lower(), 0)
    prefix = neighbours.area(near).lower()
    area = 0
    for code, mask in terms.items():
        if prefix and code.startswith(prefix) and code[len(prefix):][:1].isdigit():
            area |= mask
    return [here, close & ~here, area & ~close & ~here]


def _disjoint(masks: list[int], universe: int) -> list[int]:
    """Each mask without what earlier ones took, then whatever is left."""
    out, taken = [], 0
    for mask in masks:
        out.append(mask & universe & ~taken)
        taken |= mask
    out.append(universe & ~taken)
    return out


def _alphabetical(data, mask: int, size: int, limit: int) -> list[int]:
    """The first `limit` documents of a group, A to Z."""
    if size <= 4000:
        docnums = docnums_of(mask, data.size)
        docnums.sort(key=data.sort_key)
        return docnums[:limit]
    members = mask.to_bytes((data.size + 7) // 8 or 1, "little")
    out = []
    for docnum in data.order:
        if members[docnum >> 3] >> (docnum & 7) & 1:
            out.append(docnum)
            if len(out) == limit:
                break
    return out


def _page_of(data, groups: list[int], start: int, page_size: int) -> list[int]:
    """Documents `start` to `start + page_size` of the groups, in order, each group A to Z."""
    out: list[int] = []
    skip = start
    for group in groups:
        size = count(group)
        if not size:
            continue
        if skip >= size:
            skip -= size
            continue
        wanted = page_size - len(out)
        out.extend(_alphabetical(data, group, size, skip + wanted)[skip:])
        skip = 0
        if len(out) >= page_size:
            break
    return out[:page_size]


def answer(data, flags: dict[str, int], words_mask: int, tiers: list[int], filters: Filters, sort: str,
           near: str | None, page: int, page_size: int) -> Answer:
    """What the words found (`words_mask`, ranked by `tiers`), filtered, counted, sorted and paged."""
    base = flags["listed_until"] & (data.located if filters.located else -1)
    chosen = _option_masks(data, flags, filters)
    matched = words_mask & base
    for allowed in chosen.values():
        matched &= allowed
    total = count(matched)
    pages = max(1, math.ceil(total / page_size))
    page = min(page, pages)
    if sort == "nearest" and near:
        primary = _disjoint(_ring_masks(data, near), matched)
    elif sort == "rating":
        primary = _disjoint(data.rating_groups(), matched)
    else:
        primary = [matched]
    groups = [tier for group in primary for tier in _disjoint(tiers, group)]
    return Answer(_page_of(data, groups, (page - 1) * page_size, page_size), total, page, pages,
                  _counts(data, flags, words_mask, base, chosen))
