"""The demo data command (idempotent, never in production) and the admin command."""

import pytest
from sqlalchemy import func, inspect, select

from app.accounts.models import User
from app.core.roles import Role
from app.demo import DEMO_PASSWORD, seed
from app.extensions import db
from tests.conftest import make_production_app

DEMO_ACCOUNTS = {
    "holder@demo.test": Role.BUDGET_HOLDER,
    "broker@demo.test": Role.BROKER,
    "provider@demo.test": Role.PROVIDER_STAFF,
    "hublead@demo.test": Role.HUB_LEAD,
    "funder@demo.test": Role.FUNDER_OFFICER,
    "admin@demo.test": Role.ADMIN,
}


def row_counts() -> dict[str, int]:
    return {
        table: db.session.execute(db.text(f'SELECT count(*) FROM "{table}"')).scalar()  # noqa: S608
        for table in inspect(db.engine).get_table_names()
    }


def snapshot() -> dict:
    users = {u.email: (u.password_hash, u.name, u.closed_at) for u in db.session.scalars(select(User))}
    return {"counts": row_counts(), "users": users}


def test_seed_twice_changes_nothing(app):
    assert seed() > 0
    first = snapshot()
    assert seed() == 0
    db.session.expire_all()
    assert snapshot() == first


def test_demo_accounts_exist_with_their_roles(app):
    seed()
    for email, role in DEMO_ACCOUNTS.items():
        user = db.session.scalar(select(User).where(User.email == email))
        assert role in user.roles, email
        assert user.is_verified


def test_every_demo_account_signs_in_with_the_documented_password(app, client):
    seed()
    for email in DEMO_ACCOUNTS:
        response = client.submit("/sign-in", {"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert "Hello," in client.get("/").get_data(as_text=True)
        client.submit("/sign-out", {}, form_url="/")


def test_demo_hub_has_its_districts(app):
    from app.hubs.models import Hub

    seed()
    hub = db.session.scalar(select(Hub))
    assert hub.name == "Westminster & Kensington Hub"
    assert hub.district_codes == ["NW8", "SW1", "SW3", "SW5", "SW7", "W2", "W9", "W10", "W11"]


def test_seed_command(app):
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0 and "Demo data ready" in result.output


def test_seed_command_refuses_in_production(migrated_template, tmp_path):
    app = make_production_app(migrated_template, tmp_path)
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code != 0 and "never loaded in production" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        db.engine.dispose()


def test_admin_create_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["admin", "create", "boss@example.org", "--name", "Bea Boss"],
                           input="kettle tuesday violin\nkettle tuesday violin\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user.is_platform_admin and user.is_verified


@pytest.mark.parametrize("password", ["short", "password1234"])
def test_admin_create_refuses_weak_passwords(app, password):
    result = app.test_cli_runner().invoke(args=["admin", "create", "boss@example.org", "--name", "Bea Boss"],
                                          input=f"{password}\n{password}\n")
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
