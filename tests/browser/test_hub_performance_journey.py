"""The gap loop and the hub's performance page in a real browser, on a 320 px screen with
JavaScript off: Grace's broker records a gap nobody could fill; the hub lead opens the
performance page, follows a number to the needs behind it, downloads a table as CSV, and
responds to the gap; the broker, and Grace, see the response. Every page is scanned with axe."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Accessibility, serving
from tests.browser.test_money_journey import WIDTH, click, sign_in, sign_out, step

RESPONSE = "Asked two agencies to recruit Arabic-speaking befrienders for W10."


@pytest.fixture(scope="module")
def hub_live(migrated_template, tmp_path_factory):
    with serving(migrated_template, tmp_path_factory.mktemp("hub-live")) as live:
        yield live


def broker_records_a_gap(page, a11y) -> None:
    sign_in(page, a11y, "broker@demo.test")
    click(page, a11y, "link", re.compile("^Gaps: support nobody could provide"))
    click(page, a11y, "link", "Record a gap")
    click(page, a11y, "button", "Record the gap")  # nothing filled in: every problem is said
    expect(page.get_by_role("link", name="Say what was needed")).to_be_visible()
    page.get_by_label("Who is it about?").select_option(label="Grace Okafor")
    page.get_by_label("Kind of service").select_option(label="Befriending")
    page.get_by_label("Postcode district").fill("W10")
    page.get_by_label("What was needed?").fill("An Arabic-speaking befriender, weekday mornings.")
    page.get_by_label("What happened when you looked for it?").fill("Nobody in W10 has an Arabic speaker.")
    click(page, a11y, "button", "Record the gap")
    expect(page.get_by_text("Recorded as a gap. Your hub lead has been told")).to_be_visible()
    expect(page.get_by_text("Waiting for your hub").first).to_be_visible()
    sign_out(page, a11y)


def lead_reads_the_performance_page(page, a11y) -> None:
    sign_in(page, a11y, "hublead@demo.test")
    click(page, a11y, "link", re.compile("^Performance and gaps"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance of your hub")
    click(page, a11y, "link", re.compile(r": All needs, Filled$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs filled")
    rows = page.locator("table tbody tr")
    expect(page.get_by_text(re.compile(r"^\d+ in all\.$"))).to_be_visible()
    assert rows.count() >= 1 and all("Filled" in row for row in rows.all_inner_texts())
    click(page, a11y, "link", "Back to the hub's performance")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download “Providers: how they answered")).click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        table = list(csv.reader(io.StringIO(handle.read())))
    assert table[0][:3] == ["Provider", "Needs told about", "Offers"] and len(table) > 1
    step(page, a11y)
    click(page, a11y, "link", "Respond to gaps")
    label = "Your response about befriending in W10"
    page.get_by_label(label).first.fill(RESPONSE)
    page.get_by_role("button", name=re.compile(r"Save your response about befriending in W10")).first.click()
    step(page, a11y, "responded")
    expect(page.get_by_text(RESPONSE).first).to_be_visible()
    sign_out(page, a11y)


def broker_and_grace_see_the_response(page, a11y) -> None:
    sign_in(page, a11y, "broker@demo.test")
    page.goto("/broker/gaps")
    step(page, a11y)
    expect(page.get_by_text(RESPONSE)).to_be_visible()
    sign_out(page, a11y)
    sign_in(page, a11y, "holder@demo.test")
    click(page, a11y, "link", "Notifications")
    click(page, a11y, "link", re.compile("Your hub has looked at why befriending was hard to find"))
    expect(page.get_by_role("heading", name="Support that was hard to find")).to_be_visible()
    expect(page.get_by_text(RESPONSE)).to_be_visible()


def test_the_gap_loop_and_the_performance_page(browser, hub_live):
    context = browser.new_context(java_script_enabled=False, base_url=hub_live.url, accept_downloads=True,
                                  viewport={"width": WIDTH, "height": 900})
    scanner_context = browser.new_context(base_url=hub_live.url, viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    a11y = Accessibility(page, scanner=scanner_context.new_page())
    try:
        broker_records_a_gap(page, a11y)
        lead_reads_the_performance_page(page, a11y)
        broker_and_grace_see_the_response(page, a11y)
        a11y.assert_all_scanned()
    finally:
        context.close()
        scanner_context.close()
