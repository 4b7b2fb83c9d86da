"""The broker journey in a real browser, as new users would do it: an admin creates a hub and
invites its lead; a person applies as an associate broker and the lead checks them; a budget
holder finds, compares and asks that broker; the broker accepts and logs time; the engagement
ends and is reviewed; the review appears on the profile. Every page is scanned with axe."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from app.core.timeutil import today_in_london
from tests.browser.conftest import Accessibility, follow_link, sign_in, sign_out, visit

PASSWORD = "kettle tuesday violin"


def fill_date(page, name: str, day) -> None:
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def click_and_check(page, a11y: Accessibility, name: str, label: str = "") -> None:
    page.get_by_role("button", name=name, exact=True).click()
    a11y.check(label or name)


def test_hub_broker_and_budget_holder_journey(page, a11y, live_server):
    tag = uuid.uuid4().hex[:6]
    lead_email = f"lena.{tag}@example.org"
    broker_email = f"bea.{tag}@example.org"
    hub_name = f"Camden Hub {tag}"
    today = today_in_london()

    # 1. The admin creates a hub and invites its lead.
    sign_in(page, a11y, "admin@demo.test")
    visit(page, a11y, "/admin/hubs/new")
    page.get_by_label("Hub name").fill(hub_name)
    page.get_by_label("Postcode districts covered").fill("NW1, NW3")
    fill_date(page, "agreement_start", today)
    page.get_by_label("Monthly fee to the centre, in pounds").fill("250")
    page.get_by_label("Fee for each new client, in pounds").fill("40")
    page.get_by_label("Fee arrangement").fill("£250 a month and £40 for each new client, invoiced quarterly")
    page.get_by_label("Agreement document reference").fill(f"CIL-AA-{tag}")
    page.get_by_label("Hub lead's full name").fill("Lena Hubbard")
    page.get_by_label("Hub lead's email address").fill(lead_email)
    click_and_check(page, a11y, "Create hub and invite its lead")
    expect(page.get_by_role("heading", level=1)).to_have_text(hub_name)
    sign_out(page, a11y)

    # 2. The lead accepts the invitation from the email.
    visit(page, a11y, live_server.last_link(lead_email, "/invitations/"))
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    click_and_check(page, a11y, "Accept and create account")
    expect(page.get_by_role("heading", name="Your hub")).to_be_visible()
    sign_out(page, a11y)

    # 3. A person applies to be an associate broker.
    visit(page, a11y, "/register/broker")
    page.get_by_label("Full name").fill("Bea Broker")
    page.get_by_label("Email address").fill(broker_email)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_label("I have read the privacy notice").check()
    click_and_check(page, a11y, "Create account")
    visit(page, a11y, live_server.last_link(broker_email, "/verify-email/"))
    sign_in(page, a11y, broker_email, PASSWORD)
    follow_link(page, a11y, name="Your application")
    follow_link(page, a11y, name="Your hub")
    page.get_by_label(re.compile(hub_name)).check()
    click_and_check(page, a11y, "Save")

    follow_link(page, a11y, name="Business details")
    page.get_by_label("Trading name").fill("Bea Brokerage")
    page.get_by_label("Sole trader").check()
    click_and_check(page, a11y, "Save")

    follow_link(page, a11y, name="Accreditation")
    page.get_by_label("Course").select_option(index=1)
    page.get_by_label("Certificate number").fill("OCN-2024-118")
    fill_date(page, "awarded_on", today - timedelta(days=200))
    click_and_check(page, a11y, "Save")

    follow_link(page, a11y, name="DBS check")
    page.get_by_label("DBS certificate number").fill("001122334455")
    fill_date(page, "issued_on", today - timedelta(days=60))
    click_and_check(page, a11y, "Save")

    follow_link(page, a11y, name="Professional indemnity insurance")
    page.get_by_label("Insurer").fill("Hiscox")
    page.get_by_label("Policy number").fill("PI-55512")
    fill_date(page, "expires_on", today + timedelta(days=300))
    click_and_check(page, a11y, "Save")

    follow_link(page, a11y, name="Conflicts of interest")
    page.get_by_label(re.compile("I have no links with any care provider")).check()
    click_and_check(page, a11y, "Confirm I have no links")

    follow_link(page, a11y, name="Profile, fees and areas")
    page.get_by_label("Autism").check()
    page.get_by_label("Learning disability").check()
    page.get_by_label("English").check()
    page.get_by_label("Polish").check()
    page.get_by_label("NW1").check()
    page.get_by_label("About you, in your own words").fill("I help autistic adults plan support they enjoy.")
    page.get_by_label(re.compile("Fee for Band A")).fill("420")
    click_and_check(page, a11y, "Save")

    click_and_check(page, a11y, "Send application")
    expect(page.get_by_text("Application being checked by your hub")).to_be_visible()
    sign_out(page, a11y)

    # 4. The hub lead checks each part.
    sign_in(page, a11y, lead_email, PASSWORD)
    visit(page, a11y, "/hub")
    page.get_by_role("link", name="Bea Brokerage").first.click()
    a11y.check()
    for part in ("business details", "accreditation", "DBS check", "professional indemnity insurance",
                 "conflicts of interest", "profile, fees and areas"):
        page.get_by_role("group", name=f"Your decision on the {part}").get_by_label("Approve").check()
        click_and_check(page, a11y, f"Save decision on the {part}")
    expect(page.get_by_text("Listed as accredited")).to_be_visible()
    sign_out(page, a11y)

    # 5. The broker accepts the standards.
    sign_in(page, a11y, broker_email, PASSWORD)
    visit(page, a11y, "/broker/standards")
    click_and_check(page, a11y, "I accept version 1 of the broker standards")
    sign_out(page, a11y)

    # 6. A budget holder finds, compares and asks the broker.
    sign_in(page, a11y, "joan.baptiste@demo.test")
    page.get_by_role("link", name="Find a broker").first.click()
    a11y.check()
    page.get_by_label("District").select_option("NW1")
    click_and_check(page, a11y, "Apply filters")
    expect(page.get_by_text("1 broker found")).to_be_visible()
    page.get_by_label("Compare Bea Broker, Bea Brokerage").check()
    click_and_check(page, a11y, "Compare the brokers you ticked")
    expect(page.get_by_role("heading", name="Compare brokers")).to_be_visible()
    follow_link(page, a11y, name="Bea Broker, Bea Brokerage")
    page.get_by_role("button", name="Ask this broker to work with me").click()
    a11y.check()
    page.get_by_label(re.compile("Guidance and planning")).check()
    page.get_by_label("Your message to the broker").fill("My son is autistic and leaving college.")
    page.get_by_label(re.compile("I agree to share")).check()
    click_and_check(page, a11y, "Send request")
    expect(page.get_by_text("You have asked")).to_be_visible()
    sign_out(page, a11y)

    # 7. The broker accepts and logs time.
    sign_in(page, a11y, broker_email, PASSWORD)
    follow_link(page, a11y, name=re.compile("request.* waiting for your answer"))
    follow_link(page, a11y, name="Joan Baptiste")
    click_and_check(page, a11y, "Accept and start working with Joan Baptiste")
    follow_link(page, a11y, name="Log time")
    fill_date(page, "worked_on", today)
    page.get_by_label("Hours").fill("1")
    page.get_by_label("Minutes").fill("30")
    page.get_by_label("Guidance and planning").check()
    page.get_by_label("Note (optional)").fill("First planning visit")
    click_and_check(page, a11y, "Log time")
    expect(page.get_by_text("1 hour 30 minutes")).to_have_count(2)
    sign_out(page, a11y)

    # 8. The budget holder ends the engagement and reviews it.
    sign_in(page, a11y, "joan.baptiste@demo.test")
    follow_link(page, a11y, name="Your broker, requests and hours")
    follow_link(page, a11y, name="See the work and hours so far")
    follow_link(page, a11y, name="End this engagement")
    page.get_by_label("Yes, end this engagement").check()
    click_and_check(page, a11y, "End engagement")
    for group in page.locator(".govuk-radios--inline").all():
        group.get_by_label("Yes").check()
    page.get_by_label("4: good").check()
    page.get_by_label(re.compile("Anything else")).fill("Bea listened to my son first.")
    click_and_check(page, a11y, "Send review")
    sign_out(page, a11y)

    # 9. The hub lead publishes the review; it appears on the broker's profile.
    sign_in(page, a11y, lead_email, PASSWORD)
    visit(page, a11y, "/hub/reviews")
    page.get_by_label("Publish on the broker's profile").check()
    page.get_by_role("button", name=re.compile("^Save decision on the review of Bea Brokerage")).click()
    a11y.check()
    visit(page, a11y, "/brokers?district=NW1")
    follow_link(page, a11y, name="Bea Brokerage")
    expect(page.get_by_text("Bea listened to my son first.")).to_be_visible()
