"""The index follows the database: changes appear in search as soon as the request that made
them ends, rolled-back changes never do, busy index locks lose nothing, several processes can
write, `flask search reindex` rebuilds it, and a missing or damaged index falls back to the
database."""

from __future__ import annotations

import logging
import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.directory.models import DirectoryEntry
from app.extensions import db
from app.search import index, queue
from app.search import services as search
from app.search.documents import whoosh_fields
from app.search.models import SearchQueueItem
from tests.conftest import session_identity, sign_in_as
from tests.factories import HubFactory, HubLeadFactory, accredited_broker, category, directory_entry, provider
from tests.search_helpers import add_entries_in_another_process, entry_form, found, make_index_unusable

EVERY_SEARCH_BACKEND = True  # each test runs with Whoosh (SQLite) and PostgreSQL's own search, unless whoosh_only


@pytest.fixture
def lead(app):
    return HubLeadFactory(hub=HubFactory(districts=["W9", "W10"])).user


@pytest.fixture
def lead_client(client, lead):
    return sign_in_as(client, lead)


def backlog() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchQueueItem))


def test_a_new_entry_is_searchable_as_soon_as_the_request_ends(lead_client):
    response = lead_client.submit("/hub/directory/entries/new",
                                  entry_form("Elgin Tea Dance", category("befriending").id))
    assert response.status_code == 302
    assert found("tea dance") == ["Elgin Tea Dance"]
    assert backlog() == 0


def test_an_edit_replaces_the_old_words(lead_client):
    entry = directory_entry("Elgin Tea Dance")
    queue.process_queue()
    lead_client.submit(f"/hub/directory/entries/{entry.id}",
                       entry_form("Elgin Ballroom", category("befriending").id))
    assert found("ballroom") == ["Elgin Ballroom"]
    assert found("tea dance") == []


def test_hiding_showing_and_deleting(lead_client):
    entry = directory_entry("Elgin Tea Dance", phone="020 7946 0000")
    entry_id = entry.id
    queue.process_queue()
    assert found("tea dance") == ["Elgin Tea Dance"]
    lead_client.submit(f"/hub/directory/entries/{entry.id}/hide", form_url=f"/hub/directory/entries/{entry.id}")
    assert found("tea dance") == []
    lead_client.submit(f"/hub/directory/entries/{entry.id}/show", form_url=f"/hub/directory/entries/{entry.id}")
    assert found("tea dance") == ["Elgin Tea Dance"]
    lead_client.submit(f"/hub/directory/entries/{entry_id}/delete", form_url=f"/hub/directory/entries/{entry_id}")
    db.session.expunge_all()
    assert db.session.get(DirectoryEntry, entry_id) is None
    assert found("tea dance") == []


def test_a_merged_duplicate_leaves_search(lead_client):
    keep = directory_entry("Elgin Tea Dance")
    duplicate = directory_entry("Elgin Tea Dances")
    queue.process_queue()
    lead_client.submit(f"/hub/directory/entries/{duplicate.id}/merge", {"keep_id": str(keep.id)},
                       form_url=f"/hub/directory/entries/{duplicate.id}")
    assert found("elgin") == ["Elgin Tea Dance"]


def test_a_rolled_back_change_never_reaches_the_index(app):
    entry = directory_entry("Elgin Tea Dance")
    queue.process_queue()
    entry.name = "Secret Draft Name"
    db.session.add(DirectoryEntry(name="Never Saved", description="x"))
    db.session.flush()  # the change reaches the database transaction...
    db.session.rollback()  # ...and is undone
    assert backlog() == 0
    queue.process_queue()
    assert found("secret draft") == []
    assert found("never saved") == []
    assert found("tea dance") == ["Elgin Tea Dance"]


def test_a_request_that_fails_changes_nothing_in_search(lead_client):
    response = lead_client.submit("/hub/directory/entries/new",
                                  entry_form("Elgin Tea Dance", category("befriending").id, districts="W99Z"))
    assert response.status_code == 400
    assert "Elgin Tea Dance" in response.get_data(as_text=True)  # what was typed is kept
    assert found("tea dance") == []
    assert backlog() == 0


def test_provider_and_broker_changes_follow_too(app, lead, lead_client):
    organisation = provider("Maida Vale Home Care", verified=False)
    queue.process_queue()
    assert found("maida vale home care") == []
    organisation.verified_at = db.func.now()
    db.session.commit()
    queue.process_queue()
    assert found("maida vale home care") == ["Maida Vale Home Care"]

    broker = accredited_broker(lead.hub_lead_memberships[0].hub, name="Rahman Planning")
    queue.process_queue()
    assert found("rahman") == ["Rahman Planning"]
    broker.user.closed_at = db.func.now()  # the broker closes their account
    db.session.commit()
    queue.process_queue()
    assert found("rahman") == []


def test_renaming_a_category_reindexes_what_uses_it(app):
    directory_entry("Elgin Tea Dance", categories=("befriending",))
    queue.process_queue()
    befriending = category("befriending")
    befriending.name = "Companionship"
    db.session.commit()
    queue.process_queue()
    assert found("companionship") == ["Elgin Tea Dance"]


@pytest.mark.whoosh_only
def test_changes_wait_in_the_queue_while_another_process_holds_the_lock(app, lead_client):
    app.config["SEARCH_WRITE_TIMEOUT"] = 0.2
    other_process = index.writer()  # holds the index's write lock
    try:
        response = lead_client.submit("/hub/directory/entries/new",
                                      entry_form("Elgin Tea Dance", category("befriending").id))
        assert response.status_code == 302  # the change itself is saved; search catches up later
        assert backlog() == 1
        assert found("tea dance") == []
    finally:
        other_process.cancel()
    assert queue.process_queue() == 1  # the next writer (or `flask scheduled run`) applies it
    assert found("tea dance") == ["Elgin Tea Dance"]
    assert backlog() == 0


@pytest.mark.whoosh_only
def test_a_change_queued_just_after_another_writer_finished_is_not_lost(app, monkeypatch):
    """Between a writer committing the index (which lets the lock go) and deleting the queue
    rows it read, another process can apply the same rows, delete them, and queue a new change.
    That change must not be deleted with the first writer's rows: queue ids are never reused
    (on SQLite a plain integer key takes the highest id plus one, so the id just freed would
    come back)."""
    import threading

    directory_entry("Elgin Tea Dance")
    original = index.forget_searchers
    interleaved = []

    def another_process_meanwhile():
        with app.app_context():
            queue.process_queue()  # applies and deletes the row the first writer read
            directory_entry("Westbourne Ukulele Group")  # queued, not applied yet
            db.session.remove()

    def forget_then_interleave():
        original()
        if not interleaved:
            interleaved.append(True)
            other = threading.Thread(target=another_process_meanwhile)
            other.start()
            other.join()

    monkeypatch.setattr(index, "forget_searchers", forget_then_interleave)
    queue.process_queue()
    assert interleaved
    monkeypatch.setattr(index, "forget_searchers", original)
    assert backlog() == 1  # the ukulele group is still waiting
    queue.process_queue()
    assert found("ukulele") == ["Westbourne Ukulele Group"]
    assert found("tea dance") == ["Elgin Tea Dance"]


@pytest.mark.whoosh_only
def test_several_processes_can_write_at_once(app, lead, tmp_path):
    befriending = category("befriending").id
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=add_entries_in_another_process,
                               args=(database_url, str(tmp_path / f"worker{n}"), app.config["SEARCH_INDEX_DIR"],
                                     session_identity(lead), befriending, n, 6)) for n in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    queue.process_queue()  # anything a worker left queued after a busy lock
    assert backlog() == 0
    assert search.search("club").total == 18
    assert db.session.scalar(select(func.count()).select_from(DirectoryEntry)) == 18


@pytest.mark.whoosh_only
def test_reindex_rebuilds_from_the_database(app):
    from app.cli import search_reindex

    directory_entry("Elgin Tea Dance")
    directory_entry("Hidden Club", status=__import__("app.directory.models", fromlist=["EntryStatus"]).EntryStatus.HIDDEN)
    # Nothing processed the queue: the index knows neither.
    assert found("tea dance") == []
    result = app.test_cli_runner().invoke(search_reindex)
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output
    assert found("tea dance") == ["Elgin Tea Dance"]
    assert found("hidden club") == []
    assert index.health().documents == 1
    assert backlog() == 0


def _break(path: Path) -> None:
    for item in path.iterdir():
        if item.suffix in (".toc", ".seg"):
            item.write_bytes(b"not an index")


@pytest.mark.whoosh_only
@pytest.mark.parametrize("damage", ["missing", "damaged"])
def test_search_answers_from_the_database_when_the_index_is_unusable(app, caplog, damage):
    directory_entry("Elgin Tea Dance", languages=["polish"])
    directory_entry("Polish Club", categories=("day-opportunities",), districts=("W2",), languages=["polish"])
    queue.process_queue()
    from_index = search.search("polish", search.Filters(languages=["polish"]))
    assert not from_index.fallback
    index.forget_searchers()
    path = Path(app.config["SEARCH_INDEX_DIR"])
    if damage == "missing":
        import shutil

        shutil.rmtree(path)
    else:
        _break(path)
    with caplog.at_level(logging.ERROR, logger="app.search.query"):
        from_database = search.search("polish", search.Filters(languages=["polish"]))
    assert from_database.fallback
    assert {h.display["name"] for h in from_database.hits} == {h.display["name"] for h in from_index.hits}
    assert from_database.counts["districts"] == from_index.counts["districts"]
    assert any("answering from the database" in r.getMessage() for r in caplog.records)
    assert not index.health().ok


def test_admins_are_warned_and_can_rebuild(app, client, admin_user):
    directory_entry("Elgin Tea Dance")
    make_index_unusable(app)
    sign_in_as(client, admin_user)
    html = client.get("/admin/").get_data(as_text=True)
    assert "search index has a problem" in html
    assert client.get("/directory?q=tea+dance").status_code == 200  # still answers
    response = client.submit("/admin/search/rebuild", form_url="/admin/search", follow_redirects=True)
    assert "Search index rebuilt: 1 entries" in response.get_data(as_text=True)
    assert search.health().ok
    assert "search index has a problem" not in client.get("/admin/").get_data(as_text=True)
    assert found("tea dance") == ["Elgin Tea Dance"]


@pytest.mark.whoosh_only
def test_changes_while_the_index_is_missing_wait_for_the_rebuild(app):
    import shutil

    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    directory_entry("Elgin Tea Dance")
    assert queue.process_queue() == 0  # no index: nothing written, nothing lost
    assert backlog() == 1
    queue.reindex()
    assert backlog() == 0
    assert found("tea dance") == ["Elgin Tea Dance"]


@pytest.mark.whoosh_only
def test_scheduled_run_applies_waiting_changes(app):
    from app.cli import scheduled_run

    directory_entry("Elgin Tea Dance")
    assert backlog() == 1
    result = app.test_cli_runner().invoke(scheduled_run)
    assert result.exit_code == 0, result.output
    assert "Search: 1 entry updated" in result.output
    assert found("tea dance") == ["Elgin Tea Dance"]


@pytest.mark.whoosh_only
def test_a_searcher_opened_before_a_change_sees_it_afterwards(app):
    """Whoosh's own Searcher.refresh() keeps the reader of a segment it already had open, with
    that segment's old deletions, so an edited entry showed twice (old and new). The search
    service reopens its searcher instead."""
    from app.directory import search_documents as documents

    entry = directory_entry("Version one")
    with index.writer() as w:
        w.add_document(**whoosh_fields(documents.entry_doc(entry)))
    assert found("version") == ["Version one"]  # this thread now holds a searcher
    entry.name = "Version two"
    db.session.commit()
    w = index.writer()
    w.update_document(**whoosh_fields(documents.entry_doc(entry)))
    w.commit(merge=False)  # the old document is deleted inside the segment the searcher has open
    assert found("version") == ["Version two"]


def test_objects_held_during_a_reindex_are_still_tracked(app):
    entry = directory_entry("Version one")
    queue.reindex()
    entry.name = "Version two"  # the rebuild must not have detached the caller's objects
    db.session.commit()
    queue.process_queue()
    assert found("version") == ["Version two"]


@pytest.mark.whoosh_only
def test_a_large_directory_is_not_rebuilt_from_a_web_page(app, client, admin_user, monkeypatch):
    monkeypatch.setattr(queue, "WEB_REBUILD_LIMIT", 1)
    sign_in_as(client, admin_user)
    directory_entry("Elgin Tea Dance")  # queued, and not applied: only a rebuild would find them
    directory_entry("Elgin Tea Dance Two")
    assert "flask --app wsgi search reindex" in client.get("/admin/search").get_data(as_text=True)
    response = client.submit("/admin/search/rebuild", form_url="/admin/search", follow_redirects=True)
    assert "too large to rebuild from this page" in response.get_data(as_text=True)
    assert found("tea dance") == []  # not rebuilt


@pytest.mark.whoosh_only
def test_results_across_several_index_segments(app):
    """Filters, counts and A to Z order stay right when the index has several segments (each
    change adds one), including deletions inside an older segment."""
    from app.directory import search_documents as documents

    first = [directory_entry(name, districts=(district,)) for name, district in
             (("Zeta Club", "W9"), ("Alpha Club", "W10"), ("Mu Club", "W9"))]
    queue.reindex()
    assert found("") == ["Alpha Club", "Mu Club", "Zeta Club"]  # the first segment is now read
    later = [directory_entry(name, districts=("W9",)) for name in ("Beta Club", "Aardvark Club")]
    first[2].name = "Omega Club"  # its old version is deleted inside the first segment
    db.session.commit()
    w = index.writer()
    for entry in [*later, first[2]]:
        w.update_document(**whoosh_fields(documents.entry_doc(entry)))
    w.commit(merge=False)
    results = search.search("")
    assert [h.display["name"] for h in results.hits] == ["Aardvark Club", "Alpha Club", "Beta Club", "Omega Club",
                                                         "Zeta Club"]
    assert not results.fallback
    assert results.counts["districts"] == {"w9": 4, "w10": 1}
    assert [h.display["name"] for h in search.search("", search.Filters(districts=["W9"])).hits] == [
        "Aardvark Club", "Beta Club", "Omega Club", "Zeta Club"]
    searcher = index.searcher()
    assert len(searcher.subsearchers) >= 2
