"""The money's journey in a real browser, on a 320 px screen with JavaScript off (so every form
works without it, and nothing scrolls sideways): the funder officer sets the allocation of Grace's
council budget; Grace records money received; her home care agency invoices; she queries it; the
agency sends a corrected invoice; she approves and pays it by hand; the statement shows it; the
funder officer sees the statement and the warning. Every page is scanned with axe."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.core.timeutil import today_in_london
from tests.browser.conftest import Accessibility

WIDTH = 320


def step(page, a11y, label: str = "") -> None:
    a11y.check(label)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def click(page, a11y, role: str, name) -> None:
    page.get_by_role(role, name=name).first.click()
    step(page, a11y, str(name))


def sign_in(page, a11y, email: str) -> None:
    page.goto("/sign-in")
    step(page, a11y)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("ourchoice-demo")
    click(page, a11y, "button", "Sign in")


def sign_out(page, a11y) -> None:
    click(page, a11y, "button", "Sign out")


def fill_date(page, label: str, day) -> None:
    group = page.get_by_role("group", name=re.compile(label))
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def funder_sets_the_allocation(page, a11y) -> None:
    sign_in(page, a11y, "funder@demo.test")
    click(page, a11y, "link", "Funding")
    click(page, a11y, "link", re.compile(r"^Westminster personal budget .* for Grace Okafor"))
    click(page, a11y, "button", "Change the allocation or what it may pay for")  # a link that looks like a button
    page.get_by_label("Allocation for the whole period, in pounds").fill("9500")
    page.get_by_label("The reason").fill("Review of 1 December: two more hours a month for the garden.")
    click(page, a11y, "button", "Save changes")
    expect(page.get_by_text("£9,500.00").first).to_be_visible()
    expect(page.get_by_text(re.compile("Review of 1 December")).first).to_be_visible()
    sign_out(page, a11y)


def grace_records_money_received(page, a11y) -> None:
    sign_in(page, a11y, "holder@demo.test")
    click(page, a11y, "link", "Your money: funding, invoices and payments")
    click(page, a11y, "link", re.compile(r"^Westminster personal budget"))
    click(page, a11y, "link", "Record money received from Westminster City Council")
    page.get_by_label("Amount received, in pounds").fill("730.77")
    fill_date(page, "Date it arrived", today_in_london())
    page.get_by_label("Reference on the bank statement").fill("WESTMINSTER 13")
    click(page, a11y, "button", "Record it")
    expect(page.get_by_role("cell", name="WESTMINSTER 13")).to_be_visible()
    sign_out(page, a11y)


def agency_invoices(page, a11y) -> None:
    sign_in(page, a11y, "provider@demo.test")
    page.goto("/")
    step(page, a11y)
    click(page, a11y, "link", re.compile(r"^Your service agreements"))
    click(page, a11y, "link", "Help at home in W9")
    click(page, a11y, "link", "Send an invoice")
    page.get_by_label("Hours", exact=True).fill("5")
    page.get_by_label("Minutes", exact=True).fill("0")
    click(page, a11y, "button", "Send invoice")
    expect(page.get_by_text("£115.00").first).to_be_visible()  # 5 hours at £23
    sign_out(page, a11y)


def grace_queries(page, a11y) -> None:
    sign_in(page, a11y, "holder@demo.test")
    click(page, a11y, "link", "Your money: funding, invoices and payments")
    click(page, a11y, "link", re.compile(r"from Maida Vale Home Care"))
    page.get_by_label("What do you want to ask?").fill("Kasia only came once last week: should it be 3 hours?")
    click(page, a11y, "button", re.compile("^Send question"))
    expect(page.get_by_text("Your question has been sent to Maida Vale Home Care")).to_be_visible()
    sign_out(page, a11y)


def agency_corrects(page, a11y) -> None:
    sign_in(page, a11y, "provider@demo.test")
    click(page, a11y, "link", "Notifications")
    click(page, a11y, "link", re.compile("has a question about invoice"))
    expect(page.get_by_text("should it be 3 hours?").first).to_be_visible()
    click(page, a11y, "link", re.compile("^Send a corrected invoice"))
    page.get_by_label("Hours", exact=True).fill("3")
    click(page, a11y, "button", "Send corrected invoice")
    expect(page.get_by_text("£69.00").first).to_be_visible()
    sign_out(page, a11y)


def grace_approves_and_pays(page, a11y) -> None:
    sign_in(page, a11y, "holder@demo.test")
    click(page, a11y, "link", "Your money: funding, invoices and payments")
    click(page, a11y, "link", re.compile(r"from Maida Vale Home Care"))
    expect(page.get_by_text("This invoice corrects invoice")).to_be_visible()
    click(page, a11y, "button", re.compile("^Approve invoice"))
    click(page, a11y, "button", "Pay this invoice")
    council = page.get_by_role("textbox", name=re.compile(r"^Westminster personal budget"))
    expect(council).to_have_value("69.00")  # the stream that pays for this kind of support
    page.get_by_label("Bank transfer reference").fill("GOSL-MVHC-01")
    click(page, a11y, "button", "Record the payment")
    expect(page.get_by_text(re.compile("Payment of invoice OC-\\d+ recorded"))).to_be_visible()
    expect(page.get_by_text("GOSL-MVHC-01").first).to_be_visible()
    click(page, a11y, "link", "Back to the money")
    click(page, a11y, "link", re.compile(r"^Westminster personal budget"))
    click(page, a11y, "link", "Statement")
    expect(page.get_by_role("cell", name=re.compile("Maida Vale Home Care")).first).to_be_visible()
    sign_out(page, a11y)


def funder_sees_the_statement_and_warning(page, a11y) -> None:
    sign_in(page, a11y, "funder@demo.test")
    click(page, a11y, "link", "Funding")
    warnings = page.locator("li", has_text="Grace Okafor, Westminster personal budget")
    expect(warnings.first).to_contain_text("of the allocation is spent")
    click(page, a11y, "link", re.compile(r"^Westminster personal budget .* for Grace Okafor"))
    click(page, a11y, "link", "Statement")
    expect(page.get_by_role("cell", name=re.compile("Maida Vale Home Care")).first).to_be_visible()
    expect(page.get_by_text("WESTMINSTER 13").first).to_be_visible()
    sign_out(page, a11y)


def test_the_money_journey(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url,
                                  viewport={"width": WIDTH, "height": 900})
    scanner_context = browser.new_context(base_url=live_server.url, viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    a11y = Accessibility(page, scanner=scanner_context.new_page())
    try:
        funder_sets_the_allocation(page, a11y)
        grace_records_money_received(page, a11y)
        agency_invoices(page, a11y)
        grace_queries(page, a11y)
        agency_corrects(page, a11y)
        grace_approves_and_pays(page, a11y)
        funder_sees_the_statement_and_warning(page, a11y)
        a11y.assert_all_scanned()
    finally:
        context.close()
        scanner_context.close()
