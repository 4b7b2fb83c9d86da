"""Directory search benchmark: a synthetic directory of realistic community services, loaded once
per size into one database, then for each search backend (Whoosh, PostgreSQL full-text search):

  * the time to build its index from the database (`search.reindex`), and its size (on disk for
    Whoosh; `search_documents` and `search_words` for PostgreSQL);
  * median, 95th and 99th percentile and slowest times of the same realistic queries (words plus
    filters) through the search service the directory page uses (`app.search.services.search`),
    with the counts beside every filter option and "Did you mean" included, as the page shows them;
  * one change (entry 1 renamed): the commit, applying it (Whoosh's queue), and the first search
    after it, which must find the new name;
  * whether the backends agree: the same total and the same first page for each query;
  * optionally (`--like`), the same queries answered by a plain SQL `LIKE` search.

Run:  .venv/bin/python bench/search_bench.py [--entries 50000 [500000 ...]] [--queries 200]
          [--backends whoosh,postgresql] [--database-url postgresql://...] [--like]

PostgreSQL full-text search needs --database-url (a database of its own: every table in it is
dropped, and it keeps the last size's data). With --backends whoosh and no URL it uses SQLite in
a temporary folder, removed at the end. Each size ends with a Markdown table for
docs/benchmarks.md, to paste by hand.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_bench_report import (  # noqa: E402
    LABELS,
    Measures,
    agreement,
    describe_database,
    index_size,
    make_app,
    reset_database,
    table,
)

WORDS = {
    "activities": ["Lunch", "Befriending", "Walking", "Singing", "Knitting", "Gardening", "Art", "Chair Yoga",
                   "Swimming", "Reading", "Cooking", "Drama", "Coffee", "Tea Dance", "Bingo", "Computer",
                   "Memory", "Stroke", "Carers", "Advice", "Benefits", "Money", "Wheelchair", "Sight Loss",
                   "Deaf", "Dementia", "Bereavement", "Men's Shed", "Woodwork", "Music", "Exercise", "Tai Chi"],
    "kinds": ["Club", "Group", "Circle", "Drop-in", "Café", "Network", "Service", "Project", "Centre", "Scheme",
              "Hub", "Surgery", "Line", "Friends", "Session"],
    "places": ["Maida Vale", "Paddington", "Westbourne", "Queen's Park", "Notting Hill", "Ladbroke Grove",
               "Kensal", "St John's Wood", "Pimlico", "Victoria", "Chelsea", "Earl's Court", "South Kensington",
               "Bayswater", "Lisson Grove", "Church Street", "Harrow Road", "Westway", "Kilburn", "Fulham",
               "Hammersmith", "Shepherd's Bush", "Marylebone", "Soho", "Camden", "Holborn"],
    "who": ["older people", "carers", "disabled adults", "people with dementia", "people living alone",
            "young carers", "people with learning disabilities", "people with sight loss", "Deaf people",
            "people with mental health problems", "wheelchair users", "anyone over 55"],
    "offers": ["a hot lunch", "a friendly chat", "gentle exercise", "advice on benefits", "help with forms",
               "trips and outings", "a cup of tea", "music and singing", "support from people who understand",
               "transport to and from home", "a volunteer visitor", "help with shopping", "computer help"],
}
DISTRICTS = ["W1", "W2", "W8", "W9", "W10", "W11", "W12", "W14", "NW1", "NW6", "NW8", "NW10", "SW1", "SW3", "SW5",
             "SW6", "SW7", "SW10", "WC1", "WC2", "N1", "N7", "SE1", "SE11", "E1", "E2", "E8", "N16", "NW3", "NW5"]
ACCESS = ["step_free", "hearing_loop", "bsl", "accessible_toilet", "parking"]
LANGS = ["arabic", "bengali", "polish", "somali", "portuguese", "spanish", "urdu", "tamil", "cantonese", "farsi"]
MISSPELT = {"befriending": "befreinding", "dementia": "demenita", "carers": "carres", "wheelchair": "wheelchiar",
            "bereavement": "bereavment", "gardening": "gardning"}


def synthetic_entries(count: int, category_ids: list[int], seed: int = 7):
    rng = random.Random(seed)
    for number in range(count):
        activity = rng.choice(WORDS["activities"])
        place = rng.choice(WORDS["places"])
        name = f"{place} {activity} {rng.choice(WORDS['kinds'])}"
        if rng.random() < 0.3:
            name += f" {number}"  # many services share a name pattern; some are numbered
        who, offer = rng.choice(WORDS["who"]), rng.choice(WORDS["offers"])
        description = (f"A {activity.lower()} {rng.choice(['group', 'service', 'club'])} for {who} in {place}. "
                       f"We offer {offer} and {rng.choice(WORDS['offers'])}. Everyone is welcome; "
                       f"{rng.choice(['no need to book', 'please phone first', 'referral needed'])}.")
        free = rng.random() < 0.6
        yield {
            "name": name,
            "description": description,
            "tags": rng.sample(["lunch club", "home visits", "volunteers", "transport", "meals", "phone",
                                "outings", "music", "exercise", "forms", "advice"], k=rng.randint(0, 3)),
            "districts": sorted(set(rng.sample(DISTRICTS, k=rng.randint(1, 3)))),
            "categories": sorted(set(rng.sample(category_ids, k=rng.randint(1, 2)))),
            "is_free": free,
            "cost": "" if free else f"£{rng.randint(1, 12)}",
            "accessibility": sorted(rng.sample(ACCESS, k=rng.randint(0, 3))),
            "languages": sorted(rng.sample(LANGS, k=rng.choice([0, 0, 0, 1, 1, 2]))),
            "verified_days_ago": rng.randint(0, 800),
            "opening_times": rng.choice(["Mondays 10am to 12 noon", "Weekdays 9am to 5pm", "Saturdays 2pm to 4pm",
                                         "First Friday of the month", "By appointment"]),
        }


def realistic_queries(count: int, slugs: list[str], seed: int = 11):
    """Words people type, sometimes with a district, a misspelling or a phrase, plus filters."""
    from app.search.services import Filters

    rng = random.Random(seed)
    for _ in range(count):
        shape = rng.random()
        if shape < 0.35:
            words = rng.choice(WORDS["activities"]).lower()
        elif shape < 0.55:
            words = f"{rng.choice(WORDS['activities']).lower()} {rng.choice(DISTRICTS)}"
        elif shape < 0.7:
            words = f"{rng.choice(WORDS['activities']).lower()} {rng.choice(WORDS['kinds']).lower()}"
        elif shape < 0.8:
            words = rng.choice(list(MISSPELT.values()))
        elif shape < 0.9:
            words = f'"{rng.choice(["lunch club", "home visits", "hot lunch", "friendly chat"])}"'
        else:
            words = ""
        filters = Filters()
        if rng.random() < 0.4:
            filters.districts = [rng.choice(DISTRICTS)]
        if rng.random() < 0.3:
            filters.categories = [rng.choice(slugs)]
        if rng.random() < 0.2:
            filters.languages = [rng.choice(LANGS)]
        if rng.random() < 0.2:
            filters.free = True
        if rng.random() < 0.1:
            filters.accessibility = [rng.choice(ACCESS)]
        sort = rng.choice(["relevance", "relevance", "relevance", "nearest"])
        yield words, filters, sort


def like_search(words: str, filters, page_size: int = 20):
    """The comparison: the plainest SQL a team might write instead."""
    from sqlalchemy import and_, func, or_, select

    from app.directory.models import DirectoryEntry, DirectoryEntryCategory, DirectoryEntryDistrict, EntryStatus
    from app.extensions import db
    from app.search.services import split_query
    from app.taxonomy.models import ServiceCategory

    text, districts = split_query(words.replace('"', ""))
    conditions = [DirectoryEntry.status == EntryStatus.PUBLISHED]
    for word in text.split():
        pattern = f"%{word}%"
        conditions.append(or_(DirectoryEntry.name.ilike(pattern), DirectoryEntry.description.ilike(pattern)))
    chosen = list(filters.districts) + districts
    if chosen:
        conditions.append(DirectoryEntry.districts.any(DirectoryEntryDistrict.district.in_(chosen)))
    if filters.categories:
        conditions.append(DirectoryEntry.categories.any(DirectoryEntryCategory.category.has(
            ServiceCategory.slug.in_(filters.categories))))
    if filters.free:
        conditions.append(DirectoryEntry.is_free.is_(True))
    for value in filters.languages:
        conditions.append(DirectoryEntry.languages.cast(db.String).like(f'%"{value}"%'))
    for value in filters.accessibility:
        conditions.append(DirectoryEntry.accessibility.cast(db.String).like(f'%"{value}"%'))
    where = and_(*conditions)
    total = db.session.scalar(select(func.count()).select_from(DirectoryEntry).where(where))
    rows = db.session.scalars(select(DirectoryEntry.name).where(where).order_by(DirectoryEntry.name)
                              .limit(page_size)).all()
    return total, rows


def load(count: int, progress=None) -> float:
    """Insert `count` entries in batches of 5,000 (each committed, so memory stays bounded),
    calling `progress(done_so_far)` after each batch."""
    import uuid

    from sqlalchemy import delete, insert, select

    from app.core.timeutil import today_in_london, utcnow
    from app.directory.models import DirectoryEntry, DirectoryEntryCategory, DirectoryEntryDistrict
    from app.extensions import db
    from app.search.models import SearchQueueItem
    from app.taxonomy.models import ServiceCategory

    started = time.perf_counter()
    category_ids = list(db.session.scalars(select(ServiceCategory.id).where(ServiceCategory.slug != "brokerage")))
    today, now = today_in_london(), utcnow()
    batch: list[dict] = []
    next_id = 1

    def flush(rows: list[dict]) -> None:
        db.session.execute(insert(DirectoryEntry), [{
            "id": row["id"], "uuid": row["uuid"], "name": row["name"], "organisation_name": "",
            "description": row["description"], "tags": row["tags"], "address": "", "postcode": "", "email": "",
            "phone": "", "website": "", "opening_times": row["opening_times"], "is_free": row["is_free"],
            "cost": row["cost"], "eligibility": "", "accessibility": row["accessibility"],
            "languages": row["languages"], "status": "published",
            "last_verified_on": today - timedelta(days=row["verified_days_ago"]), "created_at": now,
            "updated_at": now} for row in rows])
        db.session.execute(insert(DirectoryEntryCategory), [
            {"entry_id": row["id"], "category_id": c} for row in rows for c in row["categories"]])
        db.session.execute(insert(DirectoryEntryDistrict), [
            {"entry_id": row["id"], "district": d} for row in rows for d in row["districts"]])
        db.session.commit()
        if progress is not None:
            progress(rows[-1]["id"])

    for row in synthetic_entries(count, category_ids):
        row["id"], row["uuid"] = next_id, str(uuid.uuid4())
        next_id += 1
        batch.append(row)
        if len(batch) == 5000:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    db.session.execute(delete(SearchQueueItem))  # the rebuild reads everything anyway
    db.session.commit()
    return time.perf_counter() - started


def measure(backend: str, queries: list) -> Measures:
    """Build the backend's index, then time the first search and every query (in its app context)."""
    from flask import current_app

    from app.search import services as search
    from app.search.progress import reporter

    m = Measures(backend)
    if backend == "whoosh":  # a new, empty folder for each size (the filter masks are kept per folder
        # and generation, so a folder used again would show the last size's); the last one removed
        previous = Path(current_app.config["SEARCH_INDEX_DIR"])
        shutil.rmtree(previous, ignore_errors=True)
        current_app.config["SEARCH_INDEX_DIR"] = tempfile.mkdtemp(prefix="search-index-whoosh-", dir=previous.parent)
    m.listed = search.listing_count()
    progress = reporter(m.listed, f"Building the {LABELS[backend]} index")
    started = time.perf_counter()
    m.indexed = search.reindex(progress=progress)
    m.build_seconds = time.perf_counter() - started
    progress.finish()
    m.size = index_size(backend)

    started = time.perf_counter()
    results = search.search("lunch")  # the first search opens the index
    m.first_ms = (time.perf_counter() - started) * 1000
    assert not results.fallback, f"{backend} should answer the first search itself"
    for words, filters, sort in queries:
        started = time.perf_counter()
        results = search.search(words, filters, sort=sort)
        m.query_ms.append((time.perf_counter() - started) * 1000)
        assert not results.fallback, f"{backend} should answer {words!r} itself"
        m.totals.append(results.total)
        m.pages.append(tuple(hit.display.get("name", hit.doc_id) for hit in results.hits))
    for words, filters, sort in queries:  # again: each word's documents are now known to this process
        started = time.perf_counter()
        search.search(words, filters, sort=sort)
        m.again_ms.append((time.perf_counter() - started) * 1000)
    return m


# The word each backend's change adds to entry 1's name (in no synthetic entry), then searched for.
CHANGE_WORDS = {"whoosh": "Kingfisher", "postgresql": "Nightingale"}


def change(m: Measures, original_name: str) -> None:
    """One hub lead's edit (entry 1 renamed): the commit, applying it to the index (Whoosh's queue;
    PostgreSQL writes it in the commit), and the first search after it, which must find it."""
    from app.directory.models import DirectoryEntry
    from app.extensions import db
    from app.search import queue
    from app.search import services as search

    word = CHANGE_WORDS[m.backend]
    new_name = f"{original_name} ({word})"
    db.session.get(DirectoryEntry, 1).name = new_name
    started = time.perf_counter()
    db.session.commit()
    m.commit_ms = (time.perf_counter() - started) * 1000
    if m.backend == "whoosh":
        started = time.perf_counter()
        queue.process_queue()
        m.apply_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    results = search.search(word.lower())
    m.found_ms = (time.perf_counter() - started) * 1000
    assert not results.fallback, f"{m.backend} should answer the search after the change itself"
    names = [hit.display.get("name") for hit in results.hits]
    m.found = new_name in names
    assert m.found, f"{LABELS[m.backend]}: searching for {word.lower()!r} found {names}, not {new_name!r}"


def time_like(queries: list) -> list[float]:
    from app.extensions import db

    times = []
    for words, filters, _sort in queries:
        started = time.perf_counter()
        like_search(words, filters)
        times.append((time.perf_counter() - started) * 1000)
    db.session.rollback()
    return times


def run_size(apps: dict, entries: int, count: int, like: bool) -> list[str]:
    """Load `entries` once, then measure every backend on them, each in its own app context.
    Returns what failed: a change the search did not find."""
    from app.directory.models import DirectoryEntry
    from app.extensions import db
    from app.search.progress import reporter
    from app.taxonomy.models import ServiceCategory

    first_app = next(iter(apps.values()))
    with first_app.app_context():
        reset_database()
        print(f"Loading {entries:,} synthetic entries...", flush=True)
        progress = reporter(entries, "Loading synthetic entries")
        load_seconds = load(entries, progress)
        progress.finish()
        slugs = [c.slug for c in db.session.scalars(db.select(ServiceCategory))]
        original_name = db.session.get(DirectoryEntry, 1).name
        database = describe_database()
    queries = list(realistic_queries(count, slugs))
    measures = []
    for backend, app in apps.items():
        with app.app_context():
            # The same queries (same seed) for each backend, made afresh in case a search changes its Filters.
            measures.append(measure(backend, list(realistic_queries(count, slugs))))
    like_ms = None
    if like:
        with first_app.app_context():
            print("SQL LIKE...", flush=True)
            like_ms = time_like(queries)
    # The changes come after every backend's queries, so that all of them answer the same data.
    failures = []
    for m, app in zip(measures, apps.values(), strict=True):
        with app.app_context():
            try:
                change(m, original_name)
            except AssertionError as exc:  # reported with the table, which is still worth having
                failures.append(f"{entries:,} entries: {exc}")

    print()
    by_backend = {m.backend: m for m in measures}
    if len(by_backend) == 2:
        print("\n".join(agreement(queries, by_backend["whoosh"], by_backend["postgresql"])))
        print()
    print("\n".join(table(entries, database, load_seconds, measures, like_ms)))
    print()
    return failures


def main() -> None:
    from app.config import normalise_database_url

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, nargs="+", default=[50_000], metavar="N",
                        help="one or more sizes, each loaded and measured in turn (default: 50000)")
    parser.add_argument("--backends", default="whoosh,postgresql",
                        help="comma-separated: whoosh, postgresql (default: both)")
    parser.add_argument("--queries", type=int, default=200, help="queries timed per backend (default: 200)")
    parser.add_argument("--database-url", help="needed for postgresql (every table in it is dropped); "
                                               "default for whoosh alone: SQLite in a temporary folder")
    parser.add_argument("--like", action="store_true", help="also time a plain SQL LIKE search (slow at 500,000)")
    args = parser.parse_args()

    backends = list(dict.fromkeys(name.strip().lower() for name in args.backends.split(",") if name.strip()))
    if not backends or set(backends) - set(LABELS):
        parser.error(f"--backends takes whoosh, postgresql or both (comma-separated), not {args.backends!r}")
    if min(args.entries) < 1 or args.queries < 1:
        parser.error("--entries and --queries must be at least 1")
    url = normalise_database_url(args.database_url) if args.database_url else ""
    if "postgresql" in backends and not url.startswith("postgresql"):
        parser.error("the postgresql backend needs a PostgreSQL database: pass --database-url "
                     "postgresql://USER@HOST:5432/NAME (a database of its own: every table in it is dropped), "
                     "or --backends whoosh to measure Whoosh alone")

    folder = Path(tempfile.mkdtemp(prefix="ourchoice-bench-"))
    try:
        url = url or f"sqlite:///{folder / 'bench.sqlite3'}"
        apps = {backend: make_app(backend, url, folder) for backend in backends}
        failures = [failure for entries in args.entries for failure in run_size(apps, entries, args.queries, args.like)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if failures:
        sys.exit("FAILED, a change was not found by the search after it:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
