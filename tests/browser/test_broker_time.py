"""The broker's client record and time in a real browser (the demo's Daniel and Grace): the menu
says "My accreditation", the record lists Grace's needs, and time that takes her past her band
is logged with a warning and the way to ask for a higher band. Every page is scanned with axe,
at 1280 and at 320 px wide."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.core.timeutil import today_in_london
from tests.browser.conftest import follow_link, sign_in, sign_out

WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 320, "height": 640}


def at_both_widths(page, a11y, label: str) -> None:
    for size in (PHONE, WIDE):
        page.set_viewport_size(size)
        a11y.check(f"{label} at {size['width']}px")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{label} scrolls sideways at {size['width']}px"


def test_time_past_the_band_and_the_clients_needs(page, a11y):
    page.set_viewport_size(WIDE)
    sign_in(page, a11y, "broker@demo.test")
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My accreditation")).to_be_visible()
    follow_link(page, a11y, name="Clients", exact=True)
    follow_link(page, a11y, name="Grace Okafor")
    at_both_widths(page, a11y, "client record")
    needs = page.get_by_role("heading", name="Grace Okafor's needs")
    expect(needs).to_be_visible()
    page.get_by_role("link", name="Help at home in W9").last.click()  # the demo's filled need, the oldest
    a11y.check("a need from the client record")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Help at home")
    page.go_back()

    # Log enough time to take Grace past the 10 hours of Band A.
    follow_link(page, a11y, name="Log time")
    expect(page.get_by_text(re.compile(r"You have logged .* of the 10 hours in Band A"))).to_be_visible()
    today = today_in_london()
    page.locator("#worked_on-day").fill(str(today.day))
    page.locator("#worked_on-month").fill(str(today.month))
    page.locator("#worked_on-year").fill(str(today.year))
    page.get_by_label("Hours", exact=True).fill("9")
    page.get_by_label("Minutes", exact=True).fill("0")
    page.get_by_label("Organising and setting up").check()
    page.get_by_label("Note (optional)").fill("Set up the home care with Maida Vale and the council.")
    page.get_by_role("button", name="Log time").click()
    expect(page.get_by_text(re.compile(r"Time logged\. This takes Grace Okafor to \d+ hours.* of the 10 hours in "
                                       r"Band A\."))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Grace Okafor is at .* of the 10 hours in Band A, past the band's hours"))
           ).to_be_visible()
    expect(page.get_by_role("cell", name="Set up the home care with Maida Vale and the council.")).to_be_visible()
    at_both_widths(page, a11y, "after logging past the band")

    # The warning is there before logging more, and leads to the band change request.
    follow_link(page, a11y, name="Log time")
    expect(page.get_by_text(re.compile(r"Grace Okafor is at .* past the band's hours"))).to_be_visible()
    at_both_widths(page, a11y, "time page past the band")
    follow_link(page, a11y, name="ask your hub lead for a higher band")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a higher band for Grace Okafor")
    sign_out(page, a11y)
