"""The PostgreSQL search backend on its own terms: documents written in the same transaction as
the change, concurrent writers never leaving an older version, other processes' changes seen by
the next search, and a rebuild that shows its progress, never overwrites a newer change, can be
stopped and run again, and hands over cleanly when the backend is switched."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from sqlalchemy import text

from app.directory.models import DirectoryEntry, DirectoryEntryDistrict
from app.extensions import db
from app.search import pg_data, pg_write, queue
from app.search import services as search
from tests import pg
from tests.conftest import session_identity
from tests.factories import HubFactory, HubLeadFactory, category, directory_entry
from tests.search_helpers import add_entries_in_another_process, at_once


def found(words: str) -> list[str]:
    """What PostgreSQL's own search finds (never the slower answer from the database)."""
    results = search.search(words)
    assert not results.fallback
    return [hit.display["name"] for hit in results.hits]


def rows(where: str = "true") -> list:
    return db.session.execute(text(f"SELECT doc_id, sort_name, gone FROM search_documents WHERE {where} "  # noqa: S608
                                   "ORDER BY doc_id")).all()


def test_a_change_is_in_search_when_its_transaction_commits_and_never_before(pg_search_app):
    entry = directory_entry("Elgin Tea Dance", description="Dancing on Tuesdays.")
    assert found("tea dance") == ["Elgin Tea Dance"]  # committed: searchable, nothing to process
    entry.name = "Elgin Ballroom"
    db.session.flush()
    with db.engine.connect() as elsewhere:  # another host, before the commit
        assert elsewhere.execute(text("SELECT sort_name FROM search_documents")).scalar_one() == "elgin tea dance"
    db.session.commit()
    assert found("ballroom") == ["Elgin Ballroom"]
    assert found("tea dance") == []
    entry.name = "Secret Draft"
    db.session.flush()
    db.session.rollback()
    assert found("secret draft") == []
    assert queue.process_queue() == 0 and search.backlog() == 0


def test_a_deleted_entry_stays_as_a_gone_row_so_every_host_learns_of_it(pg_search_app):
    entry = directory_entry("Elgin Tea Dance")
    entry_id = entry.id
    assert found("elgin") == ["Elgin Tea Dance"]
    db.session.delete(entry)
    db.session.commit()
    assert found("elgin") == []
    assert rows() == [(f"service:{entry_id}", "elgin tea dance", True)]
    assert db.session.execute(text("SELECT count(*) FROM search_displays")).scalar_one() == 0
    assert search.health().documents == 0


def test_two_changes_to_one_listing_at_once_both_reach_search(pg_search_app, monkeypatch):
    """One request renames an entry while another moves it to another district: different rows,
    so neither waits for the other's row lock, and each builds the entry's document. The writer
    lock makes the second build read what the first committed, so neither change is lost."""
    entry_id = directory_entry("Version 0", districts=("W1",)).id
    build = pg_write.documents.build

    def slow_build(doc_id: str):  # widen the window between reading an entry and writing its document
        doc = build(doc_id)
        time.sleep(0.1)
        return doc

    monkeypatch.setattr(pg_write.documents, "build", slow_build)

    def rename(round_number: int) -> None:
        db.session.get(DirectoryEntry, entry_id).name = f"Version {round_number}"

    def move(round_number: int) -> None:
        entry = db.session.get(DirectoryEntry, entry_id)
        entry.districts = [DirectoryEntryDistrict(district=f"W{round_number + 2}")]

    def in_a_request(step, round_number: int):
        def request() -> None:
            with pg_search_app.app_context():
                step(round_number)
                db.session.commit()
                db.session.remove()
        return request

    for round_number in range(4):
        at_once(in_a_request(rename, round_number), in_a_request(move, round_number))
        db.session.expire_all()
        entry = db.session.get(DirectoryEntry, entry_id)
        in_search = db.session.execute(text("SELECT sort_name, districts FROM search_documents")).one()
        assert tuple(in_search) == (entry.name.lower(), [d.lower() for d in entry.district_codes]), f"round {round_number}"
        assert entry.name == f"Version {round_number}"


def test_other_processes_changes_are_in_the_next_search_here(pg_search_app, pg_engine_options, tmp_path):
    lead = HubLeadFactory(hub=HubFactory(districts=["W9"])).user
    assert search.search("club").total == 0  # this process now holds masks of an empty table
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=add_entries_in_another_process,
                               args=(pg.database_url(), str(tmp_path / f"worker{n}"), str(tmp_path / "unused-index"),
                                     session_identity(lead), category("befriending").id, n, 6, pg_engine_options,
                                     "postgresql")) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
        assert worker.exitcode == 0
    results = search.search("club", search.Filters(districts=["W9"]))
    assert results.total == 18
    assert results.counts["districts"] == {"w9": 18}
    assert not (tmp_path / "unused-index").exists()  # nothing was written to any host's disk


def test_reindex_shows_progress_and_can_be_stopped_and_run_again(pg_search_app, monkeypatch):
    for n in range(7):
        directory_entry(f"Club {n}")
    db.session.execute(text("UPDATE search_documents SET sort_name = 'stale', version = 1"))  # as if long ago
    db.session.commit()
    monkeypatch.setattr(pg_write, "CHUNK", 3)
    seen: list[int] = []

    def stop_after_the_first_chunk(done: int) -> None:
        seen.append(done)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        search.reindex(progress=stop_after_the_first_chunk)
    assert seen == [3]
    assert [name for _, name, _ in rows()].count("stale") == 4  # the rest as it was, and nothing gone
    assert search.search("").total == 7
    seen.clear()
    assert search.reindex(progress=seen.append) == 7
    assert seen == [3, 6, 7]
    assert "stale" not in [name for _, name, _ in rows()]
    assert search.search("club").total == 7


def test_a_change_made_during_a_reindex_is_not_overwritten_by_it(pg_search_app, monkeypatch):
    """The rebuild reads entries in batches, so it may build a document from a version read before
    a change committed; it must not write that older version over the change's own."""
    ids = [directory_entry(f"Club {n}").id for n in range(6)]
    monkeypatch.setattr(pg_write, "CHUNK", 2)

    def rename_the_last_one_meanwhile(done: int) -> None:
        if done == 2:
            with pg_search_app.app_context():  # another request, committing while the rebuild runs
                db.session.get(DirectoryEntry, ids[-1]).name = "Renamed Meanwhile"
                db.session.commit()
                db.session.remove()

    search.reindex(progress=rename_the_last_one_meanwhile)
    assert found("renamed meanwhile") == ["Renamed Meanwhile"]
    assert rows(f"doc_id = 'service:{ids[-1]}'") == [(f"service:{ids[-1]}", "renamed meanwhile", False)]


def test_a_listing_that_leaves_during_a_first_build_is_not_brought_back_by_it(pg_search_app, monkeypatch):
    """As on the first build, or a switch back from Whoosh: the table has no rows yet. The build
    reads a listing, which is then deleted before the build writes it: it must stay out."""
    ids = [directory_entry(f"Club {n}").id for n in range(6)]
    db.session.execute(text("DELETE FROM search_displays"))
    db.session.execute(text("DELETE FROM search_documents"))
    db.session.commit()
    monkeypatch.setattr(pg_write, "CHUNK", 2)

    def delete_the_last_one_meanwhile(done: int) -> None:
        if done == 2:
            with pg_search_app.app_context():
                db.session.delete(db.session.get(DirectoryEntry, ids[-1]))
                db.session.commit()
                db.session.remove()

    assert search.reindex(progress=delete_the_last_one_meanwhile) == 6  # it had read all six
    assert search.search("club").total == 5
    assert rows(f"doc_id = 'service:{ids[-1]}'")[0][2] is True  # gone


def test_a_savepoint_neither_writes_early_nor_loses_what_came_before_it(pg_search_app):
    entry = directory_entry("Elgin Tea Dance", description="Dancing.")
    other = directory_entry("Chess Club", description="Chess.")
    entry.name = "Elgin Ballroom"
    db.session.flush()
    savepoint = db.session.begin_nested()
    other.name = "Draughts Club"
    db.session.flush()
    savepoint.rollback()
    db.session.commit()
    assert found("ballroom") == ["Elgin Ballroom"]
    assert found("chess") == ["Chess Club"]
    assert found("draughts") == []


def test_a_reindex_marks_gone_what_left_without_a_change_being_seen(pg_search_app):
    directory_entry("Kept Club")
    lost = directory_entry("Lost Club").id
    for table, column in (("directory_entry_categories", "entry_id"), ("directory_entry_districts", "entry_id"),
                          ("directory_entries", "id")):  # behind the app's back: no change is seen
        db.session.execute(text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": lost})  # noqa: S608
    db.session.commit()
    assert found("club") == ["Kept Club", "Lost Club"]
    assert search.reindex() == 1
    assert found("club") == ["Kept Club"]
    assert rows("gone") == [(f"service:{lost}", "lost club", True)]


def test_switching_backends_needs_only_the_reindex(pg_search_app):
    directory_entry("Elgin Tea Dance")
    pg_search_app.config["SEARCH_BACKEND"] = "whoosh"
    search.reindex()  # Whoosh now answers; the table is no longer kept in step
    assert found("tea dance") == ["Elgin Tea Dance"]
    assert pg_data.built(db.session) is None
    directory_entry("Polish Club")
    queue.process_queue()
    pg_search_app.config["SEARCH_BACKEND"] = "postgresql"
    meanwhile = search.search("polish club")  # not rebuilt yet: the database answers, correctly
    assert meanwhile.fallback and [hit.display["name"] for hit in meanwhile.hits] == ["Polish Club"]
    search.reindex()
    results = search.search("club")
    assert not results.fallback and [hit.display["name"] for hit in results.hits] == ["Polish Club"]


def test_the_commands_say_which_backend_and_show_progress_in_a_log(pg_search_app):
    from app.cli import search_reindex, search_status

    directory_entry("Elgin Tea Dance")
    runner = pg_search_app.test_cli_runner()
    result = runner.invoke(search_reindex)
    assert result.exit_code == 0, result.output
    assert "PostgreSQL full-text search" in result.output
    assert "1 of 1 entries" in result.output  # not a terminal: progress as log lines
    status = runner.invoke(search_status)
    assert "PostgreSQL full-text search" in status.output and "OK, 1 entries, 0 change(s) waiting" in status.output
    db.session.execute(text("DELETE FROM search_state"))
    db.session.commit()
    assert "PROBLEM" in runner.invoke(search_status).output


def test_words_searched_before_a_change_ask_only_about_the_rows_it_changed(pg_search_app, monkeypatch):
    from app.search import pg_query

    first = directory_entry("Chess Club", description="Chess.")
    directory_entry("Bridge Club")
    assert found("club") == ["Bridge Club", "Chess Club"]
    asked: list = []
    tiers = pg_query._tiers
    monkeypatch.setattr(pg_query, "_tiers", lambda *args, only=None: asked.append(only) or tiers(*args, only=only))
    first.name = "Chess Corner"
    third = directory_entry("Art Club", description="Painting.")
    db.session.commit()
    assert found("club") == ["Art Club", "Bridge Club"]
    assert asked == [sorted(pg_data.current(db.session, pg_data.built(db.session)).log[-1][1])]
    row_of = dict(db.session.execute(text("SELECT doc_id, id FROM search_documents")).all())
    assert asked[0] == sorted(row_of[f"service:{entry.id}"] for entry in (first, third))  # not the Bridge Club
