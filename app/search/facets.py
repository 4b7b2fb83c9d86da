"""Fast filters and counts over the index, as bitmasks.

Counting every filter option with Whoosh's own facets costs hundreds of milliseconds on a large
directory. Instead every option's documents are read into a bitmask, a Python int with one bit
per document number, and a search filters and counts with a few `&` and `int.bit_count()`
calls, which take microseconds.

The masks are read per index *segment* and kept per process. A Whoosh segment never changes
once written (only which of its documents are deleted), so after a change, which adds a small
segment, only that segment is read: the large ones are reused, shifted to their place in the
index's document numbers.
"""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from whoosh.query import Query, Term
from whoosh.util.times import datetime_to_long

MULTI_FIELDS = ("kind", "categories", "districts", "languages", "accessibility")
DATE_FIELDS = ("accepting_until", "verified_until", "listed_until")
_NO_DATE = 2**63  # raw column values from here up mean "no date"
_BITS = [[bit for bit in range(8) if byte >> bit & 1] for byte in range(256)]
_lock = threading.RLock()
_versions: dict[tuple[str, int], IndexData] = {}  # (index folder, generation) -> data
_segments: dict[str, SegmentData] = {}  # segment id -> what was read from it
WORD_CACHE_SIZE = 5000  # masks of words and phrases searched for, per segment


def mask_of(docnums, size: int) -> int:
    buffer = bytearray((size + 7) // 8)
    for docnum in docnums:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


def docnums_of(mask: int, size: int) -> list[int]:
    out: list[int] = []
    for offset, byte in enumerate(mask.to_bytes((size + 7) // 8 or 1, "little")):
        if byte:
            base = offset * 8
            out.extend(base + bit for bit in _BITS[byte])
    return out


def count(mask: int) -> int:
    return mask.bit_count()


# --- One segment ----------------------------------------------------------------------------------


def _column(reader, name: str, size: int, *, translate: bool = False) -> list:
    if not reader.has_column(name):
        return [None] * size
    values = list(reader.column_reader(name, translate=translate))
    return values + [None] * (size - len(values))


@dataclass
class SegmentData:
    """What never changes in a segment: its documents' filter values, dates, names, ratings."""

    size: int
    terms: dict[str, dict[str, int]]
    free: int
    located: int
    dates: dict[str, list[int | None]]
    names: list[bytes]
    order: list[int]  # local document numbers, A to Z
    rating: list[int]
    words: OrderedDict = field(default_factory=OrderedDict)
    flags: dict = field(default_factory=dict)
    live: tuple[int, int] | None = None  # (documents not deleted, their mask)

    def live_mask(self, searcher) -> int:
        reader = searcher.reader()
        live_count = reader.doc_count()
        if self.live is None or self.live[0] != live_count:
            self.live = (live_count, mask_of(reader.all_doc_ids(), self.size))
        return self.live[1]

    def query(self, searcher, q: Query) -> int:
        key = repr(q)
        mask = self.words.get(key)
        if mask is None:
            mask = mask_of(searcher.docs_for_query(q), self.size)
            self.words[key] = mask
            while len(self.words) > WORD_CACHE_SIZE:
                self.words.popitem(last=False)
        else:
            self.words.move_to_end(key)
        return mask

    def flag_masks(self, minute: datetime) -> dict[str, int]:
        if self.flags.get("at") != minute:
            limit = datetime_to_long(minute)
            self.flags = {"at": minute, "masks": {
                name: mask_of((d for d, value in enumerate(values) if value is not None and value >= limit),
                              self.size) for name, values in self.dates.items()}}
        return self.flags["masks"]


def _read_segment(searcher) -> SegmentData:
    reader = searcher.reader()
    size = reader.doc_count_all()
    terms: dict[str, dict[str, int]] = {}
    for name in MULTI_FIELDS:
        terms[name] = {}
        for raw in reader.lexicon(name):
            value = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            terms[name][value] = mask_of(searcher.docs_for_query(Term(name, value)), size)
    dates = {}
    for name in DATE_FIELDS:
        # Whoosh fills documents without a date with the column's default, the largest long.
        dates[name] = [None if v is None or v >= _NO_DATE else v for v in _column(reader, name, size)]
    names = [v or b"" for v in _column(reader, "sort_name", size)]
    return SegmentData(
        size=size, terms=terms,
        free=mask_of(searcher.docs_for_query(Term("free", True)), size),
        located=mask_of(searcher.docs_for_query(Term("located", True)), size),
        dates=dates, names=names, order=sorted(range(size), key=names.__getitem__),
        rating=[v or 0 for v in _column(reader, "rating", size, translate=True)],
    )


# --- The whole index ---------------------------------------------------------------------------------


@dataclass
class IndexData:
    generation: int
    size: int
    parts: list[tuple[str, SegmentData, int]]  # (segment id, its data, offset)
    live: int
    terms: dict[str, dict[str, int]]
    free: int
    located: int
    name_rank: list[int]
    order: list[int]  # document numbers, A to Z by name
    rating: list[int]
    _flags: dict = field(default_factory=dict)
    _words: OrderedDict = field(default_factory=OrderedDict)
    _rating_groups: list | None = None

    def sort_key(self, docnum: int) -> int:
        """A document's place A to Z."""
        return self.name_rank[docnum]

    def query(self, searcher, q: Query) -> int:
        """The documents matching a query (a word, a phrase, a prefix...). Read per segment and
        remembered, so the next search for the same words, even after a change, is quick."""
        key = repr(q)
        with _lock:
            mask = self._words.get(key)
            if mask is None:
                mask = 0
                subs = _by_segment(searcher)
                for segment_id, data, offset in self.parts:
                    mask |= data.query(subs[segment_id], q) << offset
                mask &= self.live
                self._words[key] = mask
                while len(self._words) > WORD_CACHE_SIZE:
                    self._words.popitem(last=False)
        return mask

    def flags(self, now: datetime) -> dict[str, int]:
        """Masks of documents still listed, still taking clients, checked recently, as of now
        (to the minute; kept for the minute)."""
        minute = now.replace(second=0, microsecond=0)
        with _lock:
            if self._flags.get("at") != minute:
                masks = dict.fromkeys(DATE_FIELDS, 0)
                for _, data, offset in self.parts:
                    for name, mask in data.flag_masks(minute).items():
                        masks[name] |= mask << offset
                self._flags = {"at": minute, "masks": {k: v & self.live for k, v in masks.items()}}
            return self._flags["masks"]

    def rating_groups(self) -> list[int]:
        """Masks of documents by rating, best first."""
        if self._rating_groups is None:
            values = sorted(set(self.rating), reverse=True)
            self._rating_groups = [mask_of((d for d, r in enumerate(self.rating) if r == value), self.size) & self.live
                                   for value in values]
        return self._rating_groups


def _segment_id(searcher) -> str:
    segment = searcher.reader().segment()
    return segment.segment_id() if segment is not None else "empty"  # an index with no documents


def _named(data: SegmentData, offset: int):
    """A segment's documents A to Z, as (name, document number in the whole index)."""
    return ((data.names[d], offset + d) for d in data.order)


def _by_segment(searcher) -> dict[str, object]:
    """The searcher of each segment this (caller's own) searcher reads, by segment id."""
    return {_segment_id(sub): sub for sub, _ in searcher.subsearchers or [(searcher, 0)]}


def _combine(searcher, generation: int) -> IndexData:
    parts = []
    subs = _by_segment(searcher)
    for sub, offset in searcher.subsearchers or [(searcher, 0)]:
        segment_id = _segment_id(sub)
        data = _segments.get(segment_id) if segment_id != "empty" else None
        if data is None:
            data = _segments[segment_id] = _read_segment(sub)
        parts.append((segment_id, data, offset))
    size = searcher.reader().doc_count_all()
    live = free = located = 0
    terms: dict[str, dict[str, int]] = {name: {} for name in MULTI_FIELDS}
    rating: list[int] = []
    for segment_id, data, offset in parts:
        live |= data.live_mask(subs[segment_id]) << offset
        free |= data.free << offset
        located |= data.located << offset
        for name, values in data.terms.items():
            for value, mask in values.items():
                terms[name][value] = terms[name].get(value, 0) | mask << offset
        rating.extend(data.rating)
    for values in terms.values():
        for value in values:
            values[value] &= live
    order = [docnum for _, docnum in heapq.merge(*[_named(data, offset) for _, data, offset in parts])]
    name_rank = [0] * size
    for rank, docnum in enumerate(order):
        name_rank[docnum] = rank
    current = set(subs)
    for segment_id in list(_segments):  # segments merged away are not needed again
        if segment_id not in current:
            del _segments[segment_id]
    return IndexData(generation=generation, size=size, parts=parts, live=live, terms=terms, free=free & live,
                     located=located & live, name_rank=name_rank, order=order, rating=rating)


def data_for(searcher, path: str) -> IndexData:
    """The masks for the index version this searcher reads. The two latest versions are kept,
    for threads whose searchers have not moved on yet."""
    generation = searcher.reader().generation()
    key = (path, generation)
    current = _versions.get(key)
    if current is not None:
        return current
    with _lock:
        current = _versions.get(key)
        if current is None:
            current = _versions[key] = _combine(searcher, generation)
            _keep_two_latest(path)
    return current


def _keep_two_latest(path: str) -> None:
    """Forget all but the two latest versions of this index. A reader of an index with no
    segments yet has no generation (None): it counts as the oldest."""
    keys = sorted((k for k in _versions if k[0] == path), key=lambda k: -1 if k[1] is None else k[1])
    for old in keys[:-2]:
        del _versions[old]
