"""Paying by card in a real browser against the fake Stripe, on a 320 px screen with JavaScript
off, as a new user would: Yusuf (a personal assistant) connects a Stripe account on Stripe's
pages; Grace approves his invoice, chooses "Pay by card", goes to Stripe's page (which the
page's Content-Security-Policy must let the form lead to) and pays; Stripe's signed webhook
arrives; the invoice shows paid and the statement shows the payment. Every page is scanned with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import Accessibility, serving
from tests.browser.test_money_journey import WIDTH, click, sign_in
from tests.card_helpers import switch_on
from tests.fake_stripe import FakeStripe


@pytest.fixture(scope="module")
def stripe_live(migrated_template, tmp_path_factory):
    fake = FakeStripe().start()
    with serving(migrated_template, tmp_path_factory.mktemp("stripe-live")) as live:
        switch_on(live.app, fake)
        live.app.config["PUBLIC_BASE_URL"] = live.url  # Stripe sends people back here
        fake.webhook_url = f"{live.url}/payments/stripe/webhook"
        yield live, fake
    fake.stop()


@pytest.fixture
def phone(browser, stripe_live):
    live, _fake = stripe_live
    opened = [browser.new_context(viewport={"width": WIDTH, "height": 640}, java_script_enabled=False,
                                  base_url=live.url),
              browser.new_context(viewport={"width": WIDTH, "height": 640}, base_url=live.url)]
    page = opened[0].new_page()
    checker = Accessibility(page, scanner=opened[1].new_page())
    yield page, checker
    checker.assert_all_scanned()
    for context in opened:
        context.close()


def test_the_provider_connects_and_grace_pays_by_card(phone, stripe_live):
    page, a11y = phone
    live, fake = stripe_live
    sign_in(page, a11y, "yusuf.ali@demo.test")
    click(page, a11y, "link", "Yusuf Ali PA Services")
    click(page, a11y, "link", "Getting paid by card")
    expect(page.get_by_text("Not connected")).to_be_visible()
    click(page, a11y, "button", "Connect with Stripe")
    assert page.url.startswith(f"{fake.url}/onboarding/")  # the form was allowed to lead to Stripe
    click(page, a11y, "button", "Finish setting up")
    expect(page.get_by_text("Your Stripe account is ready")).to_be_visible()
    expect(page.get_by_text("Can take card payments", exact=True)).to_be_visible()
    click(page, a11y, "button", "Sign out")

    sign_in(page, a11y, "holder@demo.test")
    click(page, a11y, "link", re.compile(r"^Invoice OC-\d+ from Yusuf Ali PA Services"))
    number = re.search(r"OC-\d+", page.locator("h1").inner_text())[0]
    click(page, a11y, "button", "Approve invoice")
    click(page, a11y, "button", "Pay by card")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Pay invoice {number} by card")
    click(page, a11y, "button", "Continue to Stripe to pay")
    assert page.url.startswith(f"{fake.url}/pay/cs_test_")
    click(page, a11y, "button", re.compile(r"^Pay £"))
    # Back from Stripe: the webhook came first here, so the payment is confirmed.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invoice {number}: paid")
    [(event, status)] = fake.delivered[-1:]
    assert event["type"] == "checkout.session.completed" and status == 200
    click(page, a11y, "link", f"Go to invoice {number}")
    expect(page.get_by_text("Paid", exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile(", through Stripe")).first).to_be_visible()
    click(page, a11y, "link", "Back to the money")
    click(page, a11y, "link", re.compile(r"^Westminster personal budget"))
    click(page, a11y, "link", re.compile(r"^Statement"))
    expect(page.get_by_text(re.compile(rf"Invoice {number} paid to Yusuf Ali PA Services by card through Stripe"))
           ).to_be_visible()

    with live.app.app_context():
        from app.ledger import services as ledger
        from app.payments.models import Payment

        assert ledger.verify().ok
        from app.extensions import db

        assert db.session.scalar(select(Payment).where(Payment.reference.like("pi_%"))) is not None


@pytest.mark.parametrize("width", [320, 1280])
def test_the_card_pages_each_role_sees(browser, stripe_live, width):
    """After the journey: the admin's list of Stripe events and one event, and the broker's own
    payout settings; axe on each, one <h1>, nothing scrolling sideways."""
    live, _fake = stripe_live
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live.url)
    page = context.new_page()
    a11y = Accessibility(page)
    try:
        for email, path, link in (("admin@demo.test", "/admin/payments/stripe", re.compile(r"^evt_")),
                                  ("broker@demo.test", "/broker/payouts", None)):
            page.goto("/sign-in")
            a11y.check("sign in")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password", exact=True).fill("ourchoice-demo")
            page.get_by_role("button", name="Sign in").click()
            a11y.check()
            page.goto(path)
            a11y.check(path)
            assert page.locator("h1").count() == 1
            assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
            if link is not None:
                page.get_by_role("link", name=link).first.click()
                a11y.check("an event")
                expect(page.get_by_text("What Stripe sent")).to_be_visible()
                assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
            context.clear_cookies()  # signed out
        a11y.assert_all_scanned()
    finally:
        context.close()
