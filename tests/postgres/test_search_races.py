"""The search index under concurrency on PostgreSQL, as in production: several gunicorn worker
processes commit changes and update the one index; none is lost, and the index never keeps an
older version of an entry than the database."""

from __future__ import annotations

import multiprocessing
import threading

from sqlalchemy import func, select

from app.directory.models import DirectoryEntry
from app.extensions import db
from app.search import index, queue
from app.search import services as search
from app.search.models import SearchQueueItem
from tests import pg
from tests.conftest import session_identity
from tests.factories import HubFactory, HubLeadFactory, category, directory_entry
from tests.search_helpers import add_entries_in_another_process


def test_worker_processes_adding_entries_at_once(pg_app, pg_engine_options, tmp_path):
    index.create_empty()
    lead = HubLeadFactory(hub=HubFactory(districts=["W9"])).user
    befriending = category("befriending").id
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=add_entries_in_another_process,
                               args=(pg.database_url(), str(tmp_path / f"worker{n}"),
                                     pg_app.config["SEARCH_INDEX_DIR"], session_identity(lead), befriending, n, 8,
                                     pg_engine_options)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
        assert worker.exitcode == 0
    queue.process_queue()  # whatever a worker left queued when the lock was busy
    assert db.session.scalar(select(func.count()).select_from(SearchQueueItem)) == 0
    assert db.session.scalar(select(func.count()).select_from(DirectoryEntry)) == 32
    assert search.search("club").total == 32


def test_the_index_ends_with_the_latest_version(pg_app):
    """Threads rename the same entry and update the index at once, many times over: the index
    always ends with the name the database has."""
    index.create_empty()
    entry_id = directory_entry("Version 0").id
    queue.process_queue()
    pg_app.config["SEARCH_WRITE_TIMEOUT"] = 5
    for round_number in range(8):
        barrier = threading.Barrier(3)
        errors: list[BaseException] = []

        def rename(worker: int, round_number: int = round_number, barrier: threading.Barrier = barrier,
                   errors: list = errors) -> None:
            try:
                with pg_app.app_context():
                    barrier.wait()
                    entry = db.session.get(DirectoryEntry, entry_id)
                    entry.name = f"Version r{round_number}w{worker}"
                    db.session.commit()
                    queue.process_queue()
                    db.session.remove()
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=rename, args=(n,)) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        db.session.expire_all()
        in_database = db.session.get(DirectoryEntry, entry_id).name
        in_index = [hit.display["name"] for hit in search.search("version").hits]
        assert in_index == [in_database], f"round {round_number}"
    assert db.session.scalar(select(func.count()).select_from(SearchQueueItem)) == 0
