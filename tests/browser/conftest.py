"""Browser tests: the real app on a live server in a thread (its own SQLite file, demo data
loaded), driven by Playwright in Debian's Chromium, with an axe-core scan of every page
visited. A test fails if it visits a page it did not scan."""

from __future__ import annotations

import logging
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from tests.conftest import SHARED_TEMPLATE_CACHE, make_app, mark_folder

CHROMIUM = "/usr/bin/chromium"
_axe = Axe()


def pytest_collection_modifyitems(items):
    mark_folder(items, "tests/browser/", pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run the README's test command, which installs it")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


class LiveServer:
    def __init__(self, app, url: str):
        self.app = app
        self.url = url

    def last_link(self, to: str, path_prefix: str) -> str:
        """The link starting with `path_prefix` in the latest email queued for `to`."""
        from sqlalchemy import select

        from app.core.models import OutboxMessage
        from app.extensions import db

        with self.app.app_context():
            body = db.session.scalars(
                select(OutboxMessage.body_text).where(OutboxMessage.to_address == to).order_by(OutboxMessage.id.desc())
            ).first()
        assert body, f"no email to {to}"
        match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"\S+)", body)
        assert match, body
        return self.url + match.group(1)


@contextmanager
def serving(migrated_template, folder: Path, **overrides):
    """The portal with the demo data on its own SQLite copy, served from a thread on 127.0.0.1."""
    path = folder / "live.sqlite3"
    shutil.copyfile(migrated_template, path)
    app = make_app(f"sqlite:///{path}", folder, PUBLIC_BASE_URL="http://127.0.0.1", **overrides)
    app.jinja_env.bytecode_cache = SHARED_TEMPLATE_CACHE
    with app.app_context():
        from app.demo import seed
        from app.extensions import db
        from app.search import queue

        seed()
        db.session.commit()
        queue.reindex()  # as `make run` does after seeding
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_server(migrated_template, tmp_path_factory):
    with serving(migrated_template, tmp_path_factory.mktemp("live")) as live:
        yield live


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


class Accessibility:
    """Tracks the pages a test visits and scans each with axe-core."""

    def __init__(self, page, scanner=None):
        self.page = page
        # With JavaScript switched off, axe cannot run in the page itself: the page's HTML
        # (scripts removed, so it stays the no-JavaScript version) is scanned in `scanner`,
        # a JavaScript-enabled page on the same site, so styles and contrast are real.
        self.scanner = scanner
        self.visited: list[str] = []
        self.scanned: set[str] = set()
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.visited.append(_path(frame.url))

    def check(self, label: str = "") -> None:
        """Run axe on the page as it is now; fail on any violation."""
        self.page.wait_for_load_state("load")
        target = self.page
        if self.scanner is not None:
            html = re.sub(r"<script\b[^>]*>.*?</script>", "", self.page.content(), flags=re.S)
            origin = re.match(r"^https?://[^/]+", self.page.url).group(0)
            self.scanner.goto(origin + "/healthz")
            self.scanner.set_content(html, wait_until="load")
            target = self.scanner
        results = _axe.run(target)
        assert results.violations_count == 0, f"axe violations on {self.page.url} {label}:\n{results.generate_report()}"
        self.scanned.add(_path(self.page.url))

    def assert_all_scanned(self) -> None:
        missed = [url for url in self.visited if url not in self.scanned]
        assert not missed, f"pages visited without an accessibility scan: {missed}"


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url).split("#")[0]


@pytest.fixture
def a11y(page):
    checker = Accessibility(page)
    yield checker
    checker.assert_all_scanned()


PHONE = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def open_browser(browser, live_server):
    """`open_browser(viewport, javascript=...)`: a new browser window of that size, with
    JavaScript on or off, and its axe checker (which must have scanned every page it visited
    by the end of the test); closed afterwards."""
    opened = []

    def _open(viewport: dict, *, javascript: bool = True):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript, base_url=live_server.url)
        opened.append(context)
        scanner = None
        if not javascript:
            scanner_context = browser.new_context(viewport=viewport, base_url=live_server.url)
            opened.append(scanner_context)
            scanner = scanner_context.new_page()
        page = context.new_page()
        checker = Accessibility(page, scanner=scanner)
        opened.append(checker)
        return page, checker

    yield _open
    for item in opened:
        if isinstance(item, Accessibility):
            item.assert_all_scanned()
        else:
            item.close()


def no_sideways_scroll(page) -> None:
    """WCAG 1.4.10: nothing on the page makes it scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide at {page.url}"


def visit(page, a11y, path: str) -> None:
    """Open the page and scan it."""
    page.goto(path)
    a11y.check()


def follow_link(page, a11y, **link) -> None:
    """Follow the link (`name=`, and `exact=` if need be) and scan the page it leads to."""
    page.get_by_role("link", **link).click()
    a11y.check()


def open_menu(page) -> None:
    """On a narrow screen the main menu is folded behind its "Menu" button (with JavaScript;
    without, the links are always shown): open it."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.count() and toggle.first.is_visible() and toggle.first.get_attribute("aria-expanded") != "true":
        toggle.first.click()


def follow_menu(page, a11y, name: str) -> None:
    """Follow a link in the main menu."""
    open_menu(page)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name, exact=True).click()
    a11y.check()


def sign_in(page, a11y, email: str, password: str = "ourchoice-demo") -> None:
    visit(page, a11y, "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    a11y.check("after signing in")


def sign_out(page, a11y) -> None:
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    a11y.check("after signing out")
