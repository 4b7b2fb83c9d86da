"""One unit of work per request, CLI command and scheduled task: the only place that commits.

Services flush and never commit, so a chain of services (end an engagement, then record the
consent; create a hub, then invite its lead) is one transaction: all of it lands or none of it.

A request commits when the view answers below 400 and nothing refused the work; it rolls back
when the view raised, answered with an error status, or a rule said no (`refused()`, which the
shared form helper calls when a service raises a `DomainError`). Some records must outlive a
failed request: who saw a person's health details, a refused page, a failed sign-in. Their
writer calls `keep_after_rollback(redo)`; after a rollback `redo` runs in a fresh transaction
that commits. CLI commands, scheduled tasks and the search and outbox processors each run
inside `transaction()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, g

from app.extensions import db

_REFUSED = "oc_unit_of_work_refused"
_KEPT = "oc_unit_of_work_kept"  # in the session's info: callables that write what must be kept


def refused() -> None:
    """A rule said no to this request's work: roll it back when the request ends."""
    setattr(g, _REFUSED, True)


def keep_after_rollback(redo: Callable[[], object]) -> None:
    """Something just written must be kept even if this unit of work is rolled back: `redo`
    writes it again after the rollback (it is not called when the work commits)."""
    db.session.info.setdefault(_KEPT, []).append(redo)


def discard() -> None:
    """Forget everything this unit of work has written so far, except what must be kept (written
    again now, and still kept if the unit of work is later rolled back too)."""
    kept = db.session.info.pop(_KEPT, [])
    db.session.rollback()
    for redo in kept:
        redo()
        keep_after_rollback(redo)


def _commit() -> None:
    db.session.info.pop(_KEPT, None)
    db.session.commit()


def _roll_back() -> None:
    kept = db.session.info.pop(_KEPT, [])
    db.session.rollback()
    if kept:
        for redo in kept:
            redo()
        db.session.commit()


@contextmanager
def transaction() -> Iterator[None]:
    """Run a CLI command, a scheduled task or a background step as one unit of work."""
    try:
        yield
    except BaseException:
        _roll_back()
        raise
    _commit()


def finish_request(response: Response) -> Response:
    refused_work = g.pop(_REFUSED, False)
    if response.status_code >= 400 or refused_work:
        _roll_back()
    else:
        _commit()
    return response


def register(app: Flask) -> None:
    """Commit or roll back each request. Registered before the other `after_request` hooks so it
    runs after them (Flask runs them in reverse), and before the search queue and outbox run at
    teardown."""
    app.after_request(finish_request)

    @app.teardown_request
    def _roll_back_on_error(exc):
        if exc is not None:
            _roll_back()
