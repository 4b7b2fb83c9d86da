"""How fast are the books? 1,000 companies and about 1,000,000 ledger entries (a year of
receipts, approvals and payments each, hash-chained as `post` chains them), then: a stream's
balance, a stream-year statement, the funder officer's overview of 1,000 people, and postings a
second with 4 writers at once (separate processes, each posting receipts through `post` with its
own unit of work per posting).

Run:  .venv/bin/python bench/ledger_bench.py                       (SQLite, a temporary file)
      .venv/bin/python bench/ledger_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/oc_bench
      (an empty PostgreSQL database: the script builds the schema with the migrations)
Options: --companies 1000 --entries 1000000 --writers 4 --postings 500 (per writer)

The data is written in bulk (not through `post`, which would take a long time for a million
entries), with the same hashes, sequences and balances `post` writes; `ledger verify` checks it
at the end, so the figures are for books the portal itself would accept. Results are recorded
in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["OURCHOICE_ENV"] = "testing"

CYCLE_ENTRIES = 8  # a receipt (2 entries), an invoice approved (2), and its payment (4)


def make_app(url: str, folder: Path):
    import app.models  # noqa: F401 - every feature's models, so their relationships resolve
    from app import create_app
    from app.config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        MAIL_FILE_DIR = str(folder / "mail")
        SEARCH_INDEX_DIR = str(folder / "search")
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}

    return create_app(Config)


def build(args, folder: Path) -> None:
    """The schema (by the migrations), the people, companies, streams and accounts, then the entries."""
    from flask_migrate import upgrade

    from app.extensions import db

    app = make_app(args.database_url, folder)
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
        started = time.perf_counter()
        companies = _people_and_companies(args.companies)
        per_company = max(1, args.entries // (args.companies * CYCLE_ENTRIES))
        total = 0
        for number, world in enumerate(companies, start=1):
            total += _books_of(world, per_company)
            if number % 50 == 0 or number == len(companies):
                db.session.commit()
                rate = total / (time.perf_counter() - started)
                print(f"  {number}/{len(companies)} companies, {total:,} entries ({rate:,.0f} entries/s)", flush=True)
        _bump_sequences()
        db.session.commit()
        print(f"built {total:,} entries in {time.perf_counter() - started:.0f} s")


def _people_and_companies(count: int) -> list[SimpleNamespace]:
    from app.accounts.models import User
    from app.extensions import db
    from app.funders.models import FundingBody, FundingBodyKind, FundingOfficer
    from app.holders.models import BudgetHolder
    from app.ledger.models import Company, CompanyKind, FundingStream, PaymentSchedule
    from app.providers.models import ProviderKind, ProviderOrganisation
    from app.taxonomy.models import ServiceCategory

    officer = User(email="officer@bench.test", name="Bench Officer", password_hash=None)  # cannot sign in
    db.session.add(officer)
    body = FundingBody(name="Bench City Council", kind=FundingBodyKind.COUNCIL)
    category = ServiceCategory(name="Help at home (bench)", slug="bench-help", description="")
    provider = ProviderOrganisation(name="Bench Care Ltd", kind=ProviderKind.CARE_AGENCY)
    db.session.add_all([body, category, provider])
    db.session.flush()
    db.session.add(FundingOfficer(funding_body_id=body.id, user_id=officer.id))
    today = date.today()
    start, end = today - timedelta(days=360), today + timedelta(days=5)
    worlds = []
    for n in range(count):
        holder = BudgetHolder(name=f"Person {n:04d}", district="W9")
        db.session.add(holder)
        db.session.flush()
        company = Company(holder_id=holder.id, name=f"Person {n:04d} Support Ltd", kind=CompanyKind.BUDGET_ACCOUNT,
                          created_by_id=officer.id)
        db.session.add(company)
        db.session.flush()
        council = FundingStream(company_id=company.id, funding_body_id=body.id, funder_name=body.name,
                                name="Personal budget", allocation_pence=1_500_000, starts_on=start, ends_on=end,
                                schedule=PaymentSchedule.FOUR_WEEKLY, category_ids=[], created_by_id=officer.id)
        other = FundingStream(company_id=company.id, funder_name="Access to Work (DWP)", name="Access to Work",
                              allocation_pence=300_000, starts_on=start, ends_on=end, schedule=PaymentSchedule.QUARTERLY,
                              category_ids=[], created_by_id=officer.id)
        db.session.add_all([council, other])
        db.session.flush()
        worlds.append(SimpleNamespace(company=company, streams=[council, other], category=category, provider=provider,
                                      start=start, today=today))
    db.session.commit()
    return worlds


def _books_of(world, cycles: int) -> int:
    """A year of the company's books: each cycle money arrives for a stream, an invoice is
    approved and then paid from that stream. Written as `post` writes it."""
    from app.extensions import db
    from app.ledger.books import AccountKind, LedgerAccount, LedgerEntry, LedgerTransaction, TransactionSource
    from app.ledger.posting import (
        GENESIS_HASH,
        bank,
        fingerprint_of,
        funds,
        hash_of,
        met,
        payable_to_provider,
        spending,
    )

    company = world.company
    refs = [bank(), funds(world.streams[0]), funds(world.streams[1]), payable_to_provider(world.provider),
            spending(world.category), met(world.category)]
    accounts = {}
    for ref in refs:
        account = LedgerAccount(company_id=company.id, key=ref.key, kind=ref.kind, name=ref.name[:200],
                                stream_id=ref.stream_id, organisation_id=ref.organisation_id,
                                category_id=ref.category_id, balance_pence=0, payments_pence=0)
        db.session.add(account)
        accounts[ref.key] = account
    db.session.flush()
    balances = dict.fromkeys(accounts, 0)
    from_payments = dict.fromkeys(accounts, 0)
    transactions, entries = [], []
    previous, sequence = GENESIS_HASH, 0
    next_id = _next_id(LedgerTransaction)
    days = (world.today - world.start).days
    for cycle in range(cycles):
        stream = world.streams[cycle % 2]
        day = world.start + timedelta(days=days * cycle // cycles)
        amount = random.randint(5_000, 60_000)
        fund = f"funds:{stream.id}"
        for source, legs in ((TransactionSource.RECEIPT, [("bank", amount), (fund, -amount)]),
                             (TransactionSource.INVOICE, [(refs[4].key, amount), (refs[3].key, -amount)]),
                             (TransactionSource.PAYMENT, [(refs[3].key, amount), ("bank", -amount), (fund, amount),
                                                          (refs[5].key, -amount)])):
            sequence += 1
            row = SimpleNamespace(
                id=next_id, company_id=company.id, sequence=sequence, source=source,
                idempotency_key=f"bench:{source.value}:{cycle}", fingerprint=fingerprint_of(source, day, legs),
                description=f"Bench {source.value} {cycle}", occurred_on=day, reverses_id=None, reason="",
                previous_hash=previous)
            row.hash = hash_of(row, [(accounts[key].id, value) for key, value in legs])
            previous = row.hash
            transactions.append({**vars(row), "source": source})
            entries.extend({"transaction_id": next_id, "account_id": accounts[key].id, "amount_pence": value}
                           for key, value in legs)
            for key, value in legs:
                balances[key] += value
                if source == TransactionSource.PAYMENT:
                    from_payments[key] += value
            next_id += 1
    db.session.execute(LedgerTransaction.__table__.insert(), transactions)
    db.session.execute(LedgerEntry.__table__.insert(), entries)
    for key, account in accounts.items():
        account.balance_pence, account.payments_pence = balances[key], from_payments[key]
    assert all(a.kind in AccountKind for a in accounts.values())
    return len(entries)


def _next_id(model) -> int:
    from sqlalchemy import func, select

    from app.extensions import db

    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _bump_sequences() -> None:
    """On PostgreSQL, ids written by hand move the id sequences on (so `post` takes the next one)."""
    from sqlalchemy import text

    from app.extensions import db

    if db.engine.dialect.name == "postgresql":
        for table in ("ledger_transactions", "ledger_entries"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))


def _timed(action, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{name:<46} median {statistics.median(ordered):8.2f} ms   p95 {p95:8.2f} ms   ({len(ordered)} runs)"


def measure(args, folder: Path) -> None:
    app = make_app(args.database_url, folder)  # first: it loads every model before the readings are imported
    if args.writers_only:
        from sqlalchemy import select

        from app.extensions import db
        from app.ledger.models import Company

        with app.app_context():
            return _writers(args, folder, list(db.session.scalars(select(Company.id))))

    from sqlalchemy import select

    from app.accounts.models import User
    from app.extensions import db
    from app.ledger.books import LedgerAccount
    from app.ledger.models import FundingStream
    from app.ledger.reading import stream_totals
    from app.ledger.verify import verify
    from app.money import services as money

    with app.app_context():
        streams = list(db.session.scalars(select(FundingStream)))
        officer = db.session.scalar(select(User).where(User.email == "officer@bench.test"))
        sample = random.sample(streams, min(200, len(streams)))

        def stored_balance():
            stream = random.choice(sample)
            db.session.scalar(select(LedgerAccount.balance_pence).where(LedgerAccount.stream_id == stream.id))

        def stored_totals():
            stream = random.choice(sample)
            stream_totals([stream.id])

        def summed_totals():
            stream = random.choice(sample)
            stream_totals([stream.id], start=stream.starts_on, end=stream.ends_on)

        def year_statement():
            stream = random.choice(sample)
            money.statement(stream, money.periods_of(stream)[0])

        print(_summary("stream balance (the stored balance)", _timed(stored_balance, 200)))
        print(_summary("stream received and spent (stored)", _timed(stored_totals, 200)))
        print(_summary("stream received and spent in a period (entries)", _timed(summed_totals, 200)))
        print(_summary("stream-year statement", _timed(year_statement, 50)))
        overview = lambda: money.funder_streams(officer)  # noqa: E731
        print(_summary(f"funder overview of {len(streams) // 2:,} people", _timed(overview, 20)))
        started = time.perf_counter()
        report = verify()
        print(f"ledger verify: {report.entries:,} entries, {report.transactions:,} transactions, ok={report.ok} "
              f"in {time.perf_counter() - started:.1f} s")
        company_ids = sorted({s.company_id for s in streams})
    _writers(args, folder, company_ids)


def _writer(url: str, folder: str, company_ids: list[int], postings: int, queue) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.ledger.books import TransactionSource
    from app.ledger.models import Company, FundingStream
    from app.ledger.posting import bank, funds, post

    app = make_app(url, Path(folder))
    with app.app_context():
        # Only ids are kept between postings: as in a request, the session holds just what one posting loads.
        streams = {company_id: SimpleNamespace(id=stream_id, name=name) for company_id, stream_id, name in
                   db.session.execute(select(FundingStream.company_id, FundingStream.id, FundingStream.name).where(
                       FundingStream.company_id.in_(company_ids), FundingStream.funding_body_id.is_not(None)))}
        done, started = 0, time.perf_counter()
        for number in range(postings):
            company_id = random.choice(company_ids)
            stream = streams[company_id]
            for attempt in range(5):
                try:
                    post(db.session.get(Company, company_id), source=TransactionSource.RECEIPT,
                         key=f"writer:{os.getpid()}:{number}", legs=[(bank(), 1_000), (funds(stream), -1_000)],
                         occurred_on=date.today(), description="Bench receipt")
                    db.session.commit()
                    done += 1
                    break
                except Exception:  # noqa: BLE001 - a lock timeout on SQLite: try again
                    db.session.rollback()
                    time.sleep(0.01 * (attempt + 1))
        queue.put((done, time.perf_counter() - started))


def _writers(args, folder: Path, company_ids: list[int]) -> None:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    started = time.perf_counter()
    workers = [context.Process(target=_writer, args=(args.database_url, str(folder), company_ids, args.postings, queue))
               for _ in range(args.writers)]
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    done = sum(r[0] for r in results)
    print(f"postings with {args.writers} writers: {done:,} in {elapsed:.1f} s = {done / elapsed:,.0f} postings/s "
          f"(each its own commit; wall time includes each writer starting the app)")
    slowest = max(r[1] for r in results)
    print(f"  measured from each writer's first posting: {done / slowest:,.0f} postings/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--postings", type=int, default=500, help="postings per writer")
    parser.add_argument("--writers-only", action="store_true", help="only the postings a second (with --measure-only)")
    parser.add_argument("--measure-only", action="store_true",
                        help="measure the books already built at --database-url (a run before built them)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="oc-ledger-bench-"))
    args.database_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    random.seed(11)
    print(f"database: {args.database_url.split('@')[-1]}")
    if not args.measure_only:
        build(args, folder)
    measure(args, folder)


if __name__ == "__main__":
    main()
