"""The foundation in a real browser: every page accessible, keyboard-only sign in and out,
registration from the email link, display preferences, small screens and no JavaScript."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, sign_out, visit

PUBLIC_PAGES = ["/", "/sign-in", "/register", "/register/budget_holder", "/register/provider", "/register/broker",
                "/forgot-password", "/verify-email", "/accessibility", "/privacy", "/no-such-page"]

def test_public_pages_are_accessible(page, a11y):
    titles = set()
    for url in PUBLIC_PAGES:
        visit(page, a11y, url)
        assert page.locator("h1").count() == 1, url
        assert page.locator("html").get_attribute("lang") == "en-GB"
        titles.add(page.title())
    assert len(titles) == len(PUBLIC_PAGES), "every page needs its own <title>"


def test_failed_forms_show_an_accessible_error_summary(page, a11y):
    visit(page, a11y, "/sign-in")
    page.get_by_role("button", name="Sign in").click()
    a11y.check("sign-in errors")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an email address")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    # The summary links move focus to the field.
    summary.get_by_role("link", name="Enter an email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()

    visit(page, a11y, "/register/provider")
    page.get_by_label("Full name").fill("Tess Tester")
    page.get_by_role("button", name="Create account").click()
    a11y.check("registration errors")
    expect(page.get_by_label("Full name")).to_have_value("Tess Tester")
    expect(page.locator(".govuk-error-summary__list li")).to_have_count(6)


def test_sign_in_and_out_with_the_keyboard_only(page, a11y):
    visit(page, a11y, "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    # Tab through the header to the "Sign in" link and follow it.
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Sign in":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in")
    a11y.check()
    _tab_to(page, "#email")
    page.keyboard.type("holder@demo.test")
    _tab_to(page, "#password")
    page.keyboard.type("ourchoice-demo")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url(lambda url: url.endswith("/"))
    a11y.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Grace Okafor")
    # Sign out is a button in the header: reach it by keyboard.
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Sign out":
            break
    else:
        pytest.fail("could not reach Sign out by keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    a11y.check()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()


def _tab_to(page, selector: str, limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector('{selector}')"):
            return
    pytest.fail(f"could not reach {selector} with the Tab key")


def test_register_confirm_and_sign_in(page, a11y, live_server):
    email = f"new-{uuid.uuid4().hex[:8]}@example.org"
    visit(page, a11y, "/register")
    page.get_by_label("I have a personal budget").check()
    page.get_by_role("button", name="Continue").click()
    a11y.check()
    page.get_by_label("Full name").fill("Nadia Lewis")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill("kettle tuesday violin")
    page.get_by_label("Confirm your password").fill("kettle tuesday violin")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Create account").click()
    a11y.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    visit(page, a11y, live_server.last_link(email, "/verify-email/"))
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("kettle tuesday violin")
    page.get_by_role("button", name="Sign in").click()
    a11y.check()
    expect(page.get_by_role("heading", name="Your support")).to_be_visible()


def test_display_preferences_apply_and_stay_accessible(page, a11y):
    sign_in(page, a11y, "funder@demo.test")
    visit(page, a11y, "/account/accessibility")
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    page.get_by_label("Larger text").check()
    page.get_by_label("High contrast").check()
    page.get_by_label("Reduce motion").check()
    page.get_by_role("button", name="Save").click()
    a11y.check("with larger text and high contrast")
    larger = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert larger >= normal_size * 1.2
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    page.goto("/admin/")
    a11y.check("403 page with preferences")
    # Put them back for other tests using this account.
    visit(page, a11y, "/account/accessibility")
    for label in ("Larger text", "High contrast", "Reduce motion"):
        page.get_by_label(label).uncheck()
    page.get_by_role("button", name="Save").click()
    a11y.check()


def test_small_screen_has_no_sideways_scrolling(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=live_server.url)
    page = context.new_page()
    from tests.browser.conftest import Accessibility

    a11y = Accessibility(page)
    for url in ("/", "/sign-in", "/register/provider", "/privacy"):
        visit(page, a11y, url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    # The menu collapses behind a button, which works.
    sign_in(page, a11y, "admin@demo.test")
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Admin")).to_be_visible()
    a11y.assert_all_scanned()
    context.close()


def test_everything_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    scanner_context = browser.new_context()
    from tests.browser.conftest import Accessibility

    a11y = Accessibility(page, scanner=scanner_context.new_page())
    sign_in(page, a11y, "hublead@demo.test")
    expect(page.get_by_role("heading", name="Your hub")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="Hub")).to_be_visible()  # menu shown without JS
    sign_out(page, a11y)
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    a11y.assert_all_scanned()
    context.close()
    scanner_context.close()

