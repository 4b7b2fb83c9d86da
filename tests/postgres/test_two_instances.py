"""Two app instances on PostgreSQL and Redis share everything a request depends on.

Two gunicorn processes stand in for two hosts behind a load balancer: each has its own
folders (search index, mail, instance), and the same database, Redis and SECRET_KEY. What one
instance does, the other sees straight away:

- a directory entry added through A is found by a search on B (SEARCH_BACKEND=postgresql keeps
  the search index in the database), and the sign-in cookie and CSRF token one instance issues
  are good on the other (sessions are kept in the database, not on a host);
- the sign-in limit reached on A refuses the next attempt on B (the counts are in Redis);
- an email queued by a request on A is sent once when both run `flask outbox send` at once
  (the outbox is in the database, and each sender locks the rows it sends).
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import string
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import make_url, select

from app.extensions import db
from tests import pg
from tests.conftest import PROJECT_ROOT, find_csrf, make_app, run_migrations
from tests.factories import PASSWORD, HubFactory, HubLeadFactory, UserFactory, category
from tests.redis_db import fresh_redis
from tests.search_helpers import entry_form

SCHEMA = "oc_two_instances"
REDIS_URL = "redis://127.0.0.1:6379/9"
FAILURES_PER_ACCOUNT = 5
TIMEOUT = 15  # seconds for any one HTTP request
TOO_MANY = "There have been too many attempts to sign in"


@dataclass
class Instance:
    name: str
    url: str
    env: dict
    mail_dir: Path
    process: subprocess.Popen
    stderr: Path

    def log(self) -> str:
        return self.stderr.read_text(errors="replace")[-4000:]


@dataclass
class Site:
    a: Instance
    b: Instance
    app: object  # a testing app on the same schema, for the test's own queries
    lead_email: str
    category_id: int


# --- Helpers ------------------------------------------------------------------------------


def require_redis() -> None:
    fresh_redis(REDIS_URL, "Two-instance tests").close()


def database_url_for_instances() -> str:
    """The test database with the schema on the search path, as an operator would write DATABASE_URL."""
    url = make_url(pg.database_url()).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    return url.render_as_string(hide_password=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def instance_env(folder: Path, secret_key: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("RATELIMIT_", "SIGN_IN_", "SEARCH_", "MAIL_", "OUTBOX_", "SESSION_"))}
    env.update({
        "OURCHOICE_ENV": "production",
        "OURCHOICE_INSTANCE_DIR": str(folder / "instance"),
        "SECRET_KEY": secret_key,
        "SESSION_COOKIE_SECURE": "false",  # the tests talk plain http
        "DATABASE_URL": database_url_for_instances(),
        "REDIS_URL": REDIS_URL,
        "SEARCH_BACKEND": "postgresql",
        "SEARCH_INDEX_DIR": str(folder / "search-index"),
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(folder / "mail"),
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        "SIGN_IN_FAILURES_PER_ACCOUNT": f"{FAILURES_PER_ACCOUNT} per 15 minutes",
    })
    return env


def start_instance(name: str, folder: Path, secret_key: str) -> Instance:
    folder.mkdir(parents=True)
    port = free_port()
    stderr = folder / "gunicorn.log"
    env = instance_env(folder, secret_key)
    with stderr.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "wsgi:app"],
            cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    return Instance(name, f"http://127.0.0.1:{port}", env, folder / "mail", process, stderr)


def wait_until_healthy(instance: Instance, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            break
        try:
            if requests.get(f"{instance.url}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"instance {instance.name} never answered /healthz "
                f"(exit code {instance.process.poll()}):\n{instance.log()}")


def stop(instance: Instance) -> None:
    if instance.process.poll() is None:
        instance.process.terminate()
        try:
            instance.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            instance.process.kill()
            instance.process.wait()


def flask_command(instance: Instance, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=PROJECT_ROOT,
                            env=instance.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen, what: str) -> str:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, f"{what} failed ({process.returncode}):\n{out}\n{err}"
    return out


def post_form(browser: requests.Session, form_url: str, post_url: str, data: dict) -> requests.Response:
    """Submit a form as a browser does: the page first, for its CSRF token."""
    page = browser.get(form_url, timeout=TIMEOUT)
    assert page.status_code == 200, page.text[:500]
    return browser.post(post_url, data={"csrf_token": find_csrf(page.text), **data}, allow_redirects=False,
                        timeout=TIMEOUT)


def sign_in(browser: requests.Session, instance: Instance, email: str, password: str) -> requests.Response:
    url = f"{instance.url}/sign-in"
    return post_form(browser, url, url, {"email": email, "password": password})


def unique_word() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=12))


def mails_to(address: str, *folders: Path) -> list[Path]:
    return [path for folder in folders if folder.exists() for path in sorted(folder.glob("*.eml"))
            if f"To: {address}" in path.read_text(errors="replace")]


# --- The two instances ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    options = pg.fresh_schema(SCHEMA)
    require_redis()
    folder = tmp_path_factory.mktemp("two-instances")
    app = make_app(pg.database_url(), folder / "test", SQLALCHEMY_ENGINE_OPTIONS=options)
    run_migrations(app)
    with app.app_context():
        lead = HubLeadFactory(hub=HubFactory(districts=["W9"])).user
        seeded = lead.email, category("befriending").id
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    secret_key = secrets.token_urlsafe(48)
    instances: list[Instance] = []
    try:
        for name in ("a", "b"):
            instances.append(start_instance(name, folder / name, secret_key))
        for instance in instances:
            wait_until_healthy(instance)
        yield Site(instances[0], instances[1], app, *seeded)
    finally:
        for instance in instances:
            stop(instance)
        with app.app_context():
            db.engine.dispose()


def make_user(site: Site) -> str:
    """A verified account with the factories' password; its email address."""
    with site.app.app_context():
        email = UserFactory().email
        db.session.remove()
    return email


# --- The tests --------------------------------------------------------------------------------


def test_a_change_on_one_instance_is_found_on_the_other(site):
    # Each host builds its search index at release (`flask search reindex`): with a per-host
    # index (Whoosh), B's would then not hold what A adds later, and B would not find it.
    for process in [flask_command(instance, "search", "reindex") for instance in (site.a, site.b)]:
        finish(process, "flask search reindex")

    browser = requests.Session()
    signed_in = sign_in(browser, site.a, site.lead_email, PASSWORD)
    assert signed_in.status_code == 302, signed_in.text[:1000]
    assert "/sign-in" not in signed_in.headers["Location"]

    # A's cookie is good on B: the session lives in the database, not on A.
    on_b = browser.get(f"{site.b.url}/hub/directory", allow_redirects=False, timeout=TIMEOUT)
    assert on_b.status_code == 200, f"{on_b.status_code} {on_b.headers.get('Location')}"

    # The form is served by B and posted to A, as a load balancer may send them.
    word = unique_word()
    name = f"{word.capitalize()} befriending circle"
    created = post_form(browser, f"{site.b.url}/hub/directory/entries/new", f"{site.a.url}/hub/directory/entries/new",
                        entry_form(name, site.category_id))
    assert created.status_code == 302, created.text[:1000]

    found = requests.get(f"{site.b.url}/directory", params={"q": word}, timeout=TIMEOUT)
    assert found.status_code == 200
    assert name in found.text, f"B's search for {word!r} does not show {name!r}"
    # ...by B's own search, not the slower answer from the database a broken index falls back to.
    assert "answering from the database" not in site.b.stderr.read_text(errors="replace")


def test_the_sign_in_limit_reached_on_one_instance_holds_on_the_other(site):
    email = make_user(site)
    on_a = requests.Session()
    failures = 0
    while failures <= FAILURES_PER_ACCOUNT:
        answer = sign_in(on_a, site.a, email, "not the password at all")
        if answer.status_code == 429:
            break
        assert answer.status_code == 200, answer.text[:500]
        assert "Enter a correct email address and password" in answer.text
        failures += 1
    assert answer.status_code == 429, f"A never limited the account after {failures} wrong passwords"
    assert failures == FAILURES_PER_ACCOUNT
    assert TOO_MANY in answer.text

    # B has never seen this account fail, yet refuses even the right password.
    on_b = requests.Session()
    refused = sign_in(on_b, site.b, email, PASSWORD)
    assert refused.status_code == 429, f"B answered {refused.status_code}: the count is not shared"
    assert TOO_MANY in refused.text
    assert on_b.get(f"{site.b.url}/account/details", allow_redirects=False, timeout=TIMEOUT).status_code == 302


def test_an_email_queued_on_one_instance_is_sent_once_by_both(site):
    from app.core.models import OutboxMessage

    email = make_user(site)
    answer = post_form(requests.Session(), f"{site.a.url}/forgot-password", f"{site.a.url}/forgot-password",
                       {"email": email})
    assert answer.status_code == 200, answer.text[:500]
    with site.app.app_context():
        queued = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == email)).all()
        assert [m.sent_at for m in queued] == [None]  # queued by the request, not sent after it
        message_id = queued[0].id
    assert not mails_to(email, site.a.mail_dir, site.b.mail_dir)

    senders = [flask_command(instance, "outbox", "send") for instance in (site.a, site.b)]
    outputs = [finish(process, "flask outbox send") for process in senders]

    assert len(mails_to(email, site.a.mail_dir, site.b.mail_dir)) == 1, outputs
    with site.app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        assert message.sent_at is not None
        assert message.attempts == 1
