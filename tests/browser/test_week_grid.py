"""The week's checkboxes (the provider's spare capacity, the broker's need form) in a real browser:
on a wide screen every part of the day is a visible column with nothing to scroll; on a phone each
day is a list of labelled checkboxes that fit the screen and can be ticked from the keyboard.
Every page is scanned with axe at both widths."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.core.reference import DAYS, PARTS_OF_DAY
from tests.browser.conftest import follow_link, sign_in, sign_out

WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 320, "height": 640}


def no_sideways_scroll(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways at {page.viewport_size['width']}px: {widths}"


def every_column_in_view(page) -> None:
    headings = page.locator(".oc-week__heading")
    expect(headings).to_have_count(len(PARTS_OF_DAY))
    width = page.viewport_size["width"]
    for index, name in enumerate(PARTS_OF_DAY.values()):
        heading = headings.nth(index)
        expect(heading).to_be_visible()
        assert heading.evaluate("e => e.textContent.replace(/\\u00ad/g, '')") == name
        box = heading.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} is outside the screen: {box}"
    grid = page.locator(".oc-week")
    assert grid.evaluate("e => e.scrollWidth <= e.clientWidth"), "the grid scrolls inside itself"
    # Each column's checkbox sits under its heading.
    for index, part in enumerate(PARTS_OF_DAY):
        heading = headings.nth(index).bounding_box()
        box = page.locator(f".govuk-checkboxes__item:has(#slots-6-{part})").bounding_box()
        centre = box["x"] + box["width"] / 2
        assert heading["x"] <= centre <= heading["x"] + heading["width"], part


def checkbox(page, day: int, part: str):
    return page.get_by_role("checkbox", name=f"{DAYS[day]} {PARTS_OF_DAY[part].lower()}", exact=True)


def test_week_grid_wide_and_on_a_phone(page, a11y):
    page.set_viewport_size(WIDE)
    sign_in(page, a11y, "provider@demo.test")
    follow_link(page, a11y, name="Update your spare capacity for Maida Vale Home Care")
    capacity_url = page.url

    # Wide: a grid with all seven parts of the day, every checkbox named by its day and part.
    every_column_in_view(page)
    no_sideways_scroll(page)
    for day in DAYS:
        for part in PARTS_OF_DAY:
            expect(checkbox(page, day, part)).to_be_visible()
    expect(checkbox(page, 0, "evening")).to_be_checked()  # the demo agency works evenings
    expect(checkbox(page, 0, "lunchtime")).not_to_be_checked()

    # A phone: the same fields, day by day; no column headings, each day a group named by its legend.
    page.set_viewport_size(PHONE)
    a11y.check("at 320px")
    no_sideways_scroll(page)
    expect(page.locator(".oc-week__head")).to_be_hidden()
    monday = page.get_by_role("group", name="Monday", exact=True)
    expect(monday.get_by_text("Lunchtime", exact=True)).to_be_visible()
    for part in PARTS_OF_DAY:
        box = checkbox(page, 0, part).bounding_box()
        assert box["x"] >= -10 and box["x"] + box["width"] <= 320, part

    # Tick Monday lunchtime from the keyboard alone and save.
    page.get_by_text("Tick every time that applies.").click()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "slots-0-lunchtime":
            break
    else:
        raise AssertionError("Tab never reached Monday lunchtime")
    page.keyboard.press("Space")
    expect(checkbox(page, 0, "lunchtime")).to_be_checked()
    page.get_by_role("button", name="Save spare capacity").click()
    a11y.check("after saving at 320px")
    expect(page.get_by_text("Your spare capacity has been saved.")).to_be_visible()

    # Back on a wide screen the grid shows what was saved; then untick it, as it was.
    page.set_viewport_size(WIDE)
    page.goto(capacity_url)
    a11y.check("saved")
    expect(checkbox(page, 0, "lunchtime")).to_be_checked()
    expect(checkbox(page, 0, "evening")).to_be_checked()
    checkbox(page, 0, "lunchtime").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save spare capacity").click()
    a11y.check("after saving again")
    sign_out(page, a11y)


def test_need_form_grid_fits_both_widths(page, a11y):
    page.set_viewport_size(WIDE)
    sign_in(page, a11y, "broker@demo.test")
    follow_link(page, a11y, name="Clients", exact=True)
    follow_link(page, a11y, name="Grace Okafor")
    follow_link(page, a11y, name=re.compile("^Post a need for"))
    headings = page.locator(".oc-week__heading")
    expect(headings).to_have_count(len(PARTS_OF_DAY))
    width = page.viewport_size["width"]
    for index in range(len(PARTS_OF_DAY)):
        box = headings.nth(index).bounding_box()
        assert box["x"] + box["width"] <= width
    assert page.locator(".oc-week").evaluate("e => e.scrollWidth <= e.clientWidth")
    no_sideways_scroll(page)
    page.set_viewport_size(PHONE)
    a11y.check("need form at 320px")
    no_sideways_scroll(page)
    expect(page.get_by_role("group", name="Sunday", exact=True).get_by_role("checkbox")).to_have_count(
        len(PARTS_OF_DAY))
    page.set_viewport_size(WIDE)
    sign_out(page, a11y)
