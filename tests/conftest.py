"""Shared fixtures.

Every test gets its own SQLite database, copied from a template that the real Alembic
migrations built once per run, so tests run against exactly the schema production gets
(triggers included). CSRF protection stays on: `client.submit()` reads the token from the
form page, as a browser would.
"""

from __future__ import annotations

import contextvars
import os
import re
import shutil
from pathlib import Path

import pytest

os.environ["OURCHOICE_ENV"] = "testing"

from flask import has_app_context  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from jinja2 import BytecodeCache  # noqa: E402
from sqlalchemy import inspect, text  # noqa: E402

from app import create_app  # noqa: E402
from app.config import ProductionConfig, TestingConfig  # noqa: E402
from app.extensions import db  # noqa: E402
from tests import pg  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


class _SharedBytecodeCache(BytecodeCache):
    """Compiled templates shared by every app the tests create (each test builds a new app)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


SHARED_TEMPLATE_CACHE = _SharedBytecodeCache()


def pytest_report_header(config):
    from tests import pg

    reason = pg.availability()
    return "PostgreSQL tests: " + (f"SKIPPED ({reason})" if reason else f"enabled ({pg.redact(pg.database_url())})")


def pytest_terminal_summary(terminalreporter):
    from tests import pg

    reason = pg.availability()
    if reason:
        terminalreporter.write_sep("!", f"PostgreSQL tests were SKIPPED: {reason}", yellow=True, bold=True)


def mark_folder(items, folder: str, marker) -> None:
    """Give every test collected under `folder` (like "tests/browser/") the marker."""
    for item in items:
        if folder in str(item.fspath):
            item.add_marker(marker)


def make_app(database_url: str, tmp_path: Path, **overrides):
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "SERVER_NAME": None,
    }
    config.update(overrides)

    class Config(TestingConfig):
        pass

    for key, value in config.items():
        setattr(Config, key, value)
    application = create_app(Config)
    application.jinja_env.bytecode_cache = SHARED_TEMPLATE_CACHE
    return application


def run_migrations(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """An SQLite file built by the real migrations, once per test run."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    run_migrations(make_app(f"sqlite:///{path}", folder))
    return path


def make_production_app(migrated_template: Path, tmp_path: Path):
    """The portal configured as in production, on its own copy of the migrated database."""
    path = tmp_path / "prod.sqlite3"
    shutil.copyfile(migrated_template, path)

    class Config(ProductionConfig):
        SECRET_KEY = "k" * 48
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
        RATELIMIT_STORAGE_URI = "memory://"
        RATELIMIT_SINGLE_WORKER = True

    return create_app(Config)


class FormClient(FlaskClient):
    """A test client that submits forms the way a browser does, CSRF token included.

    Each request runs in a fresh context (its own app context, `g` and database session), as
    in production, even though the test itself holds an app context for its own queries. What
    the test did before the request (services it called, rows it made) is committed first: the
    test's steps are units of work of their own, as they would be in the running portal.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():  # a redirect followed inside the fresh context
            return super().open(*args, **kwargs)
        db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()  # the test's own session sees what the request changed
        return response

    def csrf_token(self, page_url: str = "/") -> str:
        response = self.get(page_url)
        return find_csrf(response.get_data(as_text=True))

    def submit(self, url: str, data: dict | None = None, *, form_url: str | None = None,
               follow_redirects: bool = False, **kwargs):
        token = self.csrf_token(form_url or url)
        payload = {"csrf_token": token}
        payload.update(data or {})
        return self.post(url, data=payload, follow_redirects=follow_redirects, **kwargs)


def find_csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


SEARCH_BACKENDS = ["whoosh", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_generate_tests(metafunc):
    """A module that sets EVERY_SEARCH_BACKEND runs each test with each search backend: Whoosh
    on SQLite, and PostgreSQL's own full-text search on PostgreSQL (skipped, visibly, without it)."""
    if getattr(metafunc.module, "EVERY_SEARCH_BACKEND", False) and "search_backend" in metafunc.fixturenames:
        whoosh_only = metafunc.definition.get_closest_marker("whoosh_only")
        metafunc.parametrize("search_backend", SEARCH_BACKENDS[:1] if whoosh_only else SEARCH_BACKENDS, indirect=True)


@pytest.fixture
def search_backend(request) -> str:
    return getattr(request, "param", "whoosh")


@pytest.fixture
def app(request, search_backend):
    return request.getfixturevalue("sqlite_app" if search_backend == "whoosh" else "pg_search_app")


@pytest.fixture
def sqlite_app(migrated_template, tmp_path):
    """The app on its own copy of the migrated SQLite database, searching with Whoosh."""
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(migrated_template, path)
    application = make_app(f"sqlite:///{path}", tmp_path)
    application.test_client_class = FormClient
    with application.app_context():
        from app.search import index

        index.create_empty()  # as `flask search reindex` leaves it on an empty database
        yield application
        db.session.remove()
        db.engine.dispose()


# --- PostgreSQL (tests/pg.py skips visibly when there is none) -------------------------------


@pytest.fixture(scope="session")
def pg_engine_options(tmp_path_factory):
    options = pg.fresh_schema("oc_tests")
    run_migrations(make_app(pg.database_url(), tmp_path_factory.mktemp("pg"), SQLALCHEMY_ENGINE_OPTIONS=options))
    return options


@pytest.fixture
def pg_app(pg_engine_options, tmp_path):
    """A PostgreSQL app searching with the Whoosh backend."""
    yield from _pg_app(pg_engine_options, tmp_path, "whoosh")


@pytest.fixture
def pg_search_app(pg_engine_options, tmp_path):
    """A PostgreSQL app searching with PostgreSQL's own full-text search."""
    yield from _pg_app(pg_engine_options, tmp_path, "postgresql")


def _pg_app(pg_engine_options: dict, tmp_path: Path, backend: str):
    app = make_app(pg.database_url(), tmp_path, SQLALCHEMY_ENGINE_OPTIONS=pg_engine_options, SEARCH_BACKEND=backend)
    app.test_client_class = FormClient
    with app.app_context():
        tables = [t for t in inspect(db.engine).get_table_names() if t != "alembic_version"]
        with db.engine.begin() as connection:
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        # Put back the reference data the migrations create.
        from app.engagements.bands import DEFAULT_BANDS
        from app.engagements.models import Band

        db.session.add_all(Band(active=True, **row) for row in DEFAULT_BANDS)
        from app.taxonomy.models import ServiceCategory
        from app.taxonomy.services import DEFAULT_CATEGORIES

        db.session.add_all(ServiceCategory(slug=slug, name=name, regulated=regulated, description=text, sort_order=i)
                           for i, (slug, name, regulated, text) in enumerate(DEFAULT_CATEGORIES))
        db.session.commit()
        if app.config["SEARCH_BACKEND"] == "postgresql":
            from app.search import services as search

            search.reindex()  # as `flask search reindex` leaves it on an empty database
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> FormClient:
    return app.test_client()


# --- People, one per role ----------------------------------------------------------------


@pytest.fixture
def holder(app):
    from tests.factories import BudgetHolderFactory

    return BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor").user


@pytest.fixture
def broker(app, hub):
    from tests.factories import BrokerProfileFactory

    return BrokerProfileFactory(hub=hub).user


@pytest.fixture
def provider_user(app):
    from tests.factories import ProviderStaffFactory

    return ProviderStaffFactory(is_owner=True).user


@pytest.fixture
def hub(app):
    from tests.factories import HubFactory

    return HubFactory()


@pytest.fixture
def hub_lead(app, hub):
    from tests.factories import HubLeadFactory

    return HubLeadFactory(hub=hub).user


@pytest.fixture
def funder(app):
    from tests.factories import FundingOfficerFactory

    return FundingOfficerFactory().user


@pytest.fixture
def admin_user(app):
    from tests.factories import UserFactory

    return UserFactory(is_platform_admin=True, name="Ada Admin")


def session_identity(user) -> str:
    """A new server-side sign-in session for the user; what the cookie holds for it."""
    from app.accounts import session as sign_in_sessions

    sign_in_sessions.start(user)
    db.session.commit()
    return user.get_id()


def sign_in_as(client: FlaskClient, user) -> FlaskClient:
    """Put the user in the client's session (the sign-in form itself is tested elsewhere)."""
    identity = session_identity(user)
    with client.session_transaction() as session:
        session["_user_id"] = identity
        session["_fresh"] = True
    return client


@pytest.fixture
def login(client):
    def _login(user):
        return sign_in_as(client, user)

    return _login


# --- Email -----------------------------------------------------------------------------------


def outbox(to: str | None = None):
    from sqlalchemy import select

    from app.core.models import OutboxMessage

    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        query = query.where(OutboxMessage.to_address == to)
    return list(db.session.scalars(query))


def link_in_last_email(to: str, path_prefix: str) -> str:
    """The site-relative link starting with `path_prefix` in the latest email to `to`."""
    messages = outbox(to)
    assert messages, f"no email to {to}"
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"\S+)", messages[-1].body_text)
    assert match, f"no {path_prefix} link in: {messages[-1].body_text}"
    return match.group(1)
