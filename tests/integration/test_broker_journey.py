"""The broker's own screens: the client record lists the client's needs (each linking to its page),
and the menu calls the application page what it is once the broker is approved."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.brokers.models import BrokerStatus
from app.core.timeutil import today_in_london
from app.engagements import services as engagements
from app.extensions import db
from app.needs.models import Need
from tests.conftest import sign_in_as
from tests.factories import BrokerProfileFactory, BudgetHolderFactory, accredited_broker, category, engagement


def d(day):
    return [str(day.day), str(day.month), str(day.year)]


def post_need(c, engagement_id: int, slug: str, hours: str) -> Need:
    response = c.submit(f"/broker/clients/{engagement_id}/needs/new", {
        "category_id": str(category(slug).id), "district": "W9", "schedule": ["0:evening", "6:night"],
        "hours": hours, "minutes": "0", "start_date": d(today_in_london() + timedelta(days=7)),
        "urgency": "routine", "max_rate": "25", "public_description": "Help in the evening.",
        "medication": "none", "address": "12 Elgin Avenue, W9 2EG"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return db.session.scalar(select(Need).order_by(Need.id.desc()))


def needs_section(page: str) -> str:
    match = re.search(r"Grace Okafor's needs</h2>(.*?)(<h2|<table|Time logged)", page, re.S)
    assert match, "the client record has no needs section"
    return match.group(1)


def test_client_record_lists_the_clients_needs(app, world):
    broker = sign_in_as(app.test_client(), world["broker"].user)
    record = f"/broker/clients/{world['engagement'].id}"
    assert "No needs posted yet." in needs_section(broker.get(record).get_data(as_text=True))

    care = post_need(broker, world["engagement"].id, "personal-care", "3")
    home = post_need(broker, world["engagement"].id, "help-at-home", "4")
    section = needs_section(broker.get(record).get_data(as_text=True))
    assert section.index(f'href="/broker/needs/{home.id}"') < section.index(f'href="/broker/needs/{care.id}"')
    assert "Help at home in W9</a>" in section and "Personal care in W9</a>" in section
    assert "Draft, not published. 4 hours a week, from" in section
    assert broker.get(f"/broker/needs/{care.id}").status_code == 200

    # Another broker's client record lists only their own client's needs.
    other = accredited_broker(world["hub"], name="Tomasz Nowak")
    other_work = engagement(BudgetHolderFactory(name="Peter Johnson"), other)
    page = sign_in_as(app.test_client(), other.user).get(f"/broker/clients/{other_work.id}").get_data(as_text=True)
    assert "Peter Johnson's needs" in page and "/broker/needs/" not in page

    # Once the engagement ends the needs are the next broker's to look after: none are listed.
    engagements.end_by_broker(world["broker"].user, world["engagement"].id, "Support plan done.")
    db.session.commit()
    page = broker.get(record).get_data(as_text=True)
    assert "Grace Okafor's needs" not in page and f"/broker/needs/{care.id}" not in page


def menu_link(page: str, href: str) -> str:
    match = re.search(r'class="govuk-service-navigation__link" href="' + re.escape(href) + r'"[^>]*>\s*(.*?)\s*</a>',
                      page, re.S)
    assert match, f"no menu link to {href}"
    return match.group(1)


def test_the_menu_says_accreditation_once_approved(app):
    approved = accredited_broker()
    page = sign_in_as(app.test_client(), approved.user).get("/").get_data(as_text=True)
    assert menu_link(page, "/broker/application") == "My accreditation"
    assert "Your accreditation, standards and availability" in page

    applying = BrokerProfileFactory()
    assert applying.status != BrokerStatus.APPROVED
    page = sign_in_as(app.test_client(), applying.user).get("/").get_data(as_text=True)
    assert menu_link(page, "/broker/application") == "My application"
