"""No input gives a server error: every route in `app.url_map` and every form each role can
reach, sent the values an attacker (or a stray paste) would send.

- every `<int:...>` argument of every rule: beyond PostgreSQL's integer, beyond SQLite's,
  non-ASCII digits and a 5,000-digit number answer 404;
- every GET page each demo role (and anonymous) reaches by following links from the home page
  and from every GET route without arguments, signed in as that role, with
  `?page=` and every query parameter the views read (found in the source, and every field of
  every GET form on the page) set to those values: never a 500;
- every form found on those pages, submitted with its CSRF token: NUL in every text field gives
  a message beside the field; nonsense numbers and choices in every other field never a 500.

Pages and forms are discovered, not listed, so new routes and forms are covered for free.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from flask import url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from app.accounts.models import User
from app.extensions import db
from tests.conftest import sign_in_as

APP_DIR = Path(__file__).resolve().parents[2] / "app"
NUL_MESSAGE = "cannot be saved (a NUL character)"  # part of the message beside a field holding one

BAD_IDS = ["2147483648", "9223372036854775808", "\u00b2", "\u0663", "9" * 5000, "0", "-1", "+1", " 1"]
# Beyond PostgreSQL's integer, beyond SQLite's, digits that are not ASCII, more digits than int() reads.
BAD_CHOICES = ["2147483648", "9223372036854775808", "\u00b2", "\u0663", "9" * 5000]
BAD_NUMBERS = [*BAD_CHOICES, "1e30", "NaN", "inf", "-1"]
BAD_QUERY_VALUES = [*BAD_CHOICES, "9223372036854775807", "a\x00b"]
ROLES = [None, "holder@demo.test", "ada.okafor@demo.test", "broker@demo.test", "provider@demo.test",
         "hublead@demo.test", "funder@demo.test", "admin@demo.test"]
# Links not followed and forms not sent: they end the session or need a token from an email.
SKIP = re.compile(r"^/(static/|sign-out|invitations/[^/]+$|verify-email/|reset-password/|helpers/accept|claim/"
                  r"|account/close|account/email/confirm)")
MAX_PAGES = 120
PER_SHAPE = 4  # pages that differ only by ids: a few (a draft need, an open one, a filled one...)


# --- Reading pages --------------------------------------------------------------------------------------


class Form:
    def __init__(self, action: str, method: str):
        self.action, self.method = action, method
        self.fields: list[tuple[str, str, str]] = []  # (name, kind, default value)
        self.choices: dict[str, list[str]] = {}

    def text_names(self) -> list[str]:
        """Fields typed into, numbers included."""
        return [name for name, kind, _ in self.fields if kind in ("text", "number")]

    def has_plain_text(self) -> bool:
        return any(kind == "text" for _, kind, _ in self.fields)

    def signature(self) -> tuple:
        return (self.method, shape(self.action), tuple(sorted({name for name, _, _ in self.fields})))


class PageParser(HTMLParser):
    """Links and forms on a page, with each field's kind and the value a browser would send."""

    TEXT_TYPES = {"text", "email", "search", "tel", "url", "password", "number", None}

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_default: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            action = a.get("action") or self.page_path
            self._form = Form(action, (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type")
            name = a["name"]
            if kind in self.TEXT_TYPES:
                number = a.get("inputmode") in ("numeric", "decimal")  # pounds, whole numbers, dates
                self._form.fields.append((name, "number" if number else "text", a.get("value") or ""))
            elif kind == "hidden":
                self._form.fields.append((name, "hidden", a.get("value") or ""))
            elif kind in ("radio", "checkbox"):
                self._form.choices.setdefault(name, []).append(a.get("value") or "on")
                if "checked" in a:
                    self._form.fields.append((name, kind, a.get("value") or "on"))
                elif not any(n == name for n, _, _ in self._form.fields):
                    self._form.fields.append((name, kind + "-unset", ""))
        elif tag == "textarea":
            self._form.fields.append((a["name"], "text", ""))
        elif tag == "select":
            self._select, self._select_default = a["name"], None
            self._form.choices.setdefault(a["name"], [])
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._form.choices[self._select].append(value)
            if self._select_default is None or "selected" in a:
                self._select_default = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            self._form.fields.append((self._select, "select", self._select_default or ""))
            self._select = None


def shape(path: str) -> str:
    """Pages that differ only by ids count once."""
    return re.sub(r"/\d+", "/N", urlsplit(path).path)


def local(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not href.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def query_parameters_in_source() -> set[str]:
    """Every name the views read with request.args.get(...) or .getlist(...)."""
    names = {"page"}
    for path in APP_DIR.rglob("*.py"):
        names |= set(re.findall(r"""request\.args\.(?:get|getlist)\(\s*["']([A-Za-z_]+)["']""", path.read_text()))
    return names


# --- Fixtures -------------------------------------------------------------------------------------------


@pytest.fixture
def demo(app):
    from app.demo import seed

    seed()
    return app


def client_for(app, email: str | None):
    client = app.test_client()
    if email:
        sign_in_as(client, db.session.scalar(select(User).where(User.email == email)))
    return client


class Recorder:
    """Sends requests, turning a server error (or an exception the test client raises, as
    testing propagates them) into a failure line rather than stopping at the first."""

    def __init__(self):
        self.failures: list[str] = []
        self.sent = 0

    def send(self, client, method: str, url: str, label: str, **kwargs):
        self.sent += 1
        try:
            response = client.open(url, method=method.upper(), **kwargs)
        except Exception as exc:  # noqa: BLE001 - any exception is the server error we look for
            self.failures.append(f"{label}: {method.upper()} {url[:120]} raised {type(exc).__name__}: {str(exc)[:120]}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{label}: {method.upper()} {url[:120]} answered {response.status_code}")
        return response

    def check(self):
        assert not self.failures, f"{len(self.failures)} failures in {self.sent} requests:\n" + "\n".join(self.failures[:80])


def plain_pages(app) -> list[str]:
    """Every GET route without arguments (some, like a form to add something, may not be linked)."""
    with app.test_request_context():
        return [url_for(r.endpoint) for r in app.url_map.iter_rules()
                if "GET" in r.methods and not r.arguments and not SKIP.match(r.rule)]


def crawl(app, client, recorder: Recorder, label: str) -> tuple[list[str], list[tuple[str, Form]]]:
    """Pages reached from the home page (and every GET route without arguments) by following
    links, and the forms on them."""
    queue, seen, pages, forms, signatures = deque(["/", *plain_pages(app)]), Counter(), [], [], set()
    visited: set[str] = set()
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        if path in visited or seen[shape(path)] >= PER_SHAPE or SKIP.match(path):
            continue
        visited.add(path)
        seen[shape(path)] += 1
        response = recorder.send(client, "get", path, label)
        if response is None or response.status_code != 200 or "html" not in response.content_type:
            continue
        pages.append(path)
        parser = PageParser(urlsplit(path).path)
        parser.feed(response.get_data(as_text=True))
        for href in parser.links:
            if (target := local(href)) is not None:
                queue.append(target)
        for form in parser.forms:
            if form.signature() not in signatures and not SKIP.match(urlsplit(form.action).path):
                signatures.add(form.signature())
                forms.append((path, form))
    return pages, forms


# --- Routes ---------------------------------------------------------------------------------------------


SAMPLE = {"string": "x", "path": "x", "uuid": "00000000-0000-4000-8000-000000000000", "any": "x"}


def url_with_int_arguments(rule, value: str) -> str:
    """The rule's URL with every int argument set to `value` (percent-encoded as a browser would)."""
    url = rule.rule
    for converter, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule):
        pattern = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?" + name + ">")
        replacement = quote(value, safe="") if converter == "int" else SAMPLE.get(converter or "string", "x")
        url = pattern.sub(lambda _m, r=replacement: r, url)
    return url


def test_int_route_values_out_of_range_or_not_ascii_are_not_found(app, holder, broker, admin_user):
    recorder = Recorder()
    rules = [r for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert len(rules) > 50, "expected the portal's many record routes"
    for who in (None, holder, broker, admin_user):
        client = app.test_client()
        if who is not None:
            sign_in_as(client, who)
        for rule in rules:
            method = "get" if "GET" in rule.methods else "post"
            for value in BAD_IDS:
                url = url_with_int_arguments(rule, value)
                response = recorder.send(client, method, url, f"{rule.endpoint} as {who or 'anonymous'}")
                if response is not None and response.status_code != 404:
                    recorder.failures.append(f"{method.upper()} {url[:80]} answered {response.status_code}, not 404")
    recorder.check()


def test_the_int_converter_matches_ascii_digits_in_the_integer_range_only(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/directory/services/2147483647")[1] == {"entry_id": 2147483647}
    assert adapter.match("/directory/services/7")[1] == {"entry_id": 7}
    for value in BAD_IDS:
        with pytest.raises(NotFound):
            adapter.match(f"/directory/services/{quote(value)}")
    with app.test_request_context():
        assert url_for("directory.entry", entry_id=12) == "/directory/services/12"


# --- Forms ----------------------------------------------------------------------------------------------


def payload(form: Form, overrides: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    data: list[tuple[str, str]] = []
    for name, kind, value in form.fields:
        if name in overrides:
            continue
        if kind.endswith("-unset"):
            continue
        data.append((name, value))
    for name, value in overrides.items():
        for v in value if isinstance(value, list) else [value]:
            data.append((name, v))
    return data


def send_form(client, recorder: Recorder, label: str, form: Form, overrides: dict):
    data = payload(form, overrides)
    if form.method == "get":
        url = f"{urlsplit(form.action).path}?{urlencode(data)}"
        return recorder.send(client, "get", url, label)
    return recorder.send(client, "post", form.action, label, data=MultiDict(data))


@pytest.mark.parametrize("email", ROLES, ids=lambda e: e or "anonymous")
def test_every_page_and_form_refuses_bad_input_without_failing(demo, email):
    label = email or "anonymous"
    recorder = Recorder()
    client = client_for(demo, email)
    pages, forms = crawl(demo, client, recorder, label)
    assert len(pages) >= 3 and forms
    send_bad_query_strings(demo, client, recorder, label, pages, forms)
    send_bad_forms(client, recorder, label, forms)
    recorder.check()


def send_bad_query_strings(app, client, recorder, label, pages, forms):
    """Each page with `?page=`, every parameter the views read and every field of the page's
    GET forms set to each bad value at once."""
    names = query_parameters_in_source()
    get_fields: dict[str, set[str]] = {}
    for _, form in forms:
        if form.method == "get":
            get_fields.setdefault(shape(form.action), set()).update(name for name, _, _ in form.fields)
    one_of_each = {shape(page): page for page in reversed(pages + plain_pages(app))}  # the first of each shape
    for page in one_of_each.values():
        path, keep = urlsplit(page).path, parse_qsl(urlsplit(page).query)
        for value in BAD_QUERY_VALUES:
            query = keep + [(name, value) for name in sorted(names | get_fields.get(shape(path), set()))]
            recorder.send(client, "get", f"{path}?{urlencode(query)}", label)


def send_bad_forms(client, recorder, label, forms):
    for _, form in forms:
        texts = form.text_names()
        if texts:
            response = send_form(client, recorder, label, form, {name: "a\x00b" for name in texts})
            if response is not None and form.method == "post" and 300 <= response.status_code < 400:
                recorder.failures.append(f"{label}: {form.action} accepted NUL in {texts}")
            if response is not None and response.status_code in (200, 400) and form.method == "post":
                # the message beside a text field; a number field says it wants a number
                expected = NUL_MESSAGE if form.has_plain_text() else "govuk-error-message"
                if expected not in response.get_data(as_text=True):
                    recorder.failures.append(f"{label}: {form.action} with NUL in {texts} gave no message")
        chosen = [name for name, kind, _ in form.fields if kind not in ("text", "number", "hidden")]
        for value in BAD_CHOICES if chosen else []:
            send_form(client, recorder, label, form, dict.fromkeys(chosen, value))
        for value in BAD_NUMBERS if texts else []:
            send_form(client, recorder, label, form, dict.fromkeys(texts, value))
