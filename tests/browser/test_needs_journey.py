"""The needs journey in a real browser: a broker posts a need for the demo client; two
providers apply; the broker shortlists and proposes; the budget holder accepts; both providers
see the outcome. Every page is scanned with axe."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from app.core.timeutil import today_in_london
from tests.browser.conftest import follow_link, sign_in, sign_out, visit


def fill_date(page, name: str, day) -> None:
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def apply_as(page, a11y, email: str, need_id: int, rate: str, message: str) -> None:
    sign_in(page, a11y, email)
    page.get_by_role("link", name="Needs for you").first.click()
    a11y.check()
    page.locator(f"a[href$='/needs/{need_id}']").first.click()
    a11y.check()
    page.get_by_label("Your hourly rate, in pounds").fill(rate)
    fill_date(page, "proposed_start", today_in_london() + timedelta(days=10))
    page.get_by_label("How would you meet this need?").fill(message)
    page.get_by_role("button", name="Send offer").click()
    a11y.check("after sending an offer")
    expect(page.get_by_text("Your offer has been sent")).to_be_visible()
    sign_out(page, a11y)


def test_post_apply_choose_accept(page, a11y):
    today = today_in_london()
    # 1. The broker posts a need for Grace and publishes it.
    sign_in(page, a11y, "broker@demo.test")
    follow_link(page, a11y, name="Clients", exact=True)
    follow_link(page, a11y, name="Grace Okafor")
    follow_link(page, a11y, name="Post a need for Grace Okafor")
    page.get_by_label("Kind of service").select_option(label="Help at home")
    page.locator("#schedule-2-afternoon").check()
    page.locator("#schedule-5-afternoon").check()
    page.get_by_label("Hours", exact=True).fill("4")
    fill_date(page, "start_date", today + timedelta(days=14))
    page.get_by_label("Most you can pay an hour, in pounds").fill("25")
    page.get_by_label("Description for providers").fill("Help with the weekly shop and cooking, twice a week.")
    page.get_by_role("button", name="Save as draft").click()
    a11y.check("the draft")
    need_id = int(re.search(r"/broker/needs/(\d+)", page.url).group(1))
    page.get_by_role("button", name="Publish").click()
    a11y.check("after publishing")
    expect(page.get_by_text(re.compile(r"Published\. \d+ providers? told"))).to_be_visible()
    sign_out(page, a11y)

    # 2. Two providers apply.
    apply_as(page, a11y, "provider@demo.test", need_id, "23.50", "Our home help team covers W9 on Wednesdays.")
    apply_as(page, a11y, "notting.hill@demo.test", need_id, "22", "We could start in two weeks.")

    # 3. The broker compares, shortlists and proposes Maida Vale Home Care.
    sign_in(page, a11y, "broker@demo.test")
    visit(page, a11y, f"/broker/needs/{need_id}")
    expect(page.get_by_text("2 offers")).to_be_visible()
    page.get_by_role("button", name="Shortlist Maida Vale Home Care").click()
    a11y.check("after shortlisting")
    page.get_by_role("button", name="Propose to Grace Okafor Maida Vale Home Care").click()
    a11y.check("after proposing")
    sign_out(page, a11y)

    # 4. Grace accepts.
    sign_in(page, a11y, "holder@demo.test")
    follow_link(page, a11y, name=re.compile("Needs posted for you"))
    page.locator(f"a[href$='/needs/{need_id}']").click()
    a11y.check()
    expect(page.get_by_role("heading", name="Your broker proposes Maida Vale Home Care")).to_be_visible()
    page.get_by_role("button", name="Accept Maida Vale Home Care").click()
    a11y.check("after accepting")
    expect(page.get_by_text("Your support agreement has started")).to_be_visible()
    sign_out(page, a11y)

    # 5. Both providers see the outcome.
    sign_in(page, a11y, "provider@demo.test")
    visit(page, a11y, "/notifications")
    expect(page.get_by_text(re.compile("Your offer was accepted: Help at home in W9")).first).to_be_visible()
    sign_out(page, a11y)
    sign_in(page, a11y, "notting.hill@demo.test")
    visit(page, a11y, "/notifications")
    expect(page.get_by_text(re.compile("Another offer was chosen: Help at home in W9")).first).to_be_visible()
    page.get_by_role("link", name=re.compile("Another offer was chosen")).first.click()
    a11y.check()
