"""A forgotten password reset through an emailed link, and a password changed in settings.
Either way every sign-in session ends and the owner is told by email."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import delete

from app.accounts import links
from app.accounts import session as sign_in_sessions
from app.accounts.models import AuthToken, User
from app.accounts.passwords import hash_password, verify_password
from app.accounts.users import check_new_password, find_by_email, normalise_email
from app.core import audit, ratelimit
from app.core.errors import DomainError
from app.core.notifications import ACCOUNT_SECURITY, send_template_email
from app.core.timeutil import utcnow
from app.core.tokens import new_token
from app.core.urls import external_url
from app.extensions import db


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account. Says nothing either way."""
    email = normalise_email(email)
    if not ratelimit.take(current_app.config["EMAIL_REQUESTS_PER_ADDRESS"], "password-reset", email):
        return
    user = find_by_email(email)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    if user is None or not user.is_active:
        # The same work as for a real account (a token, the email rendered, a row written), so the
        # answer takes as long and nobody can tell from the timing whether the address has an account.
        raw, _ = new_token()
        render_template("email/reset_password.txt", user_name="", hours=hours,
                        link=external_url("accounts.reset_password", token=raw))
        audit.record("password.reset_requested", actor=None, known_account=False)
        return
    raw = links.issue(user, AuthToken.RESET_PASSWORD, timedelta(hours=hours))
    send_template_email(
        user.email, "Reset your OurChoice password", "email/reset_password.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, hours=hours,
        link=external_url("accounts.reset_password", token=raw),
    )
    audit.record("password.reset_requested", actor=user, obj=user)


def check_reset_token(raw: str) -> None:
    """Raise TokenInvalid unless the reset link can still be used (does not use it)."""
    links.check(raw, AuthToken.RESET_PASSWORD)


def reset_password(raw: str, new_password: str) -> User:
    token = links.use(raw, AuthToken.RESET_PASSWORD)
    user = token.user
    check_new_password(new_password, email=user.email, name=user.name)
    _set_password(user, new_password)
    # The link proved the person controls the address.
    user.email_verified_at = user.email_verified_at or utcnow()
    # Any other reset links still in flight stop working.
    db.session.execute(
        delete(AuthToken).where(AuthToken.user_id == user.id, AuthToken.purpose == AuthToken.RESET_PASSWORD,
                                AuthToken.used_at.is_(None))
    )
    audit.record("password.reset", actor=user, obj=user)
    _tell_password_changed(user)
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise DomainError("Your current password is not correct", field="current_password")
    if current_password == new_password:
        raise DomainError("Your new password must be different from your current password", field="new_password")
    check_new_password(new_password, email=user.email, name=user.name, field="new_password")
    _set_password(user, new_password)
    audit.record("password.changed", actor=user, obj=user)
    _tell_password_changed(user)


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    sign_in_sessions.end_all(user)  # signs out every session; the view starts a new one where it should


def _tell_password_changed(user: User) -> None:
    send_template_email(
        user.email, "Your OurChoice password was changed", "email/password_changed.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name,
        reset_url=external_url("accounts.forgot_password"),
    )
