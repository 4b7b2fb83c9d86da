"""The PostgreSQL backend's filter masks, kept in each process and caught up from the database.

The words of a search are matched by PostgreSQL (pg_query.py); the filters, the counts beside
every option and the order of the page are the same bitmask sums the Whoosh backend does
(masks.py), over masks read from `search_documents`: one bit per row id.

Rows carry a `version` given out in commit order (pg_write.py), so before each search a process
asks only for the rows whose version is newer than the last it saw (none, almost always: one
indexed look-up) and updates the masks of just those rows. A change made on any host is in the
next search on every host. Nothing is kept on disk.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, insort
from collections import OrderedDict
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.search.facets import DATE_FIELDS, MULTI_FIELDS, mask_of

SHIFT = 2**26  # a date's sort key: seconds * SHIFT + row id (row ids below 67 million)
FULL_REORDER = 2000  # more changed rows than this: sort the names afresh rather than one by one
WORD_CACHE_SIZE = 2000
CHANGE_LOG = 64  # catchings-up remembered, so that words searched before need only the rows since
RECHECK_MOST = 5000  # more rows changed than this: the words are searched afresh
lock = threading.RLock()  # held while masks are caught up and while a search reads them
_cache: dict[tuple, PgData] = {}
# Plain SQL: without SQLAlchemy's per-value processing of the arrays (seconds at this size).
_CHANGED = text("SELECT " + ", ".join(("id", "version", "gone", *MULTI_FIELDS, "free", "located", "rating",  # noqa: S608
                                       *DATE_FIELDS, "sort_name"))
                + " FROM search_documents WHERE version > :version ORDER BY version LIMIT :most")


def _seconds(moment: datetime | None) -> int | None:
    return int(moment.replace(tzinfo=UTC).timestamp()) if moment else None


class DateColumn:
    """Rows whose date is still ahead (taking clients, checked recently, still listed), as a
    mask that is moved on minute by minute by clearing only the rows whose date has passed."""

    def __init__(self) -> None:
        self.value: dict[int, int] = {}  # row id -> seconds
        self.keys: list[int] = []  # seconds * SHIFT + row id, in order
        self.limit = 0
        self.mask = 0

    def update(self, changes: dict[int, int | None]) -> None:
        """Rows' new dates (None: no date, or gone). A few are moved one by one; many, re-sorted."""
        if not changes:
            return
        one_by_one = len(changes) <= FULL_REORDER
        for docnum, seconds in changes.items():
            old = self.value.pop(docnum, None)
            if old is not None and one_by_one:
                del self.keys[bisect_left(self.keys, old * SHIFT + docnum)]
            if seconds is not None:
                self.value[docnum] = seconds
                if one_by_one:
                    insort(self.keys, seconds * SHIFT + docnum)
        if not one_by_one:
            self.keys = sorted(seconds * SHIFT + docnum for docnum, seconds in self.value.items())
        ahead = [docnum for docnum, seconds in changes.items() if seconds is not None and seconds >= self.limit]
        size = max(changes) + 1
        self.mask = (self.mask & ~mask_of(changes, size)) | mask_of(ahead, size)

    def at(self, limit: int) -> int:
        if limit > self.limit:
            start, end = bisect_left(self.keys, self.limit * SHIFT), bisect_left(self.keys, limit * SHIFT)
            passed = [key % SHIFT for key in self.keys[start:end]]
            if passed:
                self.mask &= ~mask_of(passed, max(passed) + 1)
            self.limit = limit
        return self.mask


class PgData:
    """One database's masks in this process, as of `version`."""

    def __init__(self) -> None:
        self.version = 0
        self.size = 0
        self.live = self.free = self.located = 0
        self.terms: dict[str, dict[str, int]] = {name: {} for name in (*MULTI_FIELDS, "rating")}
        self.names: list[str] = []
        self.order: list[int] = []  # row ids A to Z by name (ties by id)
        self.dates = {name: DateColumn() for name in DATE_FIELDS}
        self.words: OrderedDict[tuple, tuple[int, object]] = OrderedDict()  # (version, masks) of words searched
        self.log: list[tuple[int, list[int]]] = []  # (version, row ids) of each catching up, latest last
        self.log_floor = 0  # the log knows every change after this version
        self._rating_groups: list[int] | None = None

    def sort_key(self, docnum: int) -> tuple[str, int]:
        return self.names[docnum], docnum

    def flags(self, now: datetime) -> dict[str, int]:
        limit = int(now.replace(second=0, microsecond=0, tzinfo=UTC).timestamp())
        return {name: column.at(limit) & self.live for name, column in self.dates.items()}

    def rating_groups(self) -> list[int]:
        if self._rating_groups is None:
            ratings = self.terms["rating"]
            self._rating_groups = [ratings[value] for value in sorted(ratings, key=int, reverse=True)]
        return self._rating_groups

    def apply(self, rows: list) -> None:
        """Bring the masks up to these changed rows (in version order)."""
        if not rows:
            return
        latest = {row.id: row for row in rows}
        old_size = self.size
        self.size = max(self.size, max(latest) + 1)
        changed = mask_of(latest, self.size)
        keep = ~changed
        added: dict[str, dict[str, list[int]]] = {name: {} for name in self.terms}
        live, free, located = [], [], []
        for docnum, row in latest.items():
            if row.gone:
                continue
            live.append(docnum)
            if row.free:
                free.append(docnum)
            if row.located:
                located.append(docnum)
            added["kind"].setdefault(row.kind, []).append(docnum)
            for name in MULTI_FIELDS[1:]:
                for value in getattr(row, name) or ():
                    added[name].setdefault(value, []).append(docnum)
            added["rating"].setdefault(str(row.rating or 0), []).append(docnum)
        for name, values in self.terms.items():
            for value in list(values):
                values[value] &= keep
            for value, docnums in added[name].items():
                values[value] = values.get(value, 0) | mask_of(docnums, self.size)
            for value in [v for v, mask in values.items() if not mask]:
                del values[value]
        self.live = (self.live & keep) | mask_of(live, self.size)
        self.free = (self.free & keep) | mask_of(free, self.size)
        self.located = (self.located & keep) | mask_of(located, self.size)
        self._order(latest, old_size)
        for name, column in self.dates.items():
            column.update({docnum: None if row.gone else _seconds(getattr(row, name)) for docnum, row in latest.items()})
        self.version = max(row.version for row in rows)
        self.log.append((self.version, list(latest)))
        while len(self.log) > CHANGE_LOG:
            self.log_floor = self.log.pop(0)[0]
        self._rating_groups = None

    def changed_since(self, version: int) -> list[int] | None:
        """The rows changed after `version`, or None when too many (or too long ago) to ask about."""
        if version < self.log_floor:
            return None
        changed: set[int] = set()
        for at, docnums in self.log:
            if at > version:
                changed.update(docnums)
        return sorted(changed) if len(changed) <= RECHECK_MOST else None

    def _order(self, latest: dict, old_size: int) -> None:
        if len(self.names) < self.size:
            self.names.extend([""] * (self.size - len(self.names)))
        if len(latest) > FULL_REORDER:
            for docnum, row in latest.items():
                self.names[docnum] = row.sort_name or ""
            self.order = sorted(range(self.size), key=self.names.__getitem__)  # stable: ties by row id
            return
        for docnum, row in latest.items():
            if docnum < old_size:
                at = bisect_left(self.order, self.sort_key(docnum), key=self.sort_key)
                if at < len(self.order) and self.order[at] == docnum:
                    del self.order[at]
            self.names[docnum] = row.sort_name or ""
            insort(self.order, docnum, key=self.sort_key)


# Loading every row's filter values one by one into Python takes most of a minute at 500,000
# listings; PostgreSQL groups them instead: one list of row ids per filter option.
_GROUPED = " UNION ALL ".join([
    "SELECT 'kind', kind, array_agg(id) FROM search_documents WHERE NOT gone AND id < :size GROUP BY kind",
    *(f"SELECT '{name}', v, array_agg(id) FROM search_documents, unnest({name}) v WHERE NOT gone AND id < :size GROUP BY v"  # noqa: S608
      for name in MULTI_FIELDS[1:]),
    "SELECT 'rating', rating::text, array_agg(id) FROM search_documents WHERE NOT gone AND id < :size GROUP BY rating",
    "SELECT 'flag', 'free', array_agg(id) FROM search_documents WHERE NOT gone AND id < :size AND free",
    "SELECT 'flag', 'located', array_agg(id) FROM search_documents WHERE NOT gone AND id < :size AND located",
    "SELECT 'flag', 'live', array_agg(id) FROM search_documents WHERE NOT gone AND id < :size",
])
_DATES = text("SELECT id, " + ", ".join(f"floor(extract(epoch FROM {name}))::bigint" for name in DATE_FIELDS)  # noqa: S608
              + " FROM search_documents WHERE NOT gone AND id < :size")
_NAMES = text('SELECT id, sort_name FROM search_documents ORDER BY sort_name COLLATE "C", id')


def _load_all(session: Session, data: PgData) -> None:
    """Every row at once, grouped by PostgreSQL (then caught up like any other change)."""
    data.version = session.execute(text("SELECT coalesce(max(version), 0) FROM search_documents")).scalar_one()
    # Each statement sees what is committed when it starts; rows changed meanwhile have newer
    # versions, so the catching up that follows puts them right. Rows added meanwhile (past the
    # names read here) are left to it as well.
    named = session.execute(_NAMES).all()
    data.size = max((docnum for docnum, _ in named), default=0) + 1
    data.names = [""] * data.size
    data.order = []
    for docnum, name in named:
        data.names[docnum] = name
        data.order.append(docnum)
    for field, value, ids in session.execute(text(_GROUPED), {"size": data.size}):
        mask = mask_of(ids or (), data.size)
        if field == "flag":
            setattr(data, value, mask)
        elif mask:
            data.terms[field][value] = mask
    dates: dict[str, dict[int, int | None]] = {name: {} for name in DATE_FIELDS}
    for docnum, *values in session.execute(_DATES, {"size": data.size}):
        for name, value in zip(DATE_FIELDS, values, strict=True):
            dates[name][docnum] = value
    for name, column in data.dates.items():
        column.update(dates[name])


def built(session: Session) -> str | None:
    """The table's build id, None until `flask search reindex` has filled it."""
    return session.execute(text("SELECT build_id FROM search_state WHERE backend = 'postgresql'")).scalar()


def current(session: Session, build_id: str) -> PgData:
    """This database's masks, caught up with every change committed so far."""
    key = (str(session.get_bind().url), build_id)
    with lock:
        data = _cache.get(key)
        if data is None:
            _cache.clear()  # another database or build: nothing of the old one is needed
            data = PgData()
            _load_all(session, data)
            data.log_floor = data.version
            _cache[key] = data
        most = max(FULL_REORDER, data.size // 5)
        rows = session.execute(_CHANGED, {"version": data.version, "most": most + 1}).all()
        if len(rows) > most:  # rebuilt meanwhile, say: read it all again, grouped, rather than row by row
            data = PgData()
            _load_all(session, data)
            data.log_floor = data.version
            _cache[key] = data
            rows = session.execute(_CHANGED, {"version": data.version, "most": None}).all()
        data.apply(rows)
    return data
