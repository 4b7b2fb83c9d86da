"""The hub lead's pages in a real browser, at 1280 and 320 pixels wide, each scanned with axe:
the brokers list (why someone is not listed, what expires soon), an application's one review
page, the directory's moderation pages (no sideways scrolling on a small screen), a correction
approved in one step, and closing a gap."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, visit

WIDTHS = [1280, 320]


def fits(page, width: int) -> None:
    """The page itself never scrolls sideways (wide content scrolls inside its own region)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", WIDTHS)
def test_hub_lead_pages(page, a11y, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, a11y, "hublead@demo.test")

    visit(page, a11y, "/hub/brokers")
    fits(page, width)
    expect(page.get_by_text(re.compile(r"Not listed: insurance expired on \d+ \w+ \d{4}"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"DBS check expires on \d+ \w+ \d{4}"))).to_be_visible()

    page.get_by_role("link", name="Ruth Campbell").click()
    a11y.check("an application to check")
    fits(page, width)
    expect(page.get_by_role("heading", name="History of checks")).to_be_visible()
    expect(page.get_by_role("group", name="Your decision on the DBS check", exact=True)).to_have_count(1)

    for path in ("/hub/directory", "/hub/directory/entries"):
        visit(page, a11y, path)
        fits(page, width)


def test_correct_an_entry_publish_with_no_contact_and_close_a_gap(page, a11y, live_server):
    page.set_viewport_size({"width": 320, "height": 900})
    sign_in(page, a11y, "hublead@demo.test")

    # A correction: the entry's details are on the page, changed and approved in one step.
    visit(page, a11y, "/hub/directory")
    page.get_by_role("link", name="Correction to Pimlico Lunch Club").click()
    a11y.check("a correction")
    fits(page, 320)
    page.get_by_label("Opening times").fill("Thursdays, 12 to 2pm")
    page.get_by_label("Dealt with (entry corrected, or passed on)").check()
    page.get_by_role("button", name="Save the decision").click()
    a11y.check("after the correction")
    expect(page.get_by_text("Done. The person who suggested it has been told.")).to_be_visible()

    # A new entry with no way to contact it: warned first, published once confirmed.
    visit(page, a11y, "/hub/directory/entries/new")
    page.get_by_label("Name of the service").fill("Westbourne Quiet Reading Group")
    page.get_by_label("What it does").fill("Read together in silence, then talk about it.")
    page.get_by_label("Day opportunities").check()
    page.get_by_label("Postcode districts it serves").fill("W2")
    page.get_by_role("button", name="Add to the directory").click()
    a11y.check("no way to contact it")
    fits(page, 320)
    expect(page.get_by_role("alert")).to_contain_text("This entry has no way to contact it")
    page.get_by_label("Publish it with no phone, email, website or address").check()
    page.get_by_role("button", name="Add to the directory").click()
    a11y.check("after confirming")
    expect(page.get_by_text("Westbourne Quiet Reading Group saved")).to_be_visible()

    # A gap: the response is needed to close it; once closed it shows what was done.
    visit(page, a11y, "/hub/gaps")
    fits(page, 320)
    section = page.locator("section.oc-card").filter(has=page.get_by_role("checkbox")).first
    heading = section.get_by_role("heading").inner_text()
    section.get_by_role("checkbox", name="Close this gap: it has been dealt with").check()
    section.get_by_role("button", name="Save").click()
    a11y.check("closing without a response")
    expect(page.get_by_role("alert")).to_contain_text("Enter your response")
    section = page.locator("section.oc-card").filter(has_text=heading).first
    section.get_by_role("textbox").fill("A volunteer befriending scheme now covers NW8.")
    section.get_by_role("checkbox", name="Close this gap: it has been dealt with").check()
    section.get_by_role("button", name="Save").click()
    a11y.check("after closing the gap")
    expect(page.get_by_text("Gap closed. The broker has been told what was done.")).to_be_visible()
    closed = page.locator("section.oc-card").filter(has_text=heading).first
    expect(closed).to_contain_text("Closed")
    expect(closed).to_contain_text("A volunteer befriending scheme now covers NW8.")
