"""Registering, confirming the email address, and the emails that go with it."""

from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import AuthToken, User
from app.core.models import AuditEvent
from app.core.timeutil import utcnow
from app.extensions import db
from app.providers.models import ProviderKind, ProviderStaff
from tests.conftest import find_csrf, link_in_last_email, outbox

GOOD = "kettle tuesday violin"


def register(client, kind="budget_holder", **overrides):
    data = {
        "name": "Ruth Adeyemi",
        "email": "ruth@example.org",
        "password": GOOD,
        "confirm_password": GOOD,
        "agree": "y",
    }
    data.update(overrides)
    return client.submit(f"/register/{kind}", data)


def test_choosing_the_kind_of_account(client):
    page = client.get("/register").get_data(as_text=True)
    assert "what kind of account do you need?" in page
    response = client.submit("/register", {"kind": "provider"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/provider")


FAMILY = ('Do not create an account for them. They invite you from their own account, under "People who help you", '
          "and we email you a link to join.")


def test_registering_says_how_a_family_member_gets_access(client):
    choice = client.get("/register").get_data(as_text=True).replace("&#34;", '"')
    assert "Helping a family member or friend?" in choice and FAMILY in choice
    own = client.get("/register/budget_holder").get_data(as_text=True).replace("&#34;", '"')
    assert "This account is for the person who has the personal budget." in own and FAMILY in own
    assert FAMILY not in client.get("/register/provider").get_data(as_text=True).replace("&#34;", '"')


def test_choosing_nothing_shows_an_error(client):
    response = client.submit("/register", {})
    assert response.status_code == 400
    assert "Choose the kind of account you need" in response.get_data(as_text=True)


def test_unknown_kind_is_not_found(client):
    assert client.get("/register/wizard").status_code == 404


def test_budget_holder_registers_confirms_and_signs_in(client):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/check-your-email")
    assert "ruth@example.org" in client.get("/register/check-your-email").get_data(as_text=True)

    user = db.session.scalar(select(User).where(User.email == "ruth@example.org"))
    assert user is not None and not user.is_verified
    assert user.budget_holder is not None and user.budget_holder.name == "Ruth Adeyemi"
    assert user.password_hash.startswith("$argon2id$") and GOOD not in user.password_hash

    # Not confirmed yet: signing in explains and sends a new link.
    refused = client.submit("/sign-in", {"email": "ruth@example.org", "password": GOOD})
    assert "confirm your email address" in refused.get_data(as_text=True)
    assert len(outbox("ruth@example.org")) == 2

    link = link_in_last_email("ruth@example.org", "/verify-email/")
    confirmed = client.get(link)
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith("/sign-in")

    signed_in = client.submit("/sign-in", {"email": "Ruth@Example.org ", "password": GOOD}, follow_redirects=True)
    page = signed_in.get_data(as_text=True)
    assert "Hello, Ruth Adeyemi" in page
    assert "Your support" in page


def test_provider_registration_creates_the_organisation_with_its_owner(client):
    register(client, "provider", organisation_name="Little Venice Carers", organisation_kind="care_agency")
    staff = db.session.scalar(select(ProviderStaff))
    assert staff.organisation.name == "Little Venice Carers"
    assert staff.organisation.kind == ProviderKind.CARE_AGENCY
    assert staff.is_owner and staff.user.email == "ruth@example.org"


def test_provider_registration_needs_organisation_details(client):
    response = register(client, "provider")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter your organisation&#39;s name" in page
    assert "Choose the type of organisation" in page


def test_broker_applicant_gets_a_broker_profile(client):
    register(client, "broker")
    user = db.session.scalar(select(User).where(User.email == "ruth@example.org"))
    assert user.broker_profile is not None and user.broker_profile.hub_id is None


def test_errors_are_summarised_and_typed_input_is_kept(client):
    response = register(client, name="Ruth Adeyemi", email="ruth@", password="short", confirm_password="other", agree="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "<title>Error: " in page
    assert "Enter an email address in the correct format" in page
    assert "Password must be 10 characters or more" in page
    assert "The passwords do not match" in page
    assert "Confirm you have read the privacy notice" in page
    assert 'value="Ruth Adeyemi"' in page and 'value="ruth@"' in page
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_common_password_is_refused_beside_the_field(client):
    response = register(client, password="password1234", confirm_password="password1234")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "too common" in page
    assert 'href="#password"' in page


def test_registering_an_existing_address_reveals_nothing_and_tells_the_owner(client, holder):
    before = db.session.scalar(select(func.count()).select_from(User))
    response = register(client, email=holder.email.upper())
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/check-your-email")
    assert db.session.scalar(select(func.count()).select_from(User)) == before
    message = outbox(holder.email)[-1]
    assert "tried to create" in message.subject
    assert "/sign-in" in message.body_text


def test_verification_link_works_once(client):
    register(client)
    link = link_in_last_email("ruth@example.org", "/verify-email/")
    assert client.get(link).status_code == 302
    again = client.get(link)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)


def test_expired_verification_link_is_refused(client):
    register(client)
    link = link_in_last_email("ruth@example.org", "/verify-email/")
    token = db.session.scalar(select(AuthToken))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert not db.session.scalar(select(User)).is_verified


def test_made_up_verification_link_is_refused(client):
    response = client.get("/verify-email/not-a-real-token")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_resending_the_confirmation_link(client):
    register(client)
    response = client.submit("/verify-email", {"email": "ruth@example.org"})
    assert response.status_code == 302
    assert len(outbox("ruth@example.org")) == 2
    # Unknown addresses get the same answer and no email.
    client.submit("/verify-email", {"email": "nobody@example.org"})
    assert outbox("nobody@example.org") == []


def test_registration_is_audited(client):
    register(client)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.registered"))
    assert event.details == {"kind": "budget_holder"}
    assert event.ip_address == "127.0.0.1"


def test_email_links_use_the_public_address_not_the_request_host(client):
    forged = {"Host": "evil.example"}
    token = find_csrf(client.get("/register/budget_holder", headers=forged).get_data(as_text=True))
    response = client.post("/register/budget_holder", headers=forged, data={
        "csrf_token": token, "name": "Ruth Adeyemi", "email": "ruth@example.org", "password": GOOD,
        "confirm_password": GOOD, "agree": "y",
    })
    assert response.status_code == 302
    body = outbox("ruth@example.org")[-1].body_text
    assert "evil.example" not in body
    assert "http://localhost/verify-email/" in body
