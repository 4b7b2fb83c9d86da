"""The needs journey in a real browser, on a wide screen, on a 320 px phone, and on a phone with
JavaScript off: a broker posts a need for the demo client; the person checks what will be shared
and agrees; two providers apply; the broker shortlists (warned of what that shares) and
recommends one, with the reason; the person chooses the other shortlisted offer after checking
its terms; both providers see the outcome. Every page is scanned with axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.core.timeutil import today_in_london
from tests.browser.conftest import (
    PHONE,
    WIDE,
    follow_link,
    follow_menu,
    no_sideways_scroll,
    sign_in,
    sign_out,
    visit,
)

WAYS = [(WIDE, True), (PHONE, True), (PHONE, False)]
WAY_NAMES = ["1280 px", "320 px", "320 px without JavaScript"]


def fill_date(page, name: str, day) -> None:
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def apply_as(page, a11y, email: str, need_id: int, rate: str, message: str) -> None:
    sign_in(page, a11y, email)
    follow_menu(page, a11y, "Needs for you")
    page.locator(f"a[href$='/needs/{need_id}']").first.click()
    a11y.check()
    page.get_by_label("Your hourly rate, in pounds").fill(rate)
    fill_date(page, "proposed_start", today_in_london() + timedelta(days=10))
    page.get_by_label("How would you meet this need?").fill(message)
    page.get_by_role("button", name="Send offer").click()
    a11y.check("after sending an offer")
    expect(page.get_by_text("Your offer has been sent")).to_be_visible()
    sign_out(page, a11y)


@pytest.mark.parametrize("viewport,javascript", WAYS, ids=WAY_NAMES)
def test_post_agree_apply_choose_accept(open_browser, viewport, javascript):
    page, a11y = open_browser(viewport, javascript=javascript)
    today = today_in_london()
    # 1. The broker posts a need for Grace, and asks her to agree to what will be shared.
    sign_in(page, a11y, "broker@demo.test")
    follow_menu(page, a11y, "Clients")
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
    no_sideways_scroll(page)
    need_id = int(re.search(r"/broker/needs/(\d+)", page.url).group(1))
    expect(page.get_by_text("must agree to what they will see")).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    page.get_by_role("button", name="Ask Grace Okafor to agree").click()
    a11y.check("after asking")
    sign_out(page, a11y)

    # 2. Grace sees what is waiting on her home page, checks what will be shared, and agrees.
    sign_in(page, a11y, "holder@demo.test")
    follow_link(page, a11y, name="Check what will be shared: Help at home")
    no_sideways_scroll(page)
    expect(page.get_by_role("heading", name="Providers the broker shortlists will also see")).to_be_visible()
    page.get_by_label("I agree to share these details").check()
    page.get_by_role("button", name="Agree and continue").click()
    a11y.check("after agreeing")
    expect(page.get_by_text("Stop sharing these details")).to_be_visible()
    sign_out(page, a11y)

    # 3. The broker publishes.
    sign_in(page, a11y, "broker@demo.test")
    visit(page, a11y, f"/broker/needs/{need_id}")
    page.get_by_role("button", name="Publish").click()
    a11y.check("after publishing")
    # Nobody in the demo has spare capacity then: the broker is told why, and what to do next.
    expect(page.get_by_text("Published. No providers could be told yet")).to_be_visible()
    expect(page.get_by_text("no spare capacity at the days and times asked for")).to_be_visible()
    sign_out(page, a11y)

    # 4. Two providers apply.
    apply_as(page, a11y, "provider@demo.test", need_id, "23.50", "Our home help team covers W9 on Wednesdays.")
    apply_as(page, a11y, "notting.hill@demo.test", need_id, "22", "We could start in two weeks.")

    # 5. The broker compares, shortlists both (told what that shares) and recommends Maida Vale.
    sign_in(page, a11y, "broker@demo.test")
    visit(page, a11y, f"/broker/needs/{need_id}")
    no_sideways_scroll(page)
    expect(page.get_by_text("2 offers")).to_be_visible()
    expect(page.get_by_text(re.compile("Shortlisting shares Grace Okafor's .* with Maida Vale Home Care"))).to_be_visible()
    page.get_by_role("button", name="Shortlist Maida Vale Home Care").click()
    a11y.check("after shortlisting")
    page.get_by_role("button", name="Shortlist Notting Hill Care Partners").click()
    a11y.check("after shortlisting the second")
    page.get_by_label("Why do you recommend Maida Vale Home Care?").fill("They already help Grace on Tuesdays.")
    page.get_by_role("button", name="Recommend to Grace Okafor Maida Vale Home Care").click()
    a11y.check("after recommending")
    sign_out(page, a11y)

    # 6. Grace chooses Notting Hill instead, after checking the terms.
    sign_in(page, a11y, "holder@demo.test")
    expect(page.get_by_text("Your broker recommends Maida Vale Home Care for help at home.")).to_be_visible()
    page.locator(f"a[href$='/needs/{need_id}']").first.click()
    a11y.check()
    no_sideways_scroll(page)
    expect(page.get_by_text("They already help Grace on Tuesdays.")).to_be_visible()
    page.get_by_role("button", name="Choose Notting Hill Care Partners").click()
    a11y.check("the check step")
    expect(page.get_by_role("heading", name="Check before you accept Notting Hill Care Partners")).to_be_visible()
    expect(page.get_by_text("£22.00 an hour")).to_be_visible()
    page.get_by_role("button", name="Accept Notting Hill Care Partners").click()
    a11y.check("after accepting")
    expect(page.get_by_text("Your support agreement has started")).to_be_visible()
    sign_out(page, a11y)

    # 7. Both providers see the outcome.
    sign_in(page, a11y, "notting.hill@demo.test")
    visit(page, a11y, "/notifications")
    expect(page.get_by_text(re.compile("Your offer was accepted: Help at home in W9")).first).to_be_visible()
    sign_out(page, a11y)
    sign_in(page, a11y, "provider@demo.test")
    visit(page, a11y, "/notifications")
    expect(page.get_by_text(re.compile("Another offer was chosen: Help at home in W9")).first).to_be_visible()
    page.get_by_role("link", name=re.compile("Another offer was chosen")).first.click()
    a11y.check()
