"""Forgotten and changed passwords, account settings, and closing an account."""

from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import AuthToken
from app.core.models import AuditEvent, Notification, OutboxMessage
from app.core.notifications import notify
from app.core.timeutil import utcnow
from app.extensions import db
from tests.conftest import link_in_last_email, outbox
from tests.factories import PASSWORD, ProviderStaffFactory, UserFactory

NEW = "marmalade orbit lantern"


def sign_in(client, email, password=PASSWORD):
    return client.submit("/sign-in", {"email": email, "password": password})


# --- Forgotten password ----------------------------------------------------------------------


def test_reset_request_says_the_same_for_known_and_unknown_addresses(client, holder):
    known = client.submit("/forgot-password", {"email": holder.email}).get_data(as_text=True)
    unknown = client.submit("/forgot-password", {"email": "nobody@example.org"}).get_data(as_text=True)
    assert "If" in known and "has an OurChoice account" in known
    assert known.replace(holder.email, "X") == unknown.replace("nobody@example.org", "X")
    assert len(outbox(holder.email)) == 1 and outbox("nobody@example.org") == []


def test_reset_link_changes_the_password_once(client, holder):
    client.submit("/forgot-password", {"email": holder.email})
    link = link_in_last_email(holder.email, "/reset-password/")
    response = client.submit(link, {"password": NEW, "confirm_password": NEW})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert "password was changed" in outbox(holder.email)[-1].subject

    reused = client.get(link)
    assert reused.status_code == 400 and "already been used" in reused.get_data(as_text=True)
    assert "Enter a correct email" in sign_in(client, holder.email, PASSWORD).get_data(as_text=True)
    assert sign_in(client, holder.email, NEW).status_code == 302


def test_reset_link_expires_after_an_hour(client, holder):
    client.submit("/forgot-password", {"email": holder.email})
    link = link_in_last_email(holder.email, "/reset-password/")
    token = db.session.scalar(select(AuthToken).where(AuthToken.purpose == AuthToken.RESET_PASSWORD))
    assert timedelta(minutes=59) < token.expires_at - token.created_at <= timedelta(hours=1)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    # Posting to it does nothing either.
    response = client.post(link, data={"password": NEW, "confirm_password": NEW})
    assert response.status_code == 400
    assert sign_in(client, holder.email, PASSWORD).status_code == 302


def test_reset_refuses_a_weak_password_and_keeps_the_link_usable(client, holder):
    client.submit("/forgot-password", {"email": holder.email})
    link = link_in_last_email(holder.email, "/reset-password/")
    weak = client.submit(link, {"password": "1234567890", "confirm_password": "1234567890"})
    assert weak.status_code == 400 and "easy to guess" in weak.get_data(as_text=True)
    assert client.submit(link, {"password": NEW, "confirm_password": NEW}).status_code == 302


def test_reset_signs_out_every_session(app, client, holder):
    other_device = app.test_client()
    sign_in(other_device, holder.email)
    assert other_device.get("/account").status_code == 200
    client.submit("/forgot-password", {"email": holder.email})
    client.submit(link_in_last_email(holder.email, "/reset-password/"), {"password": NEW, "confirm_password": NEW})
    assert other_device.get("/account").status_code == 302


def test_an_older_reset_link_stops_working_after_a_reset(client, holder):
    client.submit("/forgot-password", {"email": holder.email})
    first = link_in_last_email(holder.email, "/reset-password/")
    client.submit("/forgot-password", {"email": holder.email})
    second = link_in_last_email(holder.email, "/reset-password/")
    assert client.submit(second, {"password": NEW, "confirm_password": NEW}).status_code == 302
    assert client.get(first).status_code == 400


def test_reset_requests_are_rate_limited(app, client, holder):
    app.config["EMAIL_REQUESTS_PER_ADDRESS"] = "2 per hour"
    for _ in range(4):
        client.submit("/forgot-password", {"email": holder.email})
    assert len(outbox(holder.email)) == 2


# --- Change password -------------------------------------------------------------------------


def test_change_password_keeps_this_session_and_ends_others(app, client, holder):
    other_device = app.test_client()
    sign_in(other_device, holder.email)
    sign_in(client, holder.email)
    response = client.submit("/account/password", {
        "current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302
    assert "password was changed" in outbox(holder.email)[-1].subject
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "password.changed")) is not None


def test_change_password_needs_the_current_one(client, login, holder):
    login(holder)
    response = client.submit("/account/password", {
        "current_password": "wrong one!", "new_password": NEW, "confirm_password": NEW})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Your current password is not correct" in page
    assert 'href="#current_password"' in page


def test_change_password_checks_the_new_one(client, login, holder):
    login(holder)
    response = client.submit("/account/password", {
        "current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW + "x"})
    assert "The passwords do not match" in response.get_data(as_text=True)


# --- Settings --------------------------------------------------------------------------------


def test_settings_page_lists_details_and_roles(client, login, holder):
    login(holder)
    page = client.get("/account").get_data(as_text=True)
    assert holder.email in page and "Budget holder" in page


def test_settings_page_shows_the_email_address_as_text_not_as_markup(client, login, holder):
    """The email row is HTML (the address may break anywhere on a narrow screen): it must reach
    the page as markup, never escaped into visible tags."""
    login(holder)
    page = client.get("/account").get_data(as_text=True)
    assert f'<span class="oc-break-words">{holder.email}</span>' in page
    assert "&lt;span" not in page and "oc-break-words&#34;" not in page


def test_settings_page_escapes_what_people_typed(client, login, holder):
    holder.name = "Grace <b>Okafor</b>"
    db.session.commit()
    login(holder)
    page = client.get("/account").get_data(as_text=True)
    assert "Grace &lt;b&gt;Okafor&lt;/b&gt;" in page and "<b>Okafor</b>" not in page


def test_shared_summary_list_keeps_markup_from_a_macro_and_escapes_plain_text(app):
    template = app.jinja_env.from_string(
        '{% from "_macros/ui.html" import summary_list, status_tag %}'
        '{{ summary_list([{"key": "Tag", "value": status_tag("Done", "green")},'
        ' {"key": "Typed", "value": "<i>typed</i>"},'
        ' {"key": "Web address", "value": "https://example.org/a-very-long-address", "long": true,'
        '  "href": "/change"}]) }}')
    with app.test_request_context():
        html = template.render()
    assert '<strong class="govuk-tag govuk-tag--green">Done</strong>' in html
    assert "&lt;i&gt;typed&lt;/i&gt;" in html
    assert '<span class="oc-break-words">https://example.org/a-very-long-address</span>' in html
    assert '<span class="govuk-visually-hidden"> web address</span>' in html


def test_change_name(client, login, holder):
    login(holder)
    client.submit("/account/details", {"name": "Grace A. Okafor"})
    assert holder.name == "Grace A. Okafor"
    assert holder.budget_holder.name == "Grace A. Okafor"
    blank = client.submit("/account/details", {"name": "   "})
    assert blank.status_code == 400 and "Enter your full name" in blank.get_data(as_text=True)


def test_change_email_needs_the_new_address_confirmed(client, login, holder):
    old = holder.email
    login(holder)
    response = client.submit("/account/email", {"email": "grace.new@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert holder.email == old  # not until confirmed
    assert "being changed" in outbox(old)[-1].subject
    link = link_in_last_email("grace.new@example.org", "/account/email/confirm/")
    client.get(link)
    assert holder.email == "grace.new@example.org"
    assert "was changed" in outbox(old)[-1].subject
    assert client.get(link).status_code == 400


def test_change_email_refuses_an_address_in_use(client, login, holder):
    other = UserFactory()
    login(holder)
    response = client.submit("/account/email", {"email": other.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "already an account" in response.get_data(as_text=True)


def test_accessibility_preferences_apply_to_every_page(client, login, holder):
    login(holder)
    client.submit("/account/accessibility", {"preferences": ["larger_text", "high_contrast"]})
    assert holder.pref_larger_text and holder.pref_high_contrast and not holder.pref_reduced_motion
    for url in ("/", "/account", "/privacy", "/notifications"):
        page = client.get(url).get_data(as_text=True)
        assert 'class="govuk-template oc-larger-text oc-high-contrast"' in page
    form = client.get("/account/accessibility").get_data(as_text=True)
    assert 'value="larger_text" checked' in form
    client.submit("/account/accessibility", {})
    assert not holder.pref_larger_text
    assert 'class="govuk-template "' in client.get("/").get_data(as_text=True)


def test_email_preferences_per_kind(client, login, holder):
    login(holder)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "Invitations and changes to your roles" in page
    assert "Changes to your password" not in page  # security emails cannot be switched off
    client.submit("/account/notifications", {})
    notify(holder, "invitations", "You have been invited")
    db.session.commit()
    assert outbox(holder.email) == []
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
    client.submit("/account/notifications", {"email_kinds": ["invitations"]})
    notify(holder, "invitations", "Another invitation")
    db.session.commit()
    assert [m.subject for m in outbox(holder.email)] == ["Another invitation"]


# --- Closing an account ------------------------------------------------------------------------


def test_close_account_explains_what_is_kept(client, login, holder):
    login(holder)
    page = client.get("/account/close").get_data(as_text=True)
    assert "financial records" in page and "audit record" in page
    assert "cannot be undone" in page


def test_closing_an_account_removes_personal_data_and_keeps_records(client, holder):
    sign_in(client, holder.email)
    notify(holder, "invitations", "Something for you")
    db.session.commit()
    holder_id, profile = holder.id, holder.budget_holder
    old_email = holder.email
    response = client.submit("/account/close", {"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302  # signed out

    assert holder.email == f"closed-{holder_id}@closed.invalid"
    assert holder.name == "Closed account" and holder.password_hash is None and holder.closed_at
    assert profile.name.startswith("Former budget holder") and profile.closed_at
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    # Audit records stay, pointing at the pseudonymised account.
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == holder_id)))
    assert {"sign_in.succeeded", "account.closed"} <= actions
    # A last confirmation goes to the old address.
    assert [m.subject for m in db.session.scalars(select(OutboxMessage))] == ["Your OurChoice account is closed"]
    assert "Enter a correct email" in sign_in(client, old_email).get_data(as_text=True)


def test_closing_needs_password_and_confirmation(client, login, holder):
    login(holder)
    response = client.submit("/account/close", {"password": "wrong one!", "understood": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Confirm you understand" in page
    response = client.submit("/account/close", {"password": "wrong one!", "understood": "y"})
    assert "Your password is not correct" in response.get_data(as_text=True)
    assert holder.closed_at is None


def test_only_admin_cannot_close_their_account(client, login, admin_user):
    login(admin_user)
    response = client.submit("/account/close", {"password": PASSWORD, "understood": "y"})
    assert response.status_code == 400
    assert "only platform admin" in response.get_data(as_text=True)
    assert admin_user.closed_at is None


def test_provider_owner_closing_hands_the_organisation_to_remaining_staff(client, login):
    owner = ProviderStaffFactory(is_owner=True)
    colleague = ProviderStaffFactory(organisation=owner.organisation)
    organisation = owner.organisation
    login(owner.user)
    client.submit("/account/close", {"password": PASSWORD, "understood": "y"})
    assert colleague.is_owner
    assert [s.user_id for s in organisation.staff] == [colleague.user_id]
