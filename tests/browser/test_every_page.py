"""Every page each role can reach, found by following links from their home page (so new pages
are covered without listing them), scanned with axe-core, with one <h1> and a unique title, and
never scrolling sideways on a 320 px screen (WCAG 1.4.10: wide tables scroll in their own box)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PHONE, WIDE, no_sideways_scroll, sign_in

ROLES = [None, "holder@demo.test", "ada.okafor@demo.test", "broker@demo.test", "provider@demo.test",
         "hublead@demo.test", "funder@demo.test", "admin@demo.test"]
MAX_PAGES = 40
# Not pages: files to download (statements as CSV) are followed by the money tests instead.
SKIP = re.compile(r"^/(static/|healthz|sign-out|invitations/|verify-email/|reset-password/|helpers/|claim/)|^[^?]*\.csv(\?|$)")


def shape(path: str) -> str:
    """Pages that differ only by ids count once (one broker profile stands for all)."""
    return re.sub(r"/\d+", "/N", path.split("?")[0])


def links_on(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.match(path):
            paths.append(path)
    return paths


@pytest.mark.parametrize("email", ROLES, ids=lambda e: e or "anonymous")
def test_every_reachable_page_is_accessible(page, a11y, email):
    if email:
        sign_in(page, a11y, email)
    queue = deque(["/"])
    seen_shapes: set[str] = set()
    titles: dict[str, str] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        if shape(path) in seen_shapes:
            continue
        seen_shapes.add(shape(path))
        response = page.goto(path)
        visited += 1
        a11y.check(f"as {email or 'anonymous'}")
        assert response.status in (200, 403), f"{path} answered {response.status} as {email}"
        assert page.locator("h1").count() == 1, path
        page.set_viewport_size(PHONE)
        no_sideways_scroll(page)
        page.set_viewport_size(WIDE)
        title = page.title()
        landed = urlsplit(page.url).path  # after any redirect (signed out: the sign-in page)
        if response.status == 200:
            other = titles.get(title)
            assert other is None or shape(other) == shape(landed), f"{landed} and {other} share the title {title!r}"
            titles[title] = landed
        queue.extend(links_on(page))
    assert visited >= 3
