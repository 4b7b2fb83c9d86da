"""The directory's filters in a real browser, on a phone-width screen and a wide one, with and
without JavaScript: results first on a phone with a "Filter results" link down to the filters,
filters beside the results on a wide screen, chosen filters as tags that each take one away,
the way back from an entry to the same search, a misspelling answered with its suggestion's
results, and "Arabic speaking" understood. Every page is scanned with axe."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, WIDE, no_sideways_scroll


def result_names(page) -> list[str]:
    return page.locator("#main-content ul.govuk-list > li.oc-card h3 a").all_inner_texts()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_on_a_phone_the_results_come_first_and_filter_results_leads_to_the_filters(open_browser, javascript):
    page, a11y = open_browser(PHONE, javascript=javascript)
    page.goto("/directory?q=befriending")
    a11y.check("on a phone")
    no_sideways_scroll(page)
    filter_link = page.get_by_role("link", name="Filter results")
    expect(filter_link).to_be_visible()
    first_result = page.locator("li.oc-card").first
    filters_heading = page.get_by_role("heading", name="Filter", exact=True)
    assert first_result.bounding_box()["y"] < filters_heading.bounding_box()["y"]  # results first

    filter_link.click()
    assert page.url.endswith("#filters")
    expect(filters_heading).to_be_in_viewport()

    page.get_by_label(re.compile(r"^Arabic \(\d+ results?\)$")).check()
    page.get_by_label(re.compile(r"^Free \(")).check()
    page.get_by_role("button", name="Apply filters").click()
    a11y.check("filtered on a phone")
    no_sideways_scroll(page)
    expect(page.get_by_role("link", name="Filter results (2 chosen)")).to_be_visible()
    expect(page.get_by_role("link", name="Remove filter: Arabic")).to_be_visible()
    expect(page.get_by_role("link", name="Remove filter: Free")).to_be_visible()
    assert "Maida Vale Befriending Scheme" in result_names(page)

    page.get_by_role("link", name="Remove filter: Arabic").click()
    a11y.check("one filter taken away")
    expect(page.get_by_role("link", name="Remove filter: Arabic")).to_have_count(0)
    expect(page.get_by_role("link", name="Remove filter: Free")).to_be_visible()
    assert parse_qs(urlsplit(page.url).query) == {"q": ["befriending"], "free": ["y"], "sort": ["relevance"]}

    page.get_by_role("link", name="Clear filters").click()
    a11y.check("filters cleared")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["befriending"], "sort": ["relevance"]}  # words and order kept
    expect(page.get_by_label("Search the directory")).to_have_value("befriending")
    expect(page.get_by_role("link", name=re.compile("^Remove filter"))).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_on_a_wide_screen_the_filters_sit_beside_the_results(open_browser, javascript):
    page, a11y = open_browser(WIDE, javascript=javascript)
    page.goto("/directory?q=befriending&language=arabic")
    a11y.check("on a wide screen")
    no_sideways_scroll(page)
    filters = page.get_by_role("heading", name="Filter", exact=True).bounding_box()
    results = page.get_by_role("heading", name="Results", exact=True).bounding_box()
    assert filters["x"] < results["x"]  # filters on the left
    assert abs(filters["y"] - results["y"]) < 5  # side by side
    expect(page.get_by_role("link", name=re.compile("^Filter results"))).to_be_hidden()
    expect(page.get_by_role("link", name="Remove filter: Arabic")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_back_to_the_directory_returns_to_the_same_search(open_browser, viewport):
    page, a11y = open_browser(viewport)
    page.goto("/directory?q=befriending&district=W9&district=W10&sort=nearest&near=W9")
    a11y.check()
    page.get_by_label(re.compile(r"^Arabic \(\d+ results?\)$")).check()
    page.get_by_role("button", name="Apply filters").click()
    a11y.check("filtered")
    searched = parse_qs(urlsplit(page.url).query)
    page.get_by_role("link", name="Maida Vale Befriending Scheme").click()
    a11y.check("an entry")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maida Vale Befriending Scheme")
    no_sideways_scroll(page)
    page.get_by_role("link", name="Back to the directory").click()
    a11y.check("back from the entry")
    back = parse_qs(urlsplit(page.url).query)
    for key in ("q", "district", "language", "sort", "near"):
        assert back[key] == searched[key], key
    expect(page.get_by_label("Search the directory")).to_have_value("befriending")
    expect(page.get_by_label(re.compile(r"^Arabic \("))).to_be_checked()
    expect(page.get_by_label("Nearest", exact=True)).to_be_checked()
    expect(page.get_by_role("link", name="Remove filter: W10")).to_be_visible()


def test_back_to_the_directory_keeps_the_page_number(open_browser):
    page, a11y = open_browser(WIDE)
    page.goto("/directory?kind=service")
    a11y.check()
    page.get_by_role("navigation", name="Results pages").get_by_role("link", name=re.compile("^Next")).click()
    a11y.check("page 2")
    expect(page.get_by_role("status")).to_contain_text("page 2 of")
    first = result_names(page)[0]
    page.get_by_role("link", name=first, exact=True).click()
    a11y.check("an entry from page 2")
    page.get_by_role("link", name="Back to the directory").click()
    a11y.check("back to page 2")
    expect(page.get_by_role("status")).to_contain_text("page 2 of")
    assert result_names(page)[0] == first


def test_a_misspelling_shows_the_suggestions_results_and_arabic_speaking_is_understood(open_browser):
    page, a11y = open_browser(PHONE)
    page.goto("/directory")
    a11y.check()
    page.get_by_label("Search the directory").fill("befreinding")
    page.get_by_role("button", name="Search", exact=True).click()
    a11y.check("a misspelling")
    expect(page.get_by_text("Showing results for ‘befriending’")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"[1-9]\d* results? for befriending"))
    assert "Maida Vale Befriending Scheme" in result_names(page)
    page.get_by_role("link", name="Search instead for ‘befreinding’").click()
    a11y.check("as typed")
    expect(page.get_by_role("status")).to_contain_text("0 results for befreinding")
    expect(page.get_by_role("link", name="befriending", exact=True)).to_be_visible()  # "Did you mean"

    page.get_by_label("Search the directory").fill("Arabic speaking")
    page.get_by_role("button", name="Search", exact=True).click()
    a11y.check("Arabic speaking")
    names = result_names(page)
    assert {"Maida Vale Befriending Scheme", "Telephone Friends W9"} <= set(names)
    assert "Westway Befriending Circle" not in names  # English only
    no_sideways_scroll(page)
