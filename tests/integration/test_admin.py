"""Platform admin pages: funding bodies, finding a user, and the audit log's event names."""

import ast
import html
import re
from pathlib import Path

from sqlalchemy import select

from app.admin import people
from app.core import audit, audit_labels
from app.core.timeutil import utcnow
from app.extensions import db
from app.funders.models import FundingBody, FundingBodyKind
from tests.factories import (
    BudgetHolderFactory,
    FundingOfficerFactory,
    HubFactory,
    HubLeadFactory,
    ProviderStaffFactory,
    UserFactory,
    accredited_broker,
)

APP = Path(__file__).resolve().parents[2] / "app"


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


# --- Finding a user ------------------------------------------------------------------------------


def words(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", response.get_data(as_text=True))))


def test_admin_finds_a_user_by_part_of_the_name_or_email_and_sees_every_role(client, login, admin_user):
    hub = HubFactory(name="Westminster Hub")
    morgan = UserFactory(name="Morgan Ellis", email="m.ellis@council.example")
    BudgetHolderFactory(user=morgan, name="Morgan Ellis")
    HubLeadFactory(user=morgan, hub=hub)
    FundingOfficerFactory(user=morgan, funding_body__name="Westminster City Council")
    ProviderStaffFactory(user=morgan, organisation__name="Maida Vale Home Care", is_owner=True)
    broker = accredited_broker(hub, name="Daniel Price")
    UserFactory(name="Someone Else", email="else@example.org")
    login(admin_user)
    assert "/admin/users" in client.get("/admin/").get_data(as_text=True)
    assert "/admin/users" in client.get("/").get_data(as_text=True)  # and from the home page

    by_name = words(client.get("/admin/users?q=ELLIS"))
    assert "1 person found" in by_name and "m.ellis@council.example" in by_name and "Someone Else" not in by_name
    for role in ("Budget holder", "Hub lead, Westminster Hub", "Funder officer, Westminster City Council",
                 "Provider staff, Maida Vale Home Care (manages the account)"):
        assert role in by_name, role
    assert "Active" in by_name and "Has not signed in yet" in by_name
    by_email = words(client.get("/admin/users?q=Council.EXAMPLE"))
    assert "1 person found" in by_email and "Morgan Ellis" in by_email
    assert "Associate broker, Westminster Hub (approved)" in words(client.get(f"/admin/users?q={broker.user.email}"))
    assert "Platform admin" in words(client.get("/admin/users?q=ada admin"))


def test_the_account_state_is_shown(client, login, admin_user):
    UserFactory(name="Una Confirmed", email_verified_at=None)
    UserFactory(name="Clara Closed", closed_at=utcnow())
    login(admin_user)
    assert "Email address not confirmed yet" in words(client.get("/admin/users?q=una confirmed"))
    assert "Closed on" in words(client.get("/admin/users?q=clara closed"))


def test_user_search_results_are_capped_with_a_count(client, login, admin_user, monkeypatch):
    for n in range(3):
        UserFactory(name=f"Pat Sample {n}")
    monkeypatch.setattr(people, "USER_SEARCH_LIMIT", 2)
    login(admin_user)
    page = words(client.get("/admin/users?q=pat sample"))
    assert "3 people found" in page and "Showing the first 2" in page
    assert "Pat Sample 0" in page and "Pat Sample 1" in page and "Pat Sample 2" not in page


def test_user_search_takes_the_words_literally(client, login, admin_user):
    UserFactory(name="Percy Cent")
    login(admin_user)
    assert "0 people found" in words(client.get("/admin/users?q=%25"))  # a % is not a wildcard
    assert "0 people found" in words(client.get("/admin/users?q=_"))


def test_user_search_needs_something_to_look_for(client, login, admin_user):
    login(admin_user)
    assert client.get("/admin/users").status_code == 200
    blank = client.get("/admin/users?q=+")
    assert blank.status_code == 400
    page = blank.get_data(as_text=True)
    assert "There is a problem" in page and "Enter part of a name or an email address" in page


def test_only_admins_find_users(client, login, holder, hub_lead):
    assert client.get("/admin/users?q=a").status_code == 302
    login(holder)
    assert client.get("/admin/users?q=a").status_code == 403
    login(hub_lead)
    assert client.get("/admin/users?q=a").status_code == 403


# --- The audit log's event names -----------------------------------------------------------------


def test_the_audit_log_shows_readable_event_names(client, login, admin_user, holder):
    audit.record("consent.recorded", actor=holder)
    audit.record("client_record.viewed", actor=holder)
    audit.record("something.brand_new", actor=holder)
    db.session.commit()
    login(admin_user)
    page = client.get("/admin/audit").get_data(as_text=True)
    table = page[page.index("<table"):]
    assert "Consent recorded" in table and "Someone viewed a person&#39;s private details" in table
    assert "Something brand new" in table
    assert "consent.recorded</td>" not in table and "client_record.viewed</td>" not in table
    assert '<option value="consent.recorded">Consent recorded</option>' in page
    assert "Consent recorded" in client.get("/admin/audit?action=consent.recorded").get_data(as_text=True)


def test_a_key_without_a_label_is_still_readable():
    assert audit_labels.label("need.published") == "Need published"
    assert audit_labels.label("gap.closed_by_lead") == "Gap closed by lead"
    assert audit_labels.label("") == "Unnamed event"


def _recorded_actions() -> set[str]:
    """Every action key given to audit.record in app/ (an f-string is read with each value its
    placeholder can take; one this test cannot read fails it)."""
    expansions = {"broker_request.{status.value}": ["broker_request.declined", "broker_request.withdrawn",
                                                    "broker_request.lapsed"]}
    found = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit" and node.args):
                continue
            keys = [node.args[0]]
            while keys:
                key = keys.pop()
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found.add(key.value)
                elif isinstance(key, ast.IfExp):  # "a.shown" if shown else "a.hidden"
                    keys += [key.body, key.orelse]
                else:
                    source = ast.get_source_segment(path.read_text(), key)
                    template = source[2:-1] if source.startswith('f"') else source
                    assert template in expansions, f"{path}: an audit action this test cannot read: {source}"
                    found.update(expansions[template])
    return found


def test_every_audit_action_used_in_the_app_has_a_readable_name():
    used = _recorded_actions()
    assert {"consent.recorded", "client_record.viewed", "permission.refused"} <= used  # the reading works
    missing = sorted(used - audit_labels.LABELS.keys())
    assert not missing, f"Add these to app/core/audit_labels.py LABELS: {missing}"
