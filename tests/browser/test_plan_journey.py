"""The support plan's journey in a real browser, on a 320 px screen with JavaScript off: Grace's
broker starts her plan for her personal health budget and writes most of it; Grace adds her own
words and submits it; the NHS officer asks for a change to the risks; Grace changes them and
resubmits; the officer approves and signs; Grace signs; the versions are compared; Grace asks for
an early review and the officer records it. The easy-read and print views are read on the way.
Every page is scanned with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.core.timeutil import today_in_london
from tests.browser.conftest import Accessibility, serving
from tests.browser.test_money_journey import WIDTH, click, fill_date, sign_in, sign_out, step

PLAN = re.compile(r"^Plan for NHS North West London")


@pytest.fixture(scope="module")
def plan_live(migrated_template, tmp_path_factory):
    with serving(migrated_template, tmp_path_factory.mktemp("plans-live")) as live:
        yield live


def grace_opens_her_nhs_plan(page, a11y) -> None:
    sign_in(page, a11y, "holder@demo.test")
    click(page, a11y, "link", "Your support plans")
    click(page, a11y, "link", PLAN)


def helen_opens_her_desk(page, a11y) -> None:
    sign_in(page, a11y, "helen.carter@demo.test")
    page.goto("/funder")
    step(page, a11y)


def write_part(page, a11y, heading: str, text: str) -> None:
    click(page, a11y, "link", f"Change {heading.lower()}")
    page.get_by_label(heading).fill(text)
    click(page, a11y, "button", "Save")
    expect(page.get_by_text(f"{heading} saved.")).to_be_visible()


def broker_starts_the_plan(page, a11y) -> None:
    sign_in(page, a11y, "broker@demo.test")
    click(page, a11y, "link", "Your clients")
    click(page, a11y, "link", "Grace Okafor")
    click(page, a11y, "link", "Grace Okafor's support plans")
    click(page, a11y, "link", "Start a support plan")
    page.get_by_label("NHS North West London").check()
    click(page, a11y, "button", "Start the plan")
    expect(page.get_by_text("Still to fill in before it can be submitted")).to_be_visible()
    write_part(page, a11y, "About me", "I am Grace. I live in Maida Vale and I love my garden.")
    write_part(page, a11y, "What is important to me", "My grandchildren, my church and my garden.")
    write_part(page, a11y, "The outcomes I want", "Get washed and dressed by 9 each morning\nKeep my garden")
    click(page, a11y, "link", "Add a need and its support")
    page.get_by_label("Which need does this meet?").fill("Help to wash and dress each morning")
    page.get_by_label("What is the support?").fill("A personal assistant")
    page.get_by_label("A care or support provider").check()
    page.get_by_label("How many hours, or how much?").fill("5 hours a week")
    page.get_by_label("What it costs a year, in pounds").fill("5,200")
    page.get_by_label(re.compile(r"NHS personal health budget")).check()
    click(page, a11y, "button", "Save")
    expect(page.get_by_text("5 hours a week")).to_be_visible()
    write_part(page, a11y, "Risks and how they are managed", "I can fall in the shower.")
    click(page, a11y, "link", "Change how i stay in control and manage my money")
    page.get_by_label(re.compile("My company: my own")).check()
    page.get_by_label("How you stay in control").fill("I decide. My daughter Ada keeps the records with me.")
    click(page, a11y, "button", "Save")
    write_part(page, a11y, "What happens in an emergency", "Call Ada on 07700 900123.")
    write_part(page, a11y, "Who helped write this plan", "My broker Daniel and my daughter Ada.")
    click(page, a11y, "link", "Change when support starts")
    fill_date(page, "Date the support starts", today_in_london())
    page.get_by_label("6 weeks after support starts").check()
    click(page, a11y, "button", "Save")
    expect(page.get_by_text("Still to fill in before it can be submitted")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Submit"))).to_have_count(0)  # the person submits
    sign_out(page, a11y)


def grace_submits(page, a11y) -> None:
    grace_opens_her_nhs_plan(page, a11y)
    write_part(page, a11y, "In my own words", "I want to stay in my own home and choose who helps me.")
    click(page, a11y, "link", "Read the easy-read summary")
    expect(page.get_by_role("heading", name="My words")).to_be_visible()
    click(page, a11y, "link", "Back to the full plan")
    click(page, a11y, "link", "Submit the plan to NHS North West London")
    click(page, a11y, "button", "Submit the plan")
    expect(page.get_by_text("Confirm that you agree with the plan").first).to_be_visible()
    page.get_by_label("I have read this plan and I agree with it").check()
    click(page, a11y, "button", "Submit the plan")
    expect(page.get_by_text("Version 1 sent to NHS North West London")).to_be_visible()
    sign_out(page, a11y)


def officer_asks_for_a_change(page, a11y) -> None:
    helen_opens_her_desk(page, a11y)
    click(page, a11y, "link", "Version 1 of Grace Okafor’s plan")
    click(page, a11y, "link", "Ask for changes")
    page.get_by_label("Risks and how they are managed").check()
    page.get_by_label("What needs to change, and why?").fill("Please say who checks the shower rail.")
    click(page, a11y, "button", "Send back for changes")
    expect(page.get_by_text("The plan has been sent back with your request.")).to_be_visible()
    sign_out(page, a11y)


def grace_changes_and_resubmits(page, a11y) -> None:
    grace_opens_her_nhs_plan(page, a11y)
    expect(page.get_by_text("Please say who checks the shower rail.").first).to_be_visible()
    write_part(page, a11y, "Risks and how they are managed",
               "I can fall in the shower. My PA checks the rail every Monday.")
    click(page, a11y, "link", "Resubmit the plan to NHS North West London")
    page.get_by_label("I have read this plan and I agree with it").check()
    click(page, a11y, "button", "Submit the plan")
    expect(page.get_by_text("Version 2 sent to NHS North West London")).to_be_visible()
    sign_out(page, a11y)


def officer_approves_and_signs(page, a11y) -> None:
    helen_opens_her_desk(page, a11y)
    click(page, a11y, "link", "Version 2 of Grace Okafor’s plan")
    click(page, a11y, "button", "Approve version 2")
    click(page, a11y, "link", "Sign version 2")
    page.get_by_label("I have read this version of the plan and I sign it").check()
    click(page, a11y, "button", "Sign the plan")
    expect(page.get_by_text("You signed version 2.")).to_be_visible()
    sign_out(page, a11y)


def grace_signs_and_compares(page, a11y) -> None:
    grace_opens_her_nhs_plan(page, a11y)
    click(page, a11y, "link", "Sign version 2")
    page.get_by_label("I have read this version of the plan and I sign it").check()
    click(page, a11y, "button", "Sign the plan")
    expect(page.get_by_text("In force").first).to_be_visible()
    click(page, a11y, "link", "Compare versions")
    expect(page.locator("ins.oc-added", has_text="Monday.")).to_be_visible()
    click(page, a11y, "link", "Back to the plan")
    click(page, a11y, "link", "Print the plan")
    expect(page.get_by_text(re.compile("Version 2 signed by Helen Carter"))).to_be_visible()
    click(page, a11y, "link", "Back to the plan")
    click(page, a11y, "link", "Ask for an early review")
    page.get_by_label("Why do you want an early review?").fill("I had a fall last week.")
    click(page, a11y, "button", "Ask for a review")
    expect(page.get_by_text("Review due").first).to_be_visible()
    sign_out(page, a11y)


def officer_records_the_review(page, a11y) -> None:
    helen_opens_her_desk(page, a11y)
    click(page, a11y, "link", "Early review of Grace Okafor’s plan")
    click(page, a11y, "link", "Record the review")
    page.get_by_role("group", name=re.compile("Get washed and dressed")).get_by_label("Met", exact=True).check()
    page.get_by_role("group", name=re.compile("Keep my garden")).get_by_label("Partly met").check()
    page.get_by_label("What did the review find?").fill("Mornings work well. The garden needs more help.")
    click(page, a11y, "button", "Record the review")
    expect(page.get_by_text("Review recorded.")).to_be_visible()
    expect(page.get_by_text("Keep my garden: partly met")).to_be_visible()
    sign_out(page, a11y)


def test_the_plan_journey(browser, plan_live):
    context = browser.new_context(java_script_enabled=False, base_url=plan_live.url,
                                  viewport={"width": WIDTH, "height": 900})
    scanner_context = browser.new_context(base_url=plan_live.url, viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    a11y = Accessibility(page, scanner=scanner_context.new_page())
    try:
        broker_starts_the_plan(page, a11y)
        grace_submits(page, a11y)
        officer_asks_for_a_change(page, a11y)
        grace_changes_and_resubmits(page, a11y)
        officer_approves_and_signs(page, a11y)
        grace_signs_and_compares(page, a11y)
        officer_records_the_review(page, a11y)
        a11y.assert_all_scanned()
    finally:
        context.close()
        scanner_context.close()
