"""Error pages, security headers, cookies, production safety and the health check."""

import pytest
from flask import abort
from sqlalchemy import select, text

from app import create_app
from app.config import ProductionConfig
from app.core.models import AuditEvent
from app.extensions import db
from tests.conftest import make_app, make_production_app
from tests.factories import PASSWORD


def assert_friendly(response, status, words):
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert words in page
    assert page.count("<h1") == 1
    assert "Traceback" not in page
    assert 'lang="en-GB"' in page


def test_404(client):
    assert_friendly(client.get("/no-such-page"), 404, "Page not found")
    assert "no longer be yours to see" not in client.get("/no-such-page").get_data(as_text=True)


def test_a_404_from_an_old_link_says_why_to_someone_signed_in(client, broker, login):
    """A notification's link to a former client's need: no longer theirs to see, said plainly."""
    login(broker)
    page = client.get("/broker/needs/999999")
    assert_friendly(page, 404, "the page may no longer be yours to see")


def test_405_says_which_methods_are_allowed(client):
    response = client.get("/sign-out")
    assert_friendly(response, 405, "That action is not available here")
    assert "POST" in response.headers["Allow"]


def test_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/sign-in", data={"email": "x" * 5000, "password": "y"})
    assert_friendly(response, 413, "too large")


def test_429(app, client):
    app.config["EMAIL_REQUESTS_PER_ADDRESS"] = "1 per hour"
    client.submit("/forgot-password", {"email": "a@example.org"})
    response = client.submit("/forgot-password", {"email": "b@example.org"})
    assert_friendly(response, 429, "Too many attempts")


def test_csrf_failure_page(client):
    assert_friendly(client.post("/forgot-password", data={"email": "a@example.org"}), 400, "Your form could not be sent")


def test_400(app, client):
    @app.get("/test-bad-request")
    def bad_request():
        abort(400)

    assert_friendly(client.get("/test-bad-request"), 400, "There is a problem with your request")


def test_500_is_friendly_logged_and_rolls_back(app, client, caplog):
    @app.get("/test-crash")
    def crash():
        db.session.execute(text("INSERT INTO hubs (name, slug, created_at) VALUES ('x', 'x', '2026-01-01')"))
        raise RuntimeError("boom: secret detail")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/test-crash")
    assert_friendly(response, 500, "Sorry, there is a problem with the service")
    assert "secret detail" not in response.get_data(as_text=True)
    assert "boom: secret detail" in caplog.text
    assert db.session.execute(text("SELECT count(*) FROM hubs")).scalar() == 0


def test_403_is_friendly_and_audited(client, login, holder):
    login(holder)
    assert_friendly(client.get("/admin/"), 403, "You cannot see this page")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permission.refused"))
    assert event.actor_id == holder.id and event.details["path"] == "/admin/"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_pages_have_no_inline_scripts_or_styles(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert "<script>" not in page and "style=" not in page and "<style" not in page
    assert 'onclick=' not in page


def test_signed_in_pages_are_not_cached(client, login, holder):
    login(holder)
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(client, holder):
    response = client.submit("/sign-in", {"email": holder.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


@pytest.fixture
def production_app(migrated_template, tmp_path, monkeypatch):
    app = make_production_app(migrated_template, tmp_path)
    with app.app_context():
        yield app
        db.engine.dispose()


def test_production_sends_hsts_and_secure_cookies(production_app):
    client = production_app.test_client()
    response = client.get("/sign-in", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert production_app.config["SESSION_COOKIE_SECURE"] is True
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("secret", ["", "dev", "change-me", "short-key"])
def test_production_refuses_a_missing_or_weak_secret_key(secret):
    class Config(ProductionConfig):
        SECRET_KEY = secret

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Config)


def test_production_refuses_rate_limits_counted_in_each_worker_alone():
    """In-memory counting lets N workers through N times the limit: production needs Redis, or an
    explicit statement that only one worker ever runs."""

    class Memory(ProductionConfig):
        SECRET_KEY = "k" * 48
        RATELIMIT_STORAGE_URI = "memory://"
        RATELIMIT_SINGLE_WORKER = False

    with pytest.raises(RuntimeError, match="REDIS_URL"):
        create_app(Memory)

    class Shared(Memory):
        RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"

    assert create_app(Shared).config["RATELIMIT_STORAGE_URI"].startswith("redis://")

    class OneWorker(Memory):
        RATELIMIT_SINGLE_WORKER = True

    assert create_app(OneWorker).config["RATELIMIT_SINGLE_WORKER"] is True


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path,
                   SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 1}})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
