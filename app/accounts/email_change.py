"""Changing the email address: a link goes to the new address, the old one is told, and the
change happens only when the link is used."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from app.accounts import links
from app.accounts.models import AuthToken, User
from app.accounts.passwords import verify_password
from app.accounts.users import find_by_email, normalise_email
from app.core import audit
from app.core.errors import DomainError
from app.core.notifications import ACCOUNT_SECURITY, send_template_email
from app.core.timeutil import utcnow
from app.core.urls import external_url


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is used."""
    if not verify_password(user.password_hash, password):
        raise DomainError("Your password is not correct", field="password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError("This is already your email address", field="email")
    if find_by_email(new_email) is not None:
        # Saying so reveals little here: the person is signed in and proved their password.
        raise DomainError("There is already an account with this email address", field="email")
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    raw = links.issue(user, AuthToken.CHANGE_EMAIL, timedelta(hours=hours), new_email=new_email)
    send_template_email(
        new_email, "Confirm your new email address for OurChoice", "email/change_email.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, hours=hours,
        link=external_url("accounts.confirm_email_change", token=raw),
    )
    send_template_email(
        user.email, "Your OurChoice email address is being changed", "email/email_change_requested.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, new_email=new_email,
    )
    audit.record("account.email_change_requested", actor=user, obj=user)


def confirm_email_change(raw: str) -> User:
    token = links.use(raw, AuthToken.CHANGE_EMAIL)
    user = token.user
    if find_by_email(token.new_email) is not None:
        raise links.TokenInvalid("Another account now uses that email address, so it cannot be changed.")
    old = user.email
    user.email = token.new_email
    user.email_verified_at = utcnow()
    audit.record("account.email_changed", actor=user, obj=user)
    send_template_email(
        old, "Your OurChoice email address was changed", "email/email_changed.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, new_email=user.email,
    )
    return user
