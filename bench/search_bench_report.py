"""Helpers of bench/search_bench.py: the database and the app it builds for each backend, what it
measures for one backend at one size, and how that is printed (the agreement between two
backends, and a Markdown table ready for docs/benchmarks.md)."""

from __future__ import annotations

import os
import platform
import resource
import statistics
from dataclasses import dataclass, field, fields
from pathlib import Path

LABELS = {"whoosh": "Whoosh", "postgresql": "PostgreSQL full-text"}


@dataclass
class Measures:
    backend: str
    listed: int = 0  # search.listing_count() before the build
    indexed: int = 0  # what search.reindex() returned
    build_seconds: float = 0.0
    size: str = ""
    first_ms: float = 0.0
    query_ms: list[float] = field(default_factory=list)
    again_ms: list[float] = field(default_factory=list)  # the same queries once more: words seen before
    totals: list[int] = field(default_factory=list)
    pages: list[tuple[str, ...]] = field(default_factory=list)  # the names on each query's first page
    commit_ms: float = 0.0
    apply_ms: float | None = None  # process_queue (Whoosh); None when the commit writes the change
    found_ms: float = 0.0  # the first search after the change, which finds the new name
    found: bool = True  # ...or not: then the bench fails, after printing the table


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def folder_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def peak_memory() -> str:
    """The bench process's peak resident memory so far (Linux reports kilobytes)."""
    return megabytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def machine_line() -> str:
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1_073_741_824:.0f} GB memory"
    return (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs{memory}, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def describe_query(words: str, filters, sort: str) -> str:
    chosen = [f"{f.name}={getattr(filters, f.name)}" for f in fields(filters) if getattr(filters, f.name)]
    return f"{words or '(no words)'!r} {' '.join(chosen)} sort={sort}".replace("  ", " ")


def agreement(queries: list, first: Measures, second: Measures, examples: int = 5) -> list[str]:
    """How many queries both backends answer with the same total and the same first page."""
    pairs = list(zip(queries, first.totals, second.totals, first.pages, second.pages, strict=True))
    same_total = sum(a == b for _, a, b, _, _ in pairs)
    same_page = sum(p == q for _, _, _, p, q in pairs)
    same_names = sum(set(p) == set(q) for _, _, _, p, q in pairs)
    a, b = LABELS[first.backend], LABELS[second.backend]
    lines = [f"{a} and {b}, of {len(pairs)} queries: the same total for {same_total}, the same first page "
             f"(names in the same order) for {same_page}, the same names in any order for {same_names}."]
    shown = 0
    for (words, filters, sort), total_a, total_b, page_a, page_b in pairs:
        if (total_a, page_a) == (total_b, page_b) or shown == examples:
            continue
        shown += 1
        lines.append(f"  {describe_query(words, filters, sort)}: total {total_a:,} / {total_b:,}")
        if page_a != page_b:
            only_a = [name for name in page_a if name not in page_b][:3]
            only_b = [name for name in page_b if name not in page_a][:3]
            if only_a or only_b:
                lines.append(f"    only {a}: {only_a}; only {b}: {only_b}")
            else:
                lines.append(f"    same names, other order; first three: {list(page_a[:3])} / {list(page_b[:3])}")
    return lines


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def table(entries: int, database: str, load_seconds: float, measures: list[Measures],
          like_ms: list[float] | None) -> list[str]:
    """Markdown: a row per measure, a column per backend."""
    queries = len(measures[0].query_ms) if measures else 0
    rows: list[tuple[str, list[str]]] = [
        ("entries listed / indexed", [f"{m.listed:,} / {m.indexed:,}" for m in measures]),
        ("index build from the database (`search.reindex`)", [f"{m.build_seconds:.1f} s" for m in measures]),
        ("index size", [m.size for m in measures]),
        ("first search (opening the index)", [_ms(m.first_ms) for m in measures]),
        ("**search service, median**", [f"**{_ms(statistics.median(m.query_ms))}**" for m in measures]),
        ("**search service, 95th percentile** (aim: under 50 ms)",
         [f"**{_ms(percentile(m.query_ms, 0.95))}**" for m in measures]),
        ("search service, 99th percentile", [_ms(percentile(m.query_ms, 0.99)) for m in measures]),
        (f"search service, slowest of {queries}", [_ms(max(m.query_ms)) for m in measures]),
        ("the same queries again (a running server: words seen before), median / 95th / 99th",
         [" / ".join(_ms(v) for v in (statistics.median(m.again_ms), percentile(m.again_ms, 0.95),
                                      percentile(m.again_ms, 0.99))) for m in measures]),
        ("median results per query", [f"{statistics.median(m.totals):,.0f}" for m in measures]),
        ("one change: the commit", [_ms(m.commit_ms) for m in measures]),
        ("one change: applied to the index (`process_queue`)",
         ["(in the commit)" if m.apply_ms is None else _ms(m.apply_ms) for m in measures]),
        ("one change: the first search after it (finds the new name)",
         [_ms(m.found_ms) if m.found else f"{_ms(m.found_ms)}, **not found**" for m in measures]),
        ("one change: from the commit until it is found",
         [_ms(m.commit_ms + (m.apply_ms or 0) + m.found_ms) if m.found else "never" for m in measures]),
    ]
    lines = [machine_line(), f"Database: {database}; {entries:,} entries loaded in {load_seconds:.1f} s; "
                             f"peak memory of the bench so far {peak_memory()}", "",
             f"| measure ({entries:,} entries) | " + " | ".join(LABELS[m.backend] for m in measures) + " |",
             "|---" * (len(measures) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(values) + " |" for name, values in rows]
    if like_ms:
        lines += ["", f"SQL `LIKE` (matches and first page only, no filter counts; the same {len(like_ms)} "
                      f"queries): median {_ms(statistics.median(like_ms))}, 95th percentile "
                      f"{_ms(percentile(like_ms, 0.95))}, 99th percentile {_ms(percentile(like_ms, 0.99))}, "
                      f"max {_ms(max(like_ms))}"]
    return lines


def describe_database() -> str:
    import sqlite3
    from importlib import metadata

    from app.extensions import db

    if db.engine.dialect.name == "postgresql":
        name = f"PostgreSQL {db.session.scalar(db.text('SHOW server_version'))}"
        db.session.rollback()
    else:
        name = f"SQLite {sqlite3.sqlite_version}"
    try:
        return f"{name}, whoosh-reloaded {metadata.version('whoosh-reloaded')}"
    except metadata.PackageNotFoundError:
        return name


def index_size(backend: str) -> str:
    from flask import current_app

    from app.extensions import db

    if backend == "whoosh":
        return f"{megabytes(folder_size(Path(current_app.config['SEARCH_INDEX_DIR'])))} on disk"
    documents, displays, words = (db.session.scalar(db.text(f"SELECT pg_total_relation_size('{name}')"))
                                  for name in ("search_documents", "search_displays", "search_words"))
    db.session.rollback()
    return (f"{megabytes(documents + displays + words)} (searched rows {megabytes(documents)}, what results show "
            f"{megabytes(displays)}, words {megabytes(words)})")


# What the migrations make in SQL on PostgreSQL besides the models' tables (the search tables,
# their sequence, the append-only triggers' functions), in the current schema, extensions' excepted.
LEFTOVERS = (
    ("TABLE", "SELECT format('%I', tablename) FROM pg_tables WHERE schemaname = current_schema()"),
    ("SEQUENCE", "SELECT format('%I', sequencename) FROM pg_sequences WHERE schemaname = current_schema()"),
    ("TEXT SEARCH CONFIGURATION", "SELECT format('%I', cfgname) FROM pg_ts_config c JOIN pg_namespace n "
                                  "ON n.oid = c.cfgnamespace WHERE n.nspname = current_schema()"),
    ("TEXT SEARCH DICTIONARY", "SELECT format('%I', dictname) FROM pg_ts_dict d JOIN pg_namespace n "
                               "ON n.oid = d.dictnamespace WHERE n.nspname = current_schema()"),
    ("FUNCTION", "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                 "WHERE n.nspname = current_schema() AND NOT EXISTS "
                 "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"),
)


def reset_database() -> None:
    """Drop every table (and on PostgreSQL what else the migrations made), then build the schema
    with the migrations."""
    from flask_migrate import upgrade

    from app.extensions import db

    db.drop_all()
    if db.engine.dialect.name == "postgresql":
        for kind, listing in LEFTOVERS:
            for name in db.session.scalars(db.text(listing)).all():
                db.session.execute(db.text(f"DROP {kind} IF EXISTS {name} CASCADE"))
    else:
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()
    upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))


def make_app(backend: str, url: str, folder: Path):
    from app import create_app
    from app.config import BaseConfig, engine_options

    class Config(BaseConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = engine_options(url)
        SEARCH_BACKEND = backend
        # Whoosh's index, in the temporary folder (for either backend, so nothing touches instance/).
        SEARCH_INDEX_DIR = str(folder / f"search-index-{backend}")
        SECRET_KEY = "benchmark"  # noqa: S105 - a throwaway app in a temporary folder
        MAIL_BACKEND = "file"
        MAIL_FILE_DIR = str(folder / "mail")

    return create_app(Config)
