"""The provider's journey in a real browser, wide, at 320 px and with JavaScript off: the home
page's counts, an offer above the need's maximum (warned, then confirmed), withdrawing (asked
first) and applying again, the agreement with the person's and the broker's contact details;
then the person's own agreement page. Every page is scanned with axe and must fit the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Accessibility, sign_in

WAYS = [pytest.param(1280, True, id="1280px"), pytest.param(320, True, id="320px"),
        pytest.param(320, False, id="320px-without-javascript")]


def fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def step(page, a11y, width: int, label: str = "") -> None:
    a11y.check(label)
    fits(page, width)


def click_link(page, a11y, width: int, name) -> None:
    page.get_by_role("link", name=name).first.click()
    step(page, a11y, width)


def sign_out(page, a11y, width: int) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.count() and menu.is_visible():  # on a small screen with JavaScript, the menu folds away
        menu.click()
    page.get_by_role("button", name="Sign out").click()
    step(page, a11y, width, "signed out")


def provider_part(page, a11y, width: int) -> None:
    sign_in(page, a11y, "provider@demo.test")
    expect(page.get_by_text(re.compile(r"\d+ offers? waiting for a decision"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+ active agreements?"))).to_be_visible()
    click_link(page, a11y, width, re.compile(r"^Your offers"))
    click_link(page, a11y, width, "Personal care in W9")

    # A rate above the maximum: warned, everything kept, then sent once confirmed.
    message = page.get_by_label("How would you meet this need?").input_value()
    page.get_by_label("Your hourly rate, in pounds").fill("27")
    page.get_by_role("button", name="Change offer").click()
    step(page, a11y, width, "warned about the rate")
    expect(page.get_by_role("link", name=re.compile("above the most this need can pay"))).to_be_visible()
    expect(page.get_by_label("How would you meet this need?")).to_have_value(message)
    page.get_by_label("Send my offer at this rate, above the maximum").check()
    page.get_by_role("button", name="Change offer").click()
    step(page, a11y, width, "sent above the maximum")
    expect(page.get_by_text("Your offer has been sent")).to_be_visible()
    expect(page.get_by_text("(above the most this need can pay)")).to_be_visible()
    page.get_by_label("Your hourly rate, in pounds").fill("25")
    page.get_by_role("button", name="Change offer").click()
    step(page, a11y, width, "back to £25")
    met = page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text="Worker: women"))
    expect(met).to_contain_text("Met")  # the worker is a woman, as the need asks

    # Withdrawing asks first; keeping it changes nothing; then withdraw and apply again.
    page.get_by_role("button", name="Withdraw offer").click()  # a link that looks like a button
    step(page, a11y, width)
    expect(page.get_by_role("heading", name="Withdraw your offer for personal care in W9?")).to_be_visible()
    expect(page.get_by_text("The broker will be told.")).to_be_visible()
    click_link(page, a11y, width, "No, keep my offer")
    page.get_by_role("button", name="Withdraw offer").click()
    step(page, a11y, width)
    page.get_by_role("button", name="Yes, withdraw my offer").click()
    step(page, a11y, width, "withdrawn")
    expect(page.get_by_text("Your offer has been withdrawn.")).to_be_visible()
    page.get_by_role("button", name="Send offer").click()
    step(page, a11y, width, "sent again")
    expect(page.get_by_text("Your offer has been sent")).to_be_visible()

    # The agreement: the person's contact details (it is active) and the broker's.
    page.goto("/")
    step(page, a11y, width)
    click_link(page, a11y, width, re.compile(r"^Your service agreements"))
    click_link(page, a11y, width, "Help at home in W9")
    expect(page.get_by_role("heading", name="The person")).to_be_visible()
    expect(page.get_by_role("link", name="holder@demo.test")).to_be_visible()
    expect(page.get_by_role("link", name="broker@demo.test")).to_be_visible()
    sign_out(page, a11y, width)


def person_part(page, a11y, width: int) -> None:
    sign_in(page, a11y, "holder@demo.test")
    click_link(page, a11y, width, re.compile("Needs posted for you"))
    filled = page.locator("li.oc-card", has_text="Filled.").filter(has_text="Help at home")
    filled.first.get_by_role("link").click()
    step(page, a11y, width)
    click_link(page, a11y, width, re.compile(": see the agreement$"))
    expect(page.get_by_role("heading", name=re.compile("^Your support agreement with "))).to_be_visible()
    for text in (re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) afternoon"),
                 re.compile(r"^£\d+\.\d\d an hour$"), re.compile(r"^£\d+\.\d\d a week$")):
        expect(page.get_by_text(text).first).to_be_visible()
    expect(page.get_by_role("heading", name="Who provides it")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"@demo\.test$"))).not_to_have_count(0)
    expect(page.get_by_role("link", name="broker@demo.test")).to_be_visible()
    sign_out(page, a11y, width)


@pytest.mark.parametrize(("width", "javascript"), WAYS)
def test_provider_journey(browser, live_server, width, javascript):
    context = browser.new_context(java_script_enabled=javascript, base_url=live_server.url,
                                  viewport={"width": width, "height": 900})
    scanner_context = None if javascript else browser.new_context(base_url=live_server.url,
                                                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    a11y = Accessibility(page, scanner=scanner_context.new_page() if scanner_context else None)
    try:
        provider_part(page, a11y, width)
        person_part(page, a11y, width)
        a11y.assert_all_scanned()
    finally:
        context.close()
        if scanner_context:
            scanner_context.close()
