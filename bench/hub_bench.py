"""How fast are the hub performance pages? 10 hubs, each with 50 brokers, 2,000 clients and a year
of 20,000 needs (about 5 providers told of each need and 3 offers on each, from 100 providers the
hubs share), their agreements, gaps, engagements, band hours, reviews and directory entries; then,
through the real views: the hub page (signed in as its lead, the default last 90 days), every hub
side by side (signed in as a platform admin), a CSV download and the list behind a number.

Run:  .venv/bin/python bench/hub_bench.py                        (SQLite, a temporary file)
      .venv/bin/python bench/hub_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/oc_hub_bench
      (an empty PostgreSQL database: the script builds the schema with the migrations)
Options: --hubs 10 --needs-per-hub 20000 --rounds 20; --measure-only measures data an earlier run
built at --database-url; --profile shows where one request of each page spends its time.

The rows are written in bulk (SQLAlchemy Core inserts in batches, ids given by hand), not through
the services. Each page is requested once to warm up, then --rounds times: the table gives the
median and 95th percentile (nearest rank), the SQL statements one request runs and the time spent
in them (in `cursor.execute`: on PostgreSQL the whole answer arrives there; SQLite only reaches the
first row and steps through the rest as rows are fetched, so its figure is a lower bound). Nothing
is asserted. Results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["OURCHOICE_ENV"] = "testing"

BROKERS_PER_HUB = 50
CLIENTS_PER_HUB = 2_000
PROVIDERS = 100
DIRECTORY_PER_HUB = 150
SUGGESTIONS_PER_HUB = 20
BATCH = 10_000
PASSWORD = "bench lantern orbit marmalade"  # noqa: S105 - a made-up password for the bench accounts
AREAS = ["W", "NW", "SW", "SE", "N", "E", "EC", "WC", "HA", "UB", "TW", "KT", "CR", "BR", "DA", "RM", "IG", "EN"]
FIRST = ["Amara", "Ben", "Chloe", "Dev", "Ewa", "Farid", "Grace", "Hana", "Idris", "Joan", "Kofi", "Lena", "Marek",
         "Nadia", "Owen", "Priya", "Rosa", "Sami", "Tomasz", "Uma", "Vikram", "Wen", "Yusuf", "Zara"]
LAST = ["Okafor", "Nowak", "Begum", "Hughes", "Silva", "Khan", "Murphy", "Adeyemi", "Chen", "Ali", "Evans", "Patel",
        "Kowalski", "Ahmed", "Rossi", "Campbell", "Osei", "Novak", "Jones", "Hassan"]
PROVIDER_WORDS = ["Maida", "Harrow Road", "Westway", "Kensal", "Lisson", "Church Street", "Queen's Park", "Bayswater",
                  "Pimlico", "Marylebone"]
PROVIDER_KINDS = ["Care", "Home Support", "Carers", "Personal Assistants", "Enablement"]

# What is measured: (name, who asks, address, aim in ms).
PAGES = [
    ("hub page, its lead (last 90 days)", "lead", "/hub/performance", 300),
    ("every hub side by side, platform admin", "admin", "/admin/hubs/performance", 1000),
    ("CSV download: providers", "lead", "/hub/performance?download=providers", None),
    ("list behind a number: needs posted", "lead", "/hub/performance/needs?measure=posted", None),
]


def make_app(url: str, folder: Path):
    import app.models  # noqa: F401 - every feature's models, so their relationships resolve
    from app import create_app
    from app.config import TestingConfig, engine_options

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_FILE_DIR = str(folder / "mail")
        SEARCH_INDEX_DIR = str(folder / "search")
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else engine_options(url)
        WTF_CSRF_ENABLED = False
        RATELIMIT_ENABLED = False

    return create_app(Config)


# --- Building the data ---------------------------------------------------------------------------


class Rows:
    """Rows waiting to be written, a table at a time (parents first), with their ids handed out
    here so rows can point at each other before any is written."""

    def __init__(self):
        from app.extensions import db

        self.order = {table: n for n, table in enumerate(db.metadata.sorted_tables)}
        self.ids: dict = {}
        self.waiting: dict = defaultdict(list)
        self.written: Counter = Counter()

    def add(self, model, **values) -> int:
        from sqlalchemy import func, select

        from app.extensions import db

        table = model.__table__
        if table not in self.ids:
            self.ids[table] = db.session.scalar(select(func.max(table.c.id))) or 0
        self.ids[table] += 1
        values["id"] = self.ids[table]
        self.waiting[table].append(values)
        return values["id"]

    def write(self) -> None:
        from app.extensions import db

        for table in sorted(self.waiting, key=self.order.__getitem__):
            rows = self.waiting[table]
            for start in range(0, len(rows), BATCH):
                db.session.execute(table.insert(), rows[start:start + BATCH])
            self.written[table.name] += len(rows)
        self.waiting.clear()
        db.session.commit()


def _name() -> str:
    return f"{random.choice(FIRST)} {random.choice(LAST)}"


def _user(rows: Rows, email: str, name: str, created_at, password_hash: str | None = None,
          admin: bool = False) -> int:
    from app.accounts.models import User

    return rows.add(User, email=email, name=name, password_hash=password_hash, email_verified_at=created_at,
                    created_at=created_at, is_platform_admin=admin)


def _capped(moment, now):
    return min(moment, now - timedelta(minutes=1))


def build(args, folder: Path) -> None:
    """The schema (by the migrations), then the people, providers and hubs, a hub at a time."""
    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from app.accounts.passwords import hash_password
    from app.brokers.models import AccreditedCourse, Band
    from app.core.timeutil import today_in_london, utcnow
    from app.extensions import db
    from app.providers.models import ProviderKind, ProviderOrganisation, ProviderStaff
    from app.taxonomy.models import ServiceCategory

    app = make_app(args.database_url, folder)
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
        started = time.perf_counter()
        now, today = utcnow(), today_in_london()
        rows = Rows()
        password = hash_password(PASSWORD)
        common = SimpleNamespace(
            now=now, today=today, password=password, needs=args.needs_per_hub,
            categories=list(db.session.scalars(select(ServiceCategory.id).where(ServiceCategory.active))),
            bands=list(db.session.execute(select(Band.id, Band.hours).where(Band.active))),
            admin=_user(rows, "admin@bench.test", "Bench Admin", now - timedelta(days=800), password, admin=True))
        common.course = rows.add(AccreditedCourse, title="Certificate in Support Brokerage (bench)",
                                 awarding_body="Open College Network London", level="Level 3", active=True,
                                 created_at=now - timedelta(days=800))
        common.providers = []
        for n in range(PROVIDERS):
            joined = now - timedelta(days=random.uniform(400, 900))
            organisation = rows.add(
                ProviderOrganisation, name=f"{random.choice(PROVIDER_WORDS)} {random.choice(PROVIDER_KINDS)} {n + 1}",
                kind=random.choice(list(ProviderKind)), created_at=joined, verified_at=joined + timedelta(days=3))
            staff = _user(rows, f"provider{n + 1}@bench.test", _name(), joined)
            rows.add(ProviderStaff, organisation_id=organisation, user_id=staff, is_owner=True, added_at=joined)
            common.providers.append((organisation, staff))
        rows.write()
        print(f"  people and {PROVIDERS} providers ({time.perf_counter() - started:.1f} s)", flush=True)
        for number in range(1, args.hubs + 1):
            hub_started = time.perf_counter()
            _hub(rows, number, common)
            before = Counter(rows.written)
            rows.write()
            made = rows.written - before
            print(f"  hub {number}/{args.hubs}: {made['needs']:,} needs, {made['need_recipients']:,} providers told, "
                  f"{made['offers']:,} offers, {made['service_agreements']:,} agreements, {made['gaps']:,} gaps, "
                  f"{made['engagements']:,} engagements, {made['time_entries']:,} time entries, "
                  f"{made['reviews']:,} reviews ({time.perf_counter() - hub_started:.1f} s)", flush=True)
        if db.engine.dialect.name == "postgresql":
            for name in rows.written:  # ids given by hand: the sequences move on past them
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                        f"(SELECT max(id) FROM {name}))"))
            db.session.commit()
            analysed = time.perf_counter()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))  # what autovacuum would soon do after a bulk load
            print(f"  ANALYZE ({time.perf_counter() - analysed:.1f} s)")
        total = sum(rows.written.values())
        print(f"built {total:,} rows in {time.perf_counter() - started:.0f} s: " +
              ", ".join(f"{name} {count:,}" for name, count in rows.written.most_common()))


def _hub(rows: Rows, number: int, common) -> None:
    from app.hubs.models import Hub, HubDistrict, HubLead, HubStatus

    now, today = common.now, common.today
    hub = rows.add(Hub, name=f"Bench Hub {number:02d}", slug=f"bench-hub-{number:02d}",
                   created_at=now - timedelta(days=500), status=HubStatus.ACTIVE,
                   agreement_start=today - timedelta(days=400), agreement_signed_on=today - timedelta(days=410),
                   agreement_reference=f"AA-{number:03d}", monthly_fee_pence=75_000, fee_per_new_client_pence=5_000)
    area = AREAS[(number - 1) % len(AREAS)]
    first = (number - 1) // len(AREAS) * 3 + 1
    districts = [f"{area}{first + k}" for k in range(3)]
    for district in districts:
        rows.add(HubDistrict, hub_id=hub, district=district)
    lead = _user(rows, f"lead{number}@bench.test", _name(), now - timedelta(days=500), common.password)
    rows.add(HubLead, hub_id=hub, user_id=lead, added_at=now - timedelta(days=500))
    brokers = _brokers(rows, hub, lead, districts, common)
    _clients(rows, brokers, districts, common)
    _needs(rows, hub, brokers, common)
    _directory(rows, districts, lead, common)


def _brokers(rows: Rows, hub: int, lead: int, districts: list[str], common) -> list[SimpleNamespace]:
    from app.brokers.models import (
        BrokerDistrict,
        BrokerProfile,
        BrokerStatus,
        BusinessType,
        Verification,
        VerificationKind,
        VerificationStatus,
    )

    now, today = common.now, common.today
    brokers = []
    for b in range(BROKERS_PER_HUB):
        joined = now - timedelta(days=random.uniform(120, 900))
        name = _name()
        user = _user(rows, f"broker{hub}-{b + 1}@bench.test", name, joined)
        approved = random.random() < 0.9
        broker = rows.add(BrokerProfile, user_id=user, hub_id=hub,
                          status=BrokerStatus.APPROVED if approved else BrokerStatus.SUBMITTED, created_at=joined,
                          submitted_at=joined + timedelta(days=5),
                          approved_at=joined + timedelta(days=12) if approved else None,
                          trading_name=f"{name} Brokerage" if b % 3 == 0 else "", business_type=BusinessType.SOLE_TRADER,
                          no_conflicts_declared=True, hourly_fee_pence=4_000, max_clients=60)
        for district in districts:
            rows.add(BrokerDistrict, broker_id=broker, district=district)
        for kind in VerificationKind:
            issued_on = expires_on = course_id = None
            if kind == VerificationKind.ACCREDITATION:
                course_id, issued_on = common.course, today - timedelta(days=random.randint(200, 1500))
            elif kind == VerificationKind.DBS:  # about 1 in 10 runs out within 30 days (DBS checks last 3 years)
                age = 1095 - random.randint(1, 29) if random.random() < 0.1 else random.randint(30, 1000)
                issued_on = today - timedelta(days=age)
            elif kind == VerificationKind.INSURANCE:
                expires_on = today + timedelta(days=random.randint(1, 29) if random.random() < 0.1
                                               else random.randint(30, 365))
            rows.add(Verification, broker_id=broker, kind=kind,
                     status=VerificationStatus.APPROVED if approved else VerificationStatus.PENDING,
                     course_id=course_id, reference=f"R-{broker}-{kind.value}", issued_on=issued_on,
                     expires_on=expires_on, snapshot={}, created_at=joined, submitted_at=joined + timedelta(days=5),
                     reviewed_at=joined + timedelta(days=12) if approved else None,
                     reviewer_id=lead if approved else None)
        brokers.append(SimpleNamespace(id=broker, user=user, holders=[]))
    return brokers


def _clients(rows: Rows, brokers: list[SimpleNamespace], districts: list[str], common) -> None:
    """Each client works with one broker now (most) and some worked with one before; band hours
    are logged against each engagement; about a quarter of the ended ones were reviewed."""
    from app.core.reference import QUALITY_ANSWERS, QUALITY_QUESTIONS
    from app.engagements.models import Engagement, EngagementStatus, Review, ReviewStatus, TimeEntry
    from app.holders.models import BudgetHolder

    now = common.now
    answers = list(QUALITY_ANSWERS)
    for n in range(CLIENTS_PER_HUB):
        broker = brokers[n % len(brokers)]
        joined = now - timedelta(days=random.uniform(30, 700))
        name = _name()
        user = _user(rows, f"client{broker.id}-{n + 1}@bench.test", name, joined)
        district = random.choice(districts)
        holder = rows.add(BudgetHolder, user_id=user, name=name, created_at=joined, district=district)
        broker.holders.append(SimpleNamespace(id=holder, user=user, district=district))
        active = random.random() < 0.9
        spells = []
        if not active or random.random() < 0.3:
            begun = now - timedelta(days=random.uniform(100, 520))
            spells.append((EngagementStatus.ENDED, begun, _capped(begun + timedelta(days=random.uniform(60, 200)), now)))
        if active:
            spells.append((EngagementStatus.ACTIVE, now - timedelta(days=random.uniform(1, 400)), None))
        for status, begun, ended in spells:
            band_id, hours = random.choice(common.bands)
            engagement = rows.add(Engagement, holder_id=holder, broker_id=broker.id, status=status, band_id=band_id,
                                  allocated_minutes=hours * 60, agreed_band_fee_pence=hours * 4_000, started_at=begun,
                                  ended_at=ended, ended_by_id=broker.user if ended else None,
                                  end_reason="The support plan is in place" if ended else "")
            for _ in range(random.randint(1, 8)):
                rows.add(TimeEntry, engagement_id=engagement,
                         worked_on=(begun + timedelta(days=random.uniform(0, 50))).date(),
                         minutes=random.choice([30, 45, 60, 90, 120, 180]), function="planning", note="",
                         logged_by_id=broker.user, created_at=begun)
            if ended and random.random() < 0.25:
                said = {key: random.choices(answers, weights=[7, 1, 2, 1])[0] for key in QUALITY_QUESTIONS}
                rows.add(Review, engagement_id=engagement, broker_id=broker.id, answers=said,
                         rating=random.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 5, 8])[0], comment="",
                         status=random.choice([ReviewStatus.PENDING, ReviewStatus.PUBLISHED]),
                         submitted_at=_capped(ended + timedelta(days=random.uniform(0, 14)), now),
                         submitted_by_id=user)


def _needs(rows: Rows, hub: int, brokers: list[SimpleNamespace], common) -> None:
    """A year of needs: about 60% filled, 15% withdrawn, the rest open or being chosen from; a few
    agreements handed back (the need re-opened); a gap for about 1 need in 20."""
    from app.needs.models import (
        AgreementStatus,
        Gap,
        GapReason,
        Need,
        NeedRecipient,
        NeedStatus,
        Offer,
        OfferStatus,
        ServiceAgreement,
        Urgency,
    )

    now, year = common.now, 365 * 86_400
    for _ in range(common.needs):
        broker = random.choice(brokers)
        holder = random.choice(broker.holders)
        published = now - timedelta(seconds=random.uniform(0, year))
        roll = random.random()
        status = (NeedStatus.FILLED if roll < 0.6 else NeedStatus.WITHDRAWN if roll < 0.75
                  else NeedStatus.CLOSED if roll < 0.85 else NeedStatus.OPEN)
        roll = random.random()
        urgency = Urgency.HOSPITAL_DISCHARGE if roll < 0.1 else Urgency.URGENT if roll < 0.25 else Urgency.ROUTINE
        offered = status == NeedStatus.FILLED or random.random() < 0.8
        first_offer = _capped(published + timedelta(hours=random.expovariate(1 / 14)), now) if offered else None
        accepted = (_capped(first_offer + timedelta(hours=random.expovariate(1 / 200)), now)
                    if status == NeedStatus.FILLED else None)
        handed_back = accepted is not None and random.random() < 0.03
        withdrawn = (_capped(published + timedelta(days=random.uniform(1, 20)), now)
                     if status == NeedStatus.WITHDRAWN else None)
        rate = random.choice([2_200, 2_400, 2_600, 2_800, 3_000])
        category = random.choice(common.categories)
        minutes = random.choice([120, 240, 360, 600, 900])
        # Providers told (about 5; 1 need in 10 takes a while), and offers (about 3), mostly from them.
        told = random.choice([3, 4, 5, 5, 6, 7])
        offers = random.choice([1, 2, 3, 3, 3, 4, 4, 5, 5]) if offered else 0
        chosen = random.sample(common.providers, max(told, offers))
        delay = 6 if random.random() < 0.1 else 0.5
        told_at = [_capped(published + timedelta(hours=random.expovariate(1 / delay)), now) for _ in chosen[:told]]
        need = rows.add(
            Need, holder_id=holder.id, broker_id=broker.id, posted_by_id=broker.user,
            status=NeedStatus.OPEN if handed_back else status, category_id=category,
            district=holder.district, schedule=[["mon", "morning"], ["thu", "afternoon"]], minutes_per_week=minutes,
            start_date=(published + timedelta(days=7)).date(), urgency=urgency, max_hourly_rate_pence=rate,
            public_description="Help at home with washing, dressing and meals, two visits a week.",
            created_at=published - timedelta(hours=random.uniform(1, 48)), published_at=published,
            deadline_at=published + timedelta(hours=48), first_told_at=min(told_at, default=None),
            first_offer_at=first_offer, accepted_at=accepted, withdrawn_at=withdrawn,
            times_reopened=1 if handed_back else 0)
        for (organisation, _staff), notified_at in zip(chosen[:told], told_at, strict=True):
            rows.add(NeedRecipient, need_id=need, organisation_id=organisation, notified_at=notified_at)
        winner = random.randrange(offers) if accepted else None
        for n, (organisation, staff) in enumerate(chosen[:offers]):
            made = first_offer if n == 0 else _capped(first_offer + timedelta(hours=random.uniform(0, 72)), now)
            if n == winner:
                offer_status = OfferStatus.HANDED_BACK if handed_back else OfferStatus.ACCEPTED
            elif random.random() < 0.05:
                offer_status = OfferStatus.WITHDRAWN
            else:
                offer_status = OfferStatus.SUBMITTED if status in (NeedStatus.OPEN, NeedStatus.CLOSED) \
                    else OfferStatus.NOT_CHOSEN
            offer = rows.add(Offer, need_id=need, organisation_id=organisation, status=offer_status,
                             hourly_rate_pence=rate - random.choice([0, 100, 200]),
                             proposed_start=(published + timedelta(days=7)).date(),
                             message="We have a worker free on those days.", submitted_by_id=staff,
                             created_at=made, updated_at=made)
            if n == winner:
                back = _capped(accepted + timedelta(days=random.uniform(5, 60)), now) if handed_back else None
                rows.add(ServiceAgreement, need_id=need, offer_id=offer, holder_id=holder.id,
                         organisation_id=organisation,
                         status=AgreementStatus.HANDED_BACK if handed_back else AgreementStatus.ACTIVE,
                         hourly_rate_pence=rate, minutes_per_week=minutes,
                         start_date=(accepted + timedelta(days=3)).date(), created_at=accepted,
                         accepted_by_id=holder.user, handed_back_at=back,
                         notice_ends_on=(back + timedelta(days=28)).date() if back else None)
        flagged = published + timedelta(days=3)
        if random.random() < 0.05 and flagged < now:
            responded = flagged + timedelta(days=random.uniform(1, 30))
            responded = responded if responded < now and random.random() < 0.7 else None
            rows.add(Gap, need_id=need, hub_id=hub, broker_id=broker.id, holder_id=holder.id,
                     category_id=category, district=holder.district,
                     reason=random.choice([GapReason.UNFILLED, GapReason.UNFILLED, GapReason.RAISED]),
                     needed="Help at home", flagged_at=flagged,
                     response="We are asking two agencies to cover the area." if responded else "",
                     responded_at=responded, closed_at=responded if responded and random.random() < 0.2 else None)


def _directory(rows: Rows, districts: list[str], lead: int, common) -> None:
    from app.directory.models import DirectoryEntry, DirectoryEntryDistrict, EntryStatus, Suggestion, SuggestionStatus

    now, today = common.now, common.today
    for n in range(DIRECTORY_PER_HUB):
        checked = None if random.random() < 0.1 else today - timedelta(days=random.randint(0, 700))
        entry = rows.add(DirectoryEntry, name=f"{random.choice(PROVIDER_WORDS)} lunch club {n + 1}",
                         description="A hot lunch and a chat, every Tuesday.",
                         status=EntryStatus.PUBLISHED if random.random() < 0.95 else EntryStatus.HIDDEN,
                         last_verified_on=checked, created_at=now - timedelta(days=800))
        for district in random.sample(districts, random.randint(1, 2)):
            rows.add(DirectoryEntryDistrict, entry_id=entry, district=district)
    for _ in range(SUGGESTIONS_PER_HUB):
        rows.add(Suggestion, district=random.choice(districts), proposed={"name": "A new walking group"},
                 suggested_by_id=lead, created_at=now - timedelta(days=random.uniform(0, 60)),
                 status=random.choice([SuggestionStatus.PENDING, SuggestionStatus.APPROVED]))


# --- Measuring -----------------------------------------------------------------------------------


class Statements:
    """Counts the SQL statements run, and the time spent in them (cursor to cursor)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count, self.seconds, self.log = 0, 0.0, None
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self, log: bool = False) -> None:
        self.count, self.seconds, self.log = 0, 0.0, [] if log else None

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - conn.info["bench_started"].pop()
        self.seconds += elapsed
        if self.log is not None:
            self.log.append((elapsed, " ".join(statement.split())))


def _signed_in(app, email: str):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        print(f"signing in as {email} answered {response.status_code}")
    return client


def measure(args, folder: Path) -> None:
    from sqlalchemy import select

    from app.core.timeutil import today_in_london
    from app.extensions import db
    from app.hubs.models import Hub
    from app.reports.period import default_period
    from app.reports.stats import median, percentile

    app = make_app(args.database_url, folder)
    period = default_period(today_in_london())
    with app.app_context():
        statements = Statements(db.engine)
        hub_ids = list(db.session.scalars(select(Hub.id).order_by(Hub.name)))
        volumes = [_volumes(ids, period) for ids in (hub_ids[:1], hub_ids)]
    # Rate limits are off, so clearing the sign-in failure count logs "storage unavailable": expected here.
    logging.getLogger("app.core.ratelimit").setLevel(logging.CRITICAL)
    clients = {"lead": _signed_in(app, "lead1@bench.test"), "admin": _signed_in(app, "admin@bench.test")}
    print(f"\n{len(hub_ids)} hubs; period {period.label} (the default); {args.rounds} requests a page after one "
          f"to warm up\nin the period: " + "; ".join(
              f"{who} {needs:,} needs, {told:,} providers told, {offers:,} offers"
              for who, (needs, told, offers) in zip(("the lead's hub", "every hub"), volumes, strict=True)))
    print(f"{'page':42} {'median ms':>10} {'p95 ms':>9} {'statements':>11} {'SQL ms':>8} {'status':>7} {'KB':>7}  aim")
    for name, who, url, aim in PAGES:
        client = clients[who]
        client.get(url)  # warm-up: templates compiled, caches filled
        times, counts, sql = [], [], []
        for _ in range(args.rounds):
            statements.reset()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            counts.append(statements.count)
            sql.append(statements.seconds * 1000)
        aim_text = "" if aim is None else f"< {aim} ms " + ("met" if percentile(times, 95) < aim else "MISSED")
        print(f"{name:42} {median(times):10.1f} {percentile(times, 95):9.1f} {round(median(counts)):11d} "
              f"{median(sql):8.1f} {response.status_code:7d} {len(response.data) / 1024:7.0f}  {aim_text}", flush=True)
    if args.profile:
        for name, who, url, _aim in PAGES:
            _profile(name, clients[who], url, statements)


def _volumes(hub_ids: list[int], period) -> tuple[int, int, int]:
    """The needs published in the period by these hubs' brokers, the providers told of them, the offers."""
    from sqlalchemy import func, select

    from app.brokers.models import BrokerProfile
    from app.extensions import db
    from app.needs.models import Need, NeedRecipient, Offer

    needs = (select(Need.id).join(BrokerProfile, BrokerProfile.id == Need.broker_id)
             .where(BrokerProfile.hub_id.in_(hub_ids), Need.published_at >= period.start,
                    Need.published_at < period.end))
    return tuple(db.session.scalar(select(func.count()).select_from(model).where(column.in_(needs)))
                 for model, column in ((Need, Need.id), (NeedRecipient, NeedRecipient.need_id),
                                       (Offer, Offer.need_id)))


def _profile(name: str, client, url: str, statements: Statements) -> None:
    """One request under cProfile: the functions it spends longest in, and its slowest statements."""
    statements.reset(log=True)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(client.get, url)
    elapsed = (time.perf_counter() - started) * 1000
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"(app/|sqlalchemy/engine|jinja2/environment|flask/app)", 30)
    print(f"\n=== {name}: {url} ({elapsed:.0f} ms under the profiler; {statements.count} statements, "
          f"{statements.seconds * 1000:.0f} ms in SQL)")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-6000:])
    print("slowest statements:")
    for seconds, text in sorted(statements.log, reverse=True)[:8]:
        print(f"  {seconds * 1000:8.1f} ms  {text[:220]}")
    statements.reset()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--hubs", type=int, default=10)
    parser.add_argument("--needs-per-hub", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--measure-only", action="store_true",
                        help="measure the data already built at --database-url (a run before built it)")
    parser.add_argument("--profile", action="store_true", help="also profile one request of each page")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="oc-hub-bench-"))
    args.database_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    random.seed(17)
    print(f"database: {args.database_url.split('@')[-1]}")
    if not args.measure_only:
        build(args, folder)
    measure(args, folder)


if __name__ == "__main__":
    main()
