"""The demo data command (idempotent, never in production) and the admin command."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Date, DateTime, func, inspect, select

from app.accounts.models import User
from app.core.roles import Role
from app.core.timeutil import today_in_london, utcnow
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


# Dates that may lie ahead: deadlines, expiry, start and end dates, and when something is next due.
MAY_BE_AHEAD = ("deadline_at", "expires_at", "expires_on", "respond_by", "start_date", "end_date", "proposed_start",
                "notice_ends_on", "next_attempt_at", "agreement_start", "ends_on", "approve_after", "services_start_on",
                "due_on")


def test_demo_never_dates_what_happened_in_the_future(app):
    """Every record of something that happened (created, logged, sent, decided, given...) is
    dated no later than now; only dates that look ahead may be after it."""
    seed()
    now, today = utcnow(), today_in_london()
    checked, ahead = [], []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, Date | DateTime) and not isinstance(
                    getattr(column.type, "impl", None), Date | DateTime):
                continue
            if column.name in MAY_BE_AHEAD:
                continue
            for value in db.session.execute(select(column).where(column.is_not(None))).scalars():
                checked.append(column)
                if isinstance(value, datetime):
                    late = (value if value.tzinfo else value.replace(tzinfo=UTC)) > now
                else:
                    late = isinstance(value, date) and value > today
                if late:
                    ahead.append(f"{table.name}.{column.name} = {value}")
    assert not ahead, "demo records dated after now:\n" + "\n".join(ahead)
    names = {f"{column.table.name}.{column.name}" for column in checked}
    assert {"offers.created_at", "need_events.at", "time_entries.created_at", "consents.given_at",
            "reviews.submitted_at", "hubs.agreement_signed_on"} <= names
