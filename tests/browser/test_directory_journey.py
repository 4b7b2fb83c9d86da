"""The directory as a new visitor and a hub lead use it, in a real browser: search
"befriending W9", filter by language, come back from an entry to the same search, search for a
misspelling, suggest a new service, and see it
in search once the hub lead approves it. Every page is scanned with axe."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import follow_link, sign_in, sign_out, visit


def result_names(page) -> list[str]:
    return page.locator("#main-content ul.govuk-list > li.oc-card h3 a").all_inner_texts()


def search_for(page, a11y, words: str) -> None:
    page.get_by_label("Search the directory").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()
    a11y.check(f"results for {words}")


def test_search_filter_and_suggest(page, a11y):
    # A visitor, not signed in, finds the directory from the menu and searches it.
    visit(page, a11y, "/")
    page.get_by_role("link", name="Directory", exact=True).first.click()
    a11y.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Directory of care, support and community services")

    search_for(page, a11y, "befriending W9")
    status = page.get_by_role("status")
    expect(status).to_contain_text(re.compile(r"\d+ results for befriending W9, nearest to W9 first"))
    first_three = result_names(page)[:3]
    assert "Maida Vale Befriending Scheme" in first_three
    assert "Telephone Friends W9" in first_three
    assert "Chelsea Silver Line Friends" not in first_three  # befriending, but in SW3
    expect(page).to_have_title(re.compile(r"^Directory: \d+ results for befriending W9 – OurChoice$"))

    # Filter by language: a plain form, applied with a button.
    page.get_by_label(re.compile(r"^Arabic \(\d+ results?\)$")).check()
    page.get_by_role("button", name="Apply filters").click()
    a11y.check("filtered by Arabic")
    names = result_names(page)
    assert "Maida Vale Befriending Scheme" in names and "Telephone Friends W9" in names
    assert "Westway Befriending Circle" not in names  # English only
    expect(page.get_by_label(re.compile(r"^Arabic \("))).to_be_checked()

    # Open a result.
    follow_link(page, a11y, name="Maida Vale Befriending Scheme")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maida Vale Befriending Scheme")
    expect(page.get_by_text("Arabic")).to_be_visible()
    follow_link(page, a11y, name="Back to the directory")
    # ...back to the same search, the filter still chosen; then take the filters away.
    expect(page.get_by_label("Search the directory")).to_have_value("befriending W9")
    expect(page.get_by_label(re.compile(r"^Arabic \("))).to_be_checked()
    follow_link(page, a11y, name="Clear filters")
    expect(page.get_by_label(re.compile(r"^Arabic \("))).not_to_be_checked()

    # A misspelling that finds nothing shows what the suggestion finds, and can be searched as typed.
    search_for(page, a11y, "befreinding")
    expect(page.get_by_text("Showing results for ‘befriending’")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"[1-9]\d* results for befriending"))
    follow_link(page, a11y, name="Search instead for ‘befreinding’")
    expect(page.get_by_role("status")).to_contain_text("0 results")
    page.get_by_role("link", name="befriending", exact=True).click()
    a11y.check("after following the suggestion")
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"[1-9]\d* results for befriending"))

    # An out-of-date entry says so.
    search_for(page, a11y, "Tamil Welfare")
    expect(page.locator("li.oc-card").first).to_contain_text("May be out of date")

    # A budget holder suggests a new service.
    sign_in(page, a11y, "holder@demo.test")
    visit(page, a11y, "/directory")
    follow_link(page, a11y, name="Suggest a service")
    page.get_by_role("button", name="Send the suggestion").click()
    a11y.check("with errors")
    expect(page.get_by_role("alert")).to_contain_text("Enter the name of the service")
    page.get_by_label("Name of the service").fill("Westbourne Park Ukulele Group")
    page.get_by_label("What it does").fill("Learn the ukulele and play together. Instruments to borrow.")
    page.get_by_label("Day opportunities").check()
    page.get_by_label("Postcode districts it serves").fill("W2")
    page.get_by_label("Opening times").fill("Tuesdays, 6pm to 8pm")
    page.get_by_label("Phone (optional)").fill("020 7946 0123")
    page.get_by_label("Step-free access").check()
    page.get_by_role("button", name="Send the suggestion").click()
    a11y.check("after suggesting")
    expect(page.get_by_text("Your suggestion has been sent to the hub")).to_be_visible()
    search_for(page, a11y, "ukulele")
    expect(page.get_by_role("status")).to_contain_text("0 results")  # not before the hub checks it
    sign_out(page, a11y)

    # The hub lead approves it.
    sign_in(page, a11y, "hublead@demo.test")
    follow_link(page, a11y, name="Hub", exact=True)
    follow_link(page, a11y, name="Directory: suggestions and entries to check")
    follow_link(page, a11y, name="New service: Westbourne Park Ukulele Group")
    page.get_by_role("button", name="Save the decision").click()
    a11y.check("without a decision")
    expect(page.get_by_role("alert")).to_contain_text("Choose what to do with the suggestion")
    page.get_by_label("Publish it (with any changes made above)").check()
    page.get_by_label("Note to the person who suggested it").fill("Thank you!")
    page.get_by_role("button", name="Save the decision").click()
    a11y.check("after approving")
    expect(page.get_by_text("Westbourne Park Ukulele Group is now in the directory")).to_be_visible()

    # ...and it is in search straight away.
    visit(page, a11y, "/directory")
    search_for(page, a11y, "ukulele")
    assert result_names(page) == ["Westbourne Park Ukulele Group"]

    # The hub lead's list of entries, and one entry to check and keep current.
    visit(page, a11y, "/hub/directory/entries")
    follow_link(page, a11y, name="Tamil Welfare Association Drop-in")
    page.get_by_role("button", name="Mark as checked today").click()
    a11y.check("after checking")
    expect(page.get_by_text("Marked as checked today.")).to_be_visible()
    sign_out(page, a11y)


def test_filters_work_without_javascript(browser, live_server):
    from tests.browser.conftest import Accessibility

    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    scanner_context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    checker = Accessibility(page, scanner=scanner_context.new_page())
    page.goto("/directory?q=lunch")
    checker.check()
    page.get_by_label(re.compile(r"^Free \(")).check()
    page.get_by_role("button", name="Apply filters").click()
    checker.check("free lunch")
    assert "Pimlico Lunch Club" not in result_names(page)  # £3.50
    assert page.url.endswith("free=y") or "free=y" in page.url
    checker.assert_all_scanned()
    context.close()
    scanner_context.close()
