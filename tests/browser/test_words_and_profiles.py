"""Words stay whole on narrow screens and in narrow columns: names ("Morgan Ellis") and ordinary
words ("Communication") never split across lines, while a long email address still wraps rather
than push the page sideways. And the pages everyone touches say who a broker is and, before any
form, why someone cannot ask them. Every page is scanned with axe."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, WIDE, follow_link, no_sideways_scroll, sign_in, visit

TABLET = {"width": 700, "height": 900}

# The lines a word is drawn on: one if it is whole, two or more if it was split.
LINES_OF_WORD = """
([selector, word]) => {
  const counts = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      let at = node.data.indexOf(word);
      while (at !== -1) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        counts.push(tops.size);
        at = node.data.indexOf(word, at + 1);
      }
    }
  }
  return counts;
}
"""


def assert_whole(page, selector: str, word: str) -> None:
    counts = page.evaluate(LINES_OF_WORD, [selector, word])
    assert counts, f"{word!r} is not in {selector} at {page.url}"
    assert set(counts) == {1}, f"{word!r} is split across lines in {selector} at {page.url} ({counts})"


def right_edge(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("element => element.getBoundingClientRect().right")


def test_names_and_words_stay_whole_on_a_phone_and_a_long_email_wraps(open_browser, live_server):
    from tests.factories import PASSWORD, BudgetHolderFactory

    email = f"morgan.ellis.{uuid.uuid4().hex}@a-very-long-organisation-name.example.org"
    with live_server.app.app_context():
        BudgetHolderFactory(user__name="Morgan Ellis", user__email=email, name="Morgan Ellis",
                            communication_needs=["large_print"])
    page, a11y = open_browser(PHONE)
    sign_in(page, a11y, email, PASSWORD)
    visit(page, a11y, "/account")
    no_sideways_scroll(page)
    assert_whole(page, ".govuk-summary-list", "Morgan")
    assert_whole(page, ".govuk-summary-list", "Ellis")
    # The address is far wider than the screen, so it wraps, inside the screen.
    address = page.locator(".govuk-summary-list .oc-break-words")
    expect(address).to_have_text(email)
    assert address.evaluate("element => element.getClientRects().length") > 1
    assert right_edge(page, ".govuk-summary-list .oc-break-words") <= PHONE["width"]
    visit(page, a11y, "/")
    follow_link(page, a11y, name="Your broker, requests and hours")
    no_sideways_scroll(page)
    assert_whole(page, ".govuk-summary-list", "Communication")


def test_the_admin_audit_log_keeps_names_whole_on_a_phone(open_browser):
    page, a11y = open_browser(PHONE)
    sign_in(page, a11y, "admin@demo.test")
    visit(page, a11y, "/admin/audit")
    no_sideways_scroll(page)
    assert_whole(page, "table", "Morgan")
    assert_whole(page, "table", "Ellis")
    expect(page.locator("table")).to_contain_text("Signed in")  # events by name, not by key
    expect(page.locator("table")).not_to_contain_text("sign_in.succeeded")
    visit(page, a11y, "/admin/")
    follow_link(page, a11y, name="Find a user")
    page.get_by_label("Name or email address").fill("okafor")
    page.get_by_role("button", name="Search").click()
    a11y.check("user search results")
    no_sideways_scroll(page)
    expect(page.get_by_role("heading", name="Grace Okafor")).to_be_visible()
    expect(page.get_by_text("Helps Grace Okafor (can act for them)")).to_be_visible()


def test_summary_list_terms_stay_whole_in_narrow_columns(open_browser):
    for viewport in (TABLET, WIDE):
        page, a11y = open_browser(viewport)
        sign_in(page, a11y, "holder@demo.test")
        follow_link(page, a11y, name="Your broker, requests and hours")
        no_sideways_scroll(page)
        assert_whole(page, ".govuk-summary-list", "Communication")
        visit(page, a11y, "/brokers")
        no_sideways_scroll(page)
        assert_whole(page, ".govuk-summary-list", "Specialisms")
        assert_whole(page, ".govuk-summary-list", "Languages")


def test_your_own_brokers_profile_says_so_instead_of_asking(open_browser):
    page, a11y = open_browser(PHONE)
    sign_in(page, a11y, "holder@demo.test")
    follow_link(page, a11y, name="Your broker, requests and hours")
    follow_link(page, a11y, name="Daniel Price Brokerage's profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daniel Price, Daniel Price Brokerage")
    expect(page.get_by_text("You already work with Daniel Price.")).to_be_visible()
    expect(page.get_by_role("button", name="Ask this broker to work with me")).to_have_count(0)
    expect(page.get_by_role("link", name="Ask this broker to work with me")).to_have_count(0)
    no_sideways_scroll(page)
    follow_link(page, a11y, name="See your work with Daniel Price")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Daniel Price")
