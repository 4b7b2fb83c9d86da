"""Signing in and out, failed attempts, rate limits and where people land."""

import pytest
from sqlalchemy import select

from app.core.models import AuditEvent
from app.extensions import db
from tests.factories import PASSWORD, UserFactory

ERROR = "Enter a correct email address and password"


def sign_in(client, email, password=PASSWORD, **kwargs):
    return client.submit("/sign-in", {"email": email, "password": password}, **kwargs)


def test_sign_in_form_has_the_expected_labels(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<label class="govuk-label" for="email">' in page and "Email address" in page
    assert '<label class="govuk-label" for="password">' in page and "Password" in page
    assert "Sign in</button>" in page or ">\n  Sign in\n</button>" in page or "Sign in\n" in page
    assert 'autocomplete="current-password"' in page


def test_correct_details_sign_in_and_land_on_home(client, holder):
    response = sign_in(client, holder.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Hello, Grace Okafor" in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in.succeeded")).actor_id == holder.id


def test_wrong_password_and_unknown_address_look_the_same(client, holder):
    wrong = sign_in(client, holder.email, "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert ERROR in wrong.get_data(as_text=True) and ERROR in unknown.get_data(as_text=True)
    # The typed address is kept, the password is not.
    assert f'value="{holder.email}"' in wrong.get_data(as_text=True)
    failed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.failed")).all()
    assert [e.details["known_account"] for e in failed] == [True, False]
    assert failed[0].actor_id == holder.id


def test_closed_account_cannot_sign_in(client, holder):
    from app.core.timeutil import utcnow

    holder.closed_at = utcnow()
    db.session.commit()
    assert ERROR in sign_in(client, holder.email).get_data(as_text=True)


def test_empty_form_shows_field_errors(client):
    response = client.submit("/sign-in", {"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter an email address" in page and "Enter your password" in page


def test_next_page_is_followed_only_when_it_is_on_this_site(client, holder):
    response = client.submit("/sign-in?next=/account", {"email": holder.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account"
    client.submit("/sign-out", {}, form_url="/")
    response = client.submit("/sign-in?next=https://evil.example/", {"email": holder.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_protected_page_sends_you_to_sign_in_and_back(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_sign_out_needs_post_and_ends_the_session(client, holder):
    sign_in(client, holder.email)
    assert client.get("/sign-out").status_code == 405
    response = client.submit("/sign-out", {}, form_url="/")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_out")).actor_id == holder.id


def test_sign_out_without_csrf_token_is_refused(client, holder):
    sign_in(client, holder.email)
    response = client.post("/sign-out")
    assert response.status_code == 400
    assert "Your form could not be sent" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 200  # still signed in


def test_sign_in_without_csrf_token_is_refused(client, holder):
    response = client.post("/sign-in", data={"email": holder.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Your form could not be sent" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


@pytest.fixture
def tight_limits(app):
    app.config["SIGN_IN_FAILURES_PER_ACCOUNT"] = "3 per 15 minutes"
    app.config["SIGN_IN_FAILURES_PER_ADDRESS"] = "5 per 15 minutes"


def test_failures_are_limited_per_account(client, holder, tight_limits):
    for _ in range(3):
        assert ERROR in sign_in(client, holder.email, "wrong password!").get_data(as_text=True)
    blocked = sign_in(client, holder.email)  # even the right password waits
    assert blocked.status_code == 429
    assert "too many attempts" in blocked.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in.blocked")) is not None


def test_limit_for_unknown_address_looks_the_same(client, tight_limits):
    for _ in range(3):
        sign_in(client, "nobody@example.org", "wrong password!")
    blocked = sign_in(client, "nobody@example.org", "wrong password!")
    assert blocked.status_code == 429
    assert "too many attempts" in blocked.get_data(as_text=True)


def test_failures_are_limited_per_address_across_accounts(client, tight_limits):
    for n in range(5):
        sign_in(client, f"guess{n}@example.org", "wrong password!")
    other = UserFactory()
    blocked = sign_in(client, other.email)
    assert blocked.status_code == 429


def test_success_clears_the_account_count(client, holder, tight_limits):
    for _ in range(2):
        sign_in(client, holder.email, "wrong password!")
    assert sign_in(client, holder.email).status_code == 302
    client.submit("/sign-out", {}, form_url="/")
    for _ in range(2):
        sign_in(client, holder.email, "wrong password!")
    assert sign_in(client, holder.email).status_code == 302


def test_signed_in_user_visiting_sign_in_goes_home(client, login, holder):
    login(holder)
    response = client.get("/sign-in")
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("fixture", "heading"),
    [
        ("holder", "Your support"),
        ("broker", "Your brokerage"),
        ("provider_user", "Your organisation"),
        ("hub_lead", "Your hub"),
        ("funder", "Your funding body"),
        ("admin_user", "Platform administration"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, request, fixture, heading):
    user = request.getfixturevalue(fixture)
    sign_in(client, user.email)
    page = client.get("/").get_data(as_text=True)
    assert heading in page
    others = {"Your support", "Your brokerage", "Your organisation", "Your hub", "Your funding body",
              "Platform administration"} - {heading}
    assert not [h for h in others if f">{h}</h2>" in page]
