"""Accounts' front door: registering, verifying email, signing in, passwords, settings, closing.

Other features (and the accounts pages) import from here; the work lives in one module per job:
`registration` (kinds of account, registering, email verification), `signing_in`,
`password_changes`, `email_change`, `details`, `closing`, with `users` (finding accounts, the
password rules) and `links` (single-use emailed links) beneath them. Services check the rules
and do the work in the caller's unit of work (they flush, never commit) and raise
`DomainError`s the pages put beside fields.
"""

from __future__ import annotations

from app.accounts.closing import close_account
from app.accounts.details import update_accessibility, update_details
from app.accounts.email_change import confirm_email_change, request_email_change
from app.accounts.links import TokenInvalid
from app.accounts.models import User
from app.accounts.password_changes import change_password, check_reset_token, request_password_reset, reset_password
from app.accounts.passwords import hash_password
from app.accounts.registration import (
    AccountKind,
    Registration,
    account_kind,
    account_kinds,
    register,
    register_kind,
    resend_verification,
    verify_email,
)
from app.accounts.session import forget_old as forget_old_sessions
from app.accounts.session import sign_in_browser
from app.accounts.signing_in import (
    SIGN_IN_ERROR,
    EmailNotVerified,
    SignInError,
    SignInLimited,
    record_sign_out,
    refuse_if_too_many_attempts,
    sign_in,
)
from app.accounts.users import check_new_password, find_by_email, normalise_email
from app.core import audit
from app.core.errors import DomainError
from app.core.timeutil import utcnow
from app.extensions import db

__all__ = [
    "SIGN_IN_ERROR", "AccountKind", "EmailNotVerified", "Registration", "SignInError", "SignInLimited",
    "TokenInvalid", "account_kind", "account_kinds", "change_password", "check_new_password",
    "check_reset_token", "close_account", "confirm_email_change", "create_account_for_link", "create_verified_user",
    "ensure_address", "find_by_email",
    "forget_old_sessions",
    "make_platform_admin", "normalise_email", "record_sign_out", "refuse_if_too_many_attempts", "register",
    "register_kind", "request_email_change", "request_password_reset", "resend_verification",
    "reset_password", "sign_in", "sign_in_browser", "update_accessibility", "update_details", "verify_email",
]


def create_verified_user(email: str, name: str, password: str) -> User:
    """An account whose email address is already proven (by an invitation or claim link, or an
    operator at the command line). The password is checked; the caller has checked that the
    address has no account."""
    check_new_password(password, email=email, name=name)
    user = User(email=normalise_email(email), name=name.strip(), password_hash=hash_password(password),
                email_verified_at=utcnow())
    db.session.add(user)
    db.session.flush()
    return user


def create_account_for_link(email: str, name: str, password: str, *, taken: str,
                            error: type[Exception] = DomainError) -> User:
    """The verified account of someone who followed a link emailed to `email` (the link proves the
    address); `error(taken)` when the address already has an account (they sign in instead)."""
    if find_by_email(email) is not None:
        raise error(taken)
    return create_verified_user(email, name, password)


def ensure_address(user: User, email: str, refusal: str, error: type[Exception] = DomainError) -> None:
    """A link emailed to `email` is used only by the account with that address: `error(refusal)` otherwise."""
    if normalise_email(user.email) != email:
        raise error(refusal)


def make_platform_admin(email: str, name: str, password: str) -> User:
    """The first platform admin, from the command line (later admins are invited)."""
    user = find_by_email(email) or create_verified_user(email, name, password)
    user.is_platform_admin = True
    audit.record("admin.created_from_cli", obj=user)
    return user
