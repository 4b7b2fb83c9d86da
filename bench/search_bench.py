"""Directory search benchmark: a synthetic directory of realistic community services, then

  * the time to build the Whoosh index from the database, and its size on disk;
  * median and 95th-percentile times of realistic queries (words plus filters) through the
    search service the directory page uses (`app.search.services.search`), with the counts
    beside every filter option and "Did you mean" included, as the page shows them;
  * the same queries answered by a plain SQL `LIKE` search (matches, total and first page,
    no filter counts), for comparison.

Run:  .venv/bin/python bench/search_bench.py [--entries 50000] [--queries 200] [--database-url URL]

It works in a temporary folder (SQLite by default) and leaves nothing behind. Results go in
docs/benchmarks.md, by hand, with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def load(count: int) -> float:
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

    import uuid

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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def folder_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ourchoice-bench-"))
    try:
        from flask_migrate import upgrade

        from app import create_app
        from app.config import BaseConfig, normalise_database_url

        class Config(BaseConfig):
            SQLALCHEMY_DATABASE_URI = normalise_database_url(args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}")
            SEARCH_INDEX_DIR = str(folder / "search-index")
            SECRET_KEY = "benchmark"  # noqa: S105 - a throwaway app in a temporary folder
            MAIL_BACKEND = "file"
            MAIL_FILE_DIR = str(folder / "mail")

        app = create_app(Config)
        with app.app_context():
            from app.extensions import db
            from app.search import queue
            from app.search import services as search
            from app.taxonomy.models import ServiceCategory

            if args.database_url:
                db.drop_all()
                db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
                db.session.commit()
            upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
            print(f"Loading {args.entries:,} synthetic entries...", flush=True)
            load_seconds = load(args.entries)

            started = time.perf_counter()
            count = queue.reindex()
            build_seconds = time.perf_counter() - started
            size = folder_size(Path(Config.SEARCH_INDEX_DIR))

            slugs = [c.slug for c in db.session.scalars(db.select(ServiceCategory))]
            queries = list(realistic_queries(args.queries, slugs))
            started = time.perf_counter()
            search.search("lunch")  # the first search opens the index
            first_ms = (time.perf_counter() - started) * 1000
            service_ms, like_ms, totals = [], [], []
            for words, filters, sort in queries:
                started = time.perf_counter()
                results = search.search(words, filters, sort=sort)
                service_ms.append((time.perf_counter() - started) * 1000)
                assert not results.fallback, "the index should answer"
                totals.append(results.total)
                started = time.perf_counter()
                like_search(words, filters)
                like_ms.append((time.perf_counter() - started) * 1000)

            # One hub lead's edit: applying it to the index, then the first search after it (which
            # reads the new version's filter masks).
            from app.directory.models import DirectoryEntry

            entry = db.session.get(DirectoryEntry, 1)
            entry.name = f"{entry.name} (changed)"
            db.session.commit()
            started = time.perf_counter()
            queue.process_queue()
            apply_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            search.search("lunch", search.Filters(districts=["W9"]))
            after_change_ms = (time.perf_counter() - started) * 1000
            database = db.engine.url.get_backend_name()
        print()
        print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
              f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
        print(f"Database: {database}; entries loaded in {load_seconds:.1f} s")
        print(f"Index: {count:,} documents built in {build_seconds:.1f} s, {size / 1_048_576:.1f} MB on disk")
        print(f"First search (opening the index): {first_ms:.0f} ms")
        print(f"One change: applied to the index in {apply_ms:.0f} ms; the first search after it took "
              f"{after_change_ms:.0f} ms")
        print(f"{len(queries)} queries, median results {statistics.median(totals):,.0f}")
        print(f"Search service (Whoosh, with filter counts): median {statistics.median(service_ms):.1f} ms, "
              f"95th percentile {percentile(service_ms, 0.95):.1f} ms, max {max(service_ms):.1f} ms")
        print(f"SQL LIKE (matches and first page only):      median {statistics.median(like_ms):.1f} ms, "
              f"95th percentile {percentile(like_ms, 0.95):.1f} ms, max {max(like_ms):.1f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
