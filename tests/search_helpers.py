"""Shared pieces for search tests, including the worker that other processes run."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from app.extensions import db


def make_index_unusable(app) -> None:
    """As if the index had never been built: search must answer from the database."""
    import shutil

    from app.search import backends, index

    if app.config["SEARCH_BACKEND"] == backends.POSTGRESQL:
        db.session.execute(db.text("DELETE FROM search_state"))
        db.session.commit()
    else:
        index.forget_searchers()
        shutil.rmtree(app.config["SEARCH_INDEX_DIR"])


def entry_form(name: str, category_id: int, **overrides) -> dict:
    data = {"name": name, "description": f"{name} helps people in the area.", "category_ids": [str(category_id)],
            "districts": "W9", "is_free": "yes", "phone": "020 7946 0000"}
    data.update(overrides)
    return data


def found(text: str) -> list[str]:
    from app.search import services as search

    return [hit.display["name"] for hit in search.search(text).hits]


def add_entries_in_another_process(database_url: str, folder: str, index_dir: str, session_id: str, category_id: int,
                                   worker: int, count: int, engine_options: dict | None = None,
                                   backend: str = "whoosh") -> None:
    """What one gunicorn worker does: requests that each add an entry, committing and then
    updating the index as the request ends."""
    from tests.conftest import make_app

    overrides = {"SEARCH_INDEX_DIR": index_dir, "WTF_CSRF_ENABLED": False, "SEARCH_WRITE_TIMEOUT": 0.5,
                 "SEARCH_BACKEND": backend}
    if engine_options:
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    app = make_app(database_url, Path(folder), **overrides)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    for n in range(count):
        response = client.post("/hub/directory/entries/new",
                               data=entry_form(f"Worker {worker} club {n}", category_id))
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with app.app_context():
        db.engine.dispose()


def at_once(*steps: Callable[[], None]) -> None:
    """Run each step in a thread of its own, all let go together; fail here if any failed."""
    barrier = threading.Barrier(len(steps))
    errors: list[BaseException] = []

    def run(step: Callable[[], None]) -> None:
        try:
            barrier.wait()
            step()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
