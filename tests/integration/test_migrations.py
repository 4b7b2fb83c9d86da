"""Migrations build exactly the models' schema, and step down and up again, on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db
from app.search.pg_tables import include_object
from tests import pg
from tests.conftest import PROJECT_ROOT, make_app

MIGRATIONS = str(PROJECT_ROOT / "migrations")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_app(request, tmp_path):
    if request.param == "sqlite":
        app = make_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path)
    else:
        options = pg.fresh_schema("oc_migrations")
        app = make_app(pg.database_url(), tmp_path, SQLALCHEMY_ENGINE_OPTIONS=options)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": False,
                                                               "include_object": include_object})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_matches_the_models(empty_database_app):
    upgrade(directory=MIGRATIONS)
    assert schema_differences() == []


def test_downgrade_one_step_and_upgrade_again(empty_database_app):
    upgrade(directory=MIGRATIONS)
    tables_at_head = set(inspect(db.engine).get_table_names())
    downgrade(directory=MIGRATIONS, revision="-1")
    upgrade(directory=MIGRATIONS)
    assert set(inspect(db.engine).get_table_names()) == tables_at_head
    assert schema_differences() == []


def test_downgrade_to_nothing(empty_database_app):
    upgrade(directory=MIGRATIONS)
    downgrade(directory=MIGRATIONS, revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_sqlite_autoincrement_tables_match_the_models(tmp_path):
    """Alembic's comparison does not look at SQLite's AUTOINCREMENT (ids never reused), so
    check it here: the migrations give it to exactly the tables whose models ask for it.
    (SQLite only: PostgreSQL sequences never reuse ids.)"""
    app = make_app(f"sqlite:///{tmp_path / 'autoincrement.sqlite3'}", tmp_path)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        wanted = {name for name, table in db.metadata.tables.items()
                  if table.dialect_options["sqlite"]["autoincrement"]}
        with db.engine.connect() as connection:
            built = {name for name, sql in connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'") if "AUTOINCREMENT" in (sql or "")}
        db.engine.dispose()
    assert "search_queue" in wanted
    assert built == wanted


def test_revision_ids_fit_alembic_version():
    """`alembic_version.version_num` is VARCHAR(32): PostgreSQL refuses a longer revision id,
    which SQLite would quietly store."""
    from alembic.script import ScriptDirectory
    from flask_migrate import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    revisions = [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()]
    assert len(revisions) >= 6
    assert [r for r in revisions if len(r) > 32] == []


@pytest.mark.postgres
def test_needs_published_before_0009_keep_their_sharing(tmp_path):
    """Migration 0009 asks for the person's agreement need by need: needs already published keep
    being shared (a consent "given before OurChoice asked for each need"), drafts wait for it.
    (On PostgreSQL: stepping SQLite down past 0009 rebuilds the needs table, which its foreign
    keys refuse while other rows point at needs.)"""
    from sqlalchemy import text

    from app.needs import posting
    from tests.factories import (
        BudgetHolderFactory,
        HubFactory,
        accredited_broker,
        agree_and_publish,
        engagement,
        need_details,
    )

    app = make_app(pg.database_url(), tmp_path, SQLALCHEMY_ENGINE_OPTIONS=pg.fresh_schema("oc_migration_0009"))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        broker = accredited_broker(HubFactory(districts=["W9"]))
        person = BudgetHolderFactory(district="W9")
        row = engagement(person, broker)
        published = posting.create_draft(broker.user, row.id, need_details())
        agree_and_publish(broker.user, published)
        draft = posting.create_draft(broker.user, row.id, need_details())
        db.session.commit()
        published_id, draft_id = published.id, draft.id
        db.session.remove()

        downgrade(directory=MIGRATIONS, revision="0008_agreed_price")
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM consents WHERE purpose = 'share_need_details'"))
        upgrade(directory=MIGRATIONS)

        with db.engine.connect() as connection:
            shared = dict(connection.execute(text("SELECT id, sharing_consent_id FROM needs")).fetchall())
            method = connection.execute(text("SELECT method FROM consents WHERE id = :id"),
                                        {"id": shared[published_id]}).scalar()
        db.engine.dispose()
    assert method == "earlier" and shared[draft_id] is None


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_0014_steps_down_and_up_with_data_and_gaps_keep_their_need(tmp_path, database):
    """Migration 0014 gives the gaps already recorded their hub, broker, person, service,
    district and what was needed, from their need; and it runs on a portal holding data (on
    SQLite, rebuilding `hubs` would break the foreign keys that point at it)."""
    from sqlalchemy import text

    from app.needs import posting
    from app.needs.gaps import record_for_need
    from app.needs.models import GapReason
    from tests.factories import (
        BudgetHolderFactory,
        HubFactory,
        accredited_broker,
        agree_and_publish,
        engagement,
        need_details,
    )

    url = f"sqlite:///{tmp_path / 'data.sqlite3'}" if database == "sqlite" else pg.database_url()
    options = {} if database == "sqlite" else {"SQLALCHEMY_ENGINE_OPTIONS": pg.fresh_schema("oc_migration_0014")}
    app = make_app(url, tmp_path, **options)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        hub = HubFactory(districts=["W9"])
        broker = accredited_broker(hub)
        person = BudgetHolderFactory(district="W9")
        need = posting.create_draft(broker.user, engagement(person, broker).id, need_details())
        agree_and_publish(broker.user, need)
        record_for_need(need, GapReason.RAISED, actor=broker.user, happened="Nobody answered.")
        db.session.commit()
        expected = (hub.id, broker.id, person.id, need.category_id, "W9", need.public_description)
        db.session.remove()

        downgrade(directory=MIGRATIONS, revision="0013_support_plans")
        upgrade(directory=MIGRATIONS)

        with db.engine.connect() as connection:
            row = connection.execute(text("SELECT hub_id, broker_id, holder_id, category_id, district, needed, note "
                                          "FROM gaps")).one()
            fees = connection.execute(text("SELECT monthly_fee_pence FROM hubs")).scalar()
        db.engine.dispose()
    assert tuple(row[:6]) == expected and row[6] == "Nobody answered." and fees == 0
