"""PostgreSQL fixtures: one schema migrated once per run, emptied before each test."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from app.extensions import db
from tests import pg
from tests.conftest import FormClient, make_app, mark_folder, run_migrations

SCHEMA = "oc_tests"


def pytest_collection_modifyitems(items):
    mark_folder(items, "tests/postgres/", pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_engine_options(tmp_path_factory):
    options = pg.fresh_schema(SCHEMA)
    run_migrations(make_app(pg.database_url(), tmp_path_factory.mktemp("pg"), SQLALCHEMY_ENGINE_OPTIONS=options))
    return options


@pytest.fixture
def pg_app(pg_engine_options, tmp_path):
    app = make_app(pg.database_url(), tmp_path, SQLALCHEMY_ENGINE_OPTIONS=pg_engine_options)
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
        yield app
        db.session.remove()
        db.engine.dispose()
