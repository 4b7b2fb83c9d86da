"""One unit of work per request and per command: services flush, the request (or command)
commits once, and anything that fails leaves nothing half done — except the records that must
outlive a failure (who saw what, what was refused)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from flask import abort
from sqlalchemy import func, select

from app.core import audit, unit_of_work
from app.core.errors import DomainError
from app.core.flows import run
from app.core.models import AuditEvent
from app.extensions import db
from app.funders.models import FundingBody, FundingBodyKind

ROOT = Path(__file__).resolve().parents[2]


def _body(name: str) -> None:
    """A service that writes and flushes, never commits (as every service does)."""
    db.session.add(FundingBody(name=name, kind=FundingBodyKind.COUNCIL))
    db.session.flush()


def _names() -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(FundingBody.name)))


def _audits(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.fixture
def routes(app):
    """Test-only views, each a small chain of services (GET, to leave CSRF out of it)."""

    @app.get("/_uow/both")
    def both():
        _body("First council")
        _body("Second council")
        return "done"

    @app.get("/_uow/second-fails")
    def second_fails():
        _body("First council")
        raise RuntimeError("the second service failed")

    @app.get("/_uow/refused")
    def refused():
        audit.record("client_record.viewed", object_type="Need", object_id=7)
        _body("First council")

        def fails():
            _body("Second council")
            raise DomainError("A rule said no")

        outcome = run(fails)
        return ("refused" if not outcome else "done"), 302, {"Location": "/"}

    @app.get("/_uow/forbidden")
    def forbidden():
        _body("First council")
        abort(403)

    @app.get("/_uow/seen-then-forbidden")
    def seen_then_forbidden():
        audit.record("client_record.viewed", object_type="Need", object_id=7)
        abort(403)

    @app.get("/_uow/seen-then-lost-race")
    def seen_then_lost_race():
        audit.record("client_record.viewed", object_type="Need", object_id=7)

        def loses_a_race():
            _body("First council")
            unit_of_work.discard()  # as a service does on an IntegrityError, before saying no
            raise DomainError("Someone else got there first")

        run(loses_a_race)
        return "refused", 409

    return app


def test_a_chain_of_services_commits_once_at_the_end_of_the_request(routes, client):
    response = client.get("/_uow/both")
    assert response.status_code == 200
    assert _names() == ["First council", "Second council"]


def test_when_a_later_service_fails_the_earlier_ones_are_not_kept(routes, client):
    routes.config["PROPAGATE_EXCEPTIONS"] = False  # answered with the 500 page, as in production
    response = client.get("/_uow/second-fails")
    assert response.status_code == 500
    assert _names() == []


def test_a_rule_saying_no_rolls_back_the_work_but_keeps_the_record_of_who_saw_what(routes, client):
    response = client.get("/_uow/refused")
    assert response.status_code == 302  # a redirect would otherwise commit
    assert _names() == []
    assert _audits("client_record.viewed") == 1


def test_a_refused_page_keeps_only_the_record_of_the_refusal(routes, client):
    response = client.get("/_uow/forbidden")
    assert response.status_code == 403
    assert _names() == []
    assert _audits("permission.refused") == 1


@pytest.mark.parametrize("path", ["/_uow/seen-then-forbidden", "/_uow/seen-then-lost-race"])
def test_who_saw_what_is_kept_when_the_request_is_discarded_and_then_refused(routes, client, path):
    assert client.get(path).status_code in (403, 409)
    assert _names() == []
    assert _audits("client_record.viewed") == 1


def test_a_command_is_one_unit_of_work(app):
    with unit_of_work.transaction():
        _body("First council")
    with pytest.raises(RuntimeError), unit_of_work.transaction():
        _body("Second council")
        raise RuntimeError("stopped half way")
    assert _names() == ["First council"]


def test_the_lint_step_refuses_a_commit_outside_the_unit_of_work(tmp_path):
    service = tmp_path / "services.py"
    service.write_text(textwrap.dedent("""
        from app.extensions import db

        def save(thing):
            db.session.add(thing)
            db.session.commit()
    """))
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_structure.py"), str(service)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "commit() outside the unit of work" in result.stdout


def test_the_lint_step_passes_on_the_code_as_it_is():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_structure.py")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
