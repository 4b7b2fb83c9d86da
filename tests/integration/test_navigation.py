"""The menu marks the section a page belongs to: one item, the one the person expects."""

from __future__ import annotations

import pytest

from app.core.navigation import section_of


@pytest.mark.parametrize("endpoint,label", [
    ("engagements.broker_request", "Requests"),  # not Clients, whose prefix is shorter
    ("engagements.broker_requests", "Requests"),
    ("engagements.broker_client", "Clients"),
    ("providers.hub_list", "Hub"),  # the hub lead's provider pages
    ("providers.capacity", "Needs for you"),
    ("needs.holder_need", "Home"),  # the person's own needs, offers, agreements and sharing
    ("needs.holder_sharing", "Home"),
    ("needs.holder_agreement", "Home"),
    ("needs.accept_offer", "Home"),
    ("home.person", "Home"),
    ("engagements.holder_engagement", "Home"),
])
def test_a_page_belongs_to_the_section_a_person_expects(app, endpoint, label):
    assert endpoint in app.view_functions
    assert section_of(endpoint).label == label


def test_the_menu_marks_one_item(client, broker, login):
    login(broker)
    page = client.get("/broker/requests").get_data(as_text=True)
    assert page.count("govuk-service-navigation__item--active") == 1
