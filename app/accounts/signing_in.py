"""Signing in and out: failures counted per account and per client address, the same answer
whether or not the address has an account, and the session ended on the server at sign-out."""

from __future__ import annotations

from flask import current_app

from app.accounts import session as sign_in_sessions
from app.accounts.models import User
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.accounts.registration import resend_verification
from app.accounts.users import find_by_email, normalise_email
from app.core import audit, ratelimit
from app.core.errors import DomainError
from app.core.timeutil import utcnow

SIGN_IN_ERROR = "Enter a correct email address and password"


class SignInError(DomainError):
    pass


class SignInLimited(DomainError):
    def __init__(self, minutes: int):
        super().__init__(
            f"There have been too many attempts to sign in. Wait {minutes} minute"
            f"{'s' if minutes != 1 else ''} and try again, or reset your password."
        )
        self.minutes = minutes


class EmailNotVerified(DomainError):
    pass


def _limits(email: str, ip_address: str | None) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """(limit, namespace, key) for this account and for this client address."""
    config = current_app.config
    return ((config["SIGN_IN_FAILURES_PER_ACCOUNT"], "sign-in-account", normalise_email(email)),
            (config["SIGN_IN_FAILURES_PER_ADDRESS"], "sign-in-address", ip_address or "unknown"))


def refuse_if_too_many_attempts(email: str, ip_address: str | None) -> None:
    """Raise SignInLimited while this account or this client address has failed too often
    (`sign_in` checks this first; the sign-in page also calls it alone, to answer 429)."""
    for limit, namespace, key in _limits(email, ip_address):
        if ratelimit.is_limited(limit, namespace, key):
            audit.record("sign_in.blocked", actor=find_by_email(email), limit=namespace)
            raise SignInLimited(ratelimit.minutes_until_reset(limit, namespace, key))


def sign_in(email: str, password: str, ip_address: str | None) -> User:
    """Check the email and password, counting failures per account and per address.

    Every refusal says the same thing whether or not the address has an account.
    """
    refuse_if_too_many_attempts(email, ip_address)
    account_limit, address_limit = _limits(email, ip_address)
    user = find_by_email(email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if not password_ok or user is None or not user.is_active:
        ratelimit.hit(*account_limit)
        ratelimit.hit(*address_limit)
        audit.record("sign_in.failed", actor=user, known_account=user is not None)
        raise SignInError(SIGN_IN_ERROR)

    if not user.is_verified:
        resend_verification(email, even_if_refused=True)
        raise EmailNotVerified(
            "You need to confirm your email address before you can sign in. We have sent you a "
            "new link: check your inbox (and spam folder)."
        )

    ratelimit.clear(*account_limit)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    audit.record("sign_in.succeeded", actor=user)
    return user


def record_sign_out(user: User) -> None:
    """Signing out ends the session on the server: a copy of the cookie no longer works."""
    sign_in_sessions.end(user)
    audit.record("sign_out", actor=user)
