"""On PostgreSQL, where an `integer` stops at 2**31 - 1 and text can never hold a NUL character:
neither reaches the database as a server error."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

from sqlalchemy import func, select

from app.core.timeutil import today_in_london
from app.extensions import db
from app.needs.models import Need
from tests.conftest import sign_in_as
from tests.factories import BudgetHolderFactory, HubFactory, accredited_broker, category, engagement


def test_ids_beyond_postgresqls_integer_are_not_found(pg_app):
    client = pg_app.test_client()
    for url in ("/directory/services/2147483648", "/brokers/2147483648", "/hubs/2147483648",
                "/brokers/compare?broker=2147483648"):
        response = client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)
    person = BudgetHolderFactory()
    sign_in_as(client, person.user)
    assert client.get("/notifications?page=9223372036854775807").status_code == 200
    assert client.get("/notifications?page=2147483648").status_code == 200


def test_a_nul_character_is_refused_beside_the_field_and_in_a_search(pg_app):
    hub = HubFactory(districts=["W9"])
    broker = accredited_broker(hub)
    row = engagement(BudgetHolderFactory(name="Grace Okafor", user__name="Grace Okafor", district="W9"), broker)
    client = sign_in_as(pg_app.test_client(), broker.user)
    start = today_in_london() + timedelta(days=7)
    need = {"category_id": str(category("personal-care").id), "district": "W9", "schedule": ["0:morning"],
            "hours": "3", "minutes": "0", "urgency": "routine", "medication": "none",
            "start_date": [str(start.day), str(start.month), str(start.year)],
            "public_description": "Help to get up\x00 in the morning.", "address": "12 Elgin\x00 Avenue"}
    response = client.submit(f"/broker/clients/{row.id}/needs/new", dict(need, max_rate="10000"))
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "Description for providers contains a character that cannot be saved (a NUL character)" in page
    assert "Address (private) contains a character that cannot be saved (a NUL character)" in page
    assert db.session.scalar(select(func.count()).select_from(Need)) == 0

    # The largest amount the form accepts fits PostgreSQL's integer.
    fixed = dict(need, max_rate="10000", public_description="Help to get up in the morning.", address="12 Elgin Avenue")
    assert client.submit(f"/broker/clients/{row.id}/needs/new", fixed).status_code == 302
    assert db.session.scalar(select(Need.max_hourly_rate_pence)) == 1_000_000

    search = client.get("/directory?q=care%00home")
    assert search.status_code == 400 and "NUL character" in unescape(search.get_data(as_text=True))
