"""Platform admin pages: funding bodies."""

from sqlalchemy import select

from app.extensions import db
from app.funders.models import FundingBody, FundingBodyKind


def test_admin_adds_a_funding_body(client, login, admin_user):
    login(admin_user)
    response = client.submit("/admin/funding-bodies/new", {"name": "Kensington and Chelsea Council", "kind": "council"})
    assert response.status_code == 302
    body = db.session.scalar(select(FundingBody))
    assert body.name == "Kensington and Chelsea Council" and body.kind == FundingBodyKind.COUNCIL
    assert "Kensington and Chelsea Council" in client.get("/admin/funding-bodies").get_data(as_text=True)


def test_duplicate_funding_body_is_refused_beside_the_name(client, login, admin_user):
    login(admin_user)
    client.submit("/admin/funding-bodies/new", {"name": "Camden Council", "kind": "council"})
    response = client.submit("/admin/funding-bodies/new", {"name": " camden council ", "kind": "health"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "already a funding body with this name" in page
    assert 'value="camden council"' in page


def test_funding_body_form_errors(client, login, admin_user):
    login(admin_user)
    response = client.submit("/admin/funding-bodies/new", {"name": "", "kind": "nonsense"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the funding body" in page
    assert 'href="#kind"' in page  # a tampered choice is reported beside the radios
