"""Fixtures shared by the integration tests of needs, offers and what follows from them."""

from __future__ import annotations

import pytest

from tests.factories import BudgetHolderFactory, HubFactory, HubLeadFactory, accredited_broker, engagement, provider


@pytest.fixture
def world(app):
    hub = HubFactory(districts=["W9", "W10"])
    lead = HubLeadFactory(hub=hub).user
    broker = accredited_broker(hub, name="Daniel Price")
    person = BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor", district="W9")
    row = engagement(person, broker)
    return {
        "hub": hub, "lead": lead, "broker": broker, "person": person, "engagement": row,
        "maida": provider("Maida Vale Care", districts=("W9",), skills=["medication"], worker_genders=["female"]),
        "notting": provider("Notting Hill Care", districts=("W9", "W10")),
        "far": provider("Far Away Care", districts=("E1",)),
        "unverified": provider("New Care", verified=False, districts=("W9",)),
        "befriending": provider("Befrienders", districts=("W9",), services=("befriending",)),
    }
