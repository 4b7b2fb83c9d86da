"""Creating an account for yourself, and confirming its email address.

The kinds of account on offer belong to the features above accounts: each registers its own
in its `registration.py` (imported at startup) with `register_kind`, saying what the choice
reads, where it comes in the list, what registering creates and, for an organisation's
account, the kinds of organisation to choose from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from app.accounts import links
from app.accounts.models import AuthToken, User
from app.accounts.passwords import hash_password
from app.accounts.users import check_new_password, find_by_email, normalise_email
from app.core import audit, ratelimit, unit_of_work
from app.core.errors import DomainError
from app.core.notifications import ACCOUNT_SECURITY, send_template_email
from app.core.timeutil import utcnow
from app.core.urls import external_url
from app.extensions import db


@dataclass
class Registration:
    """What the person typed on the registration page."""

    kind: str
    name: str
    email: str
    password: str
    organisation_name: str = ""
    organisation_kind: str = ""


@dataclass(frozen=True)
class AccountKind:
    """A kind of account a person can create. `create(user, registration)` adds what the
    account is for (the user row is added, not yet flushed)."""

    key: str
    label: str
    create: Callable[[User, Registration], None]
    position: int = 100
    organisation_kinds: tuple[tuple[str, str], ...] = ()

    @property
    def for_an_organisation(self) -> bool:
        """The registration page also asks for the organisation's name and kind."""
        return bool(self.organisation_kinds)


_KINDS: dict[str, AccountKind] = {}


def register_kind(key: str, label: str, *, create: Callable[[User, Registration], None], position: int = 100,
                  organisation_kinds: Iterable[tuple[str, str]] = ()) -> AccountKind:
    """Offer a kind of account on the registration page (lower `position` comes first)."""
    kind = AccountKind(key, label, create, position, tuple(organisation_kinds))
    _KINDS[key] = kind
    return kind


def account_kinds() -> list[AccountKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.position)


def account_kind(key: str) -> AccountKind | None:
    return _KINDS.get(key)


def register(reg: Registration) -> None:
    """Create an unverified account and send the verification email.

    If the address already has an account, nothing is created and the owner is emailed
    instead, so the page never reveals which addresses have accounts.
    """
    email = normalise_email(reg.email)
    check_new_password(reg.password, email=email, name=reg.name)
    # Hashed whether or not the address has an account, so the answer takes as long either way
    # (the hash is most of the time: without this, timing alone tells who has an account).
    password_hash = hash_password(reg.password)
    existing = find_by_email(email)
    if existing is not None:
        if existing.is_active:
            send_template_email(
                existing.email, "Someone tried to create an OurChoice account with your email",
                "email/already_registered.txt", kind=ACCOUNT_SECURITY.key, user=existing,
                user_name=existing.name, sign_in_url=external_url("accounts.sign_in"),
                reset_url=external_url("accounts.forgot_password"),
            )
        return

    kind = account_kind(reg.kind)
    if kind is None:
        raise DomainError("Choose the kind of account you need", field="kind")
    user = User(email=email, name=reg.name.strip(), password_hash=password_hash)
    db.session.add(user)
    kind.create(user, reg)
    db.session.flush()
    _send_verification(user)
    audit.record("account.registered", actor=user, obj=user, kind=reg.kind)


def _send_verification(user: User) -> None:
    hours = current_app.config["EMAIL_VERIFICATION_HOURS"]
    raw = links.issue(user, AuthToken.VERIFY_EMAIL, timedelta(hours=hours))
    send_template_email(
        user.email, "Confirm your email address for OurChoice", "email/verify_email.txt",
        kind=ACCOUNT_SECURITY.key, user=user, user_name=user.name, hours=hours,
        link=external_url("accounts.verify_email", token=raw),
    )


def resend_verification(email: str, *, even_if_refused: bool = False) -> None:
    """Send a fresh verification link if the address has an unverified account (silently
    does nothing otherwise). `even_if_refused`: the link is sent even though the rest of the
    request is rolled back (a refused sign-in)."""
    email = normalise_email(email)
    if not ratelimit.take(current_app.config["EMAIL_REQUESTS_PER_ADDRESS"], "verify-email", email):
        return
    user = find_by_email(email)
    if user is not None and user.is_active and not user.is_verified:
        _send_verification(user)
        if even_if_refused:
            unit_of_work.keep_after_rollback(lambda: _send_again(email))


def _send_again(email: str) -> None:
    user = find_by_email(email)
    if user is not None:
        _send_verification(user)


def verify_email(raw: str) -> User:
    token = links.use(raw, AuthToken.VERIFY_EMAIL)
    user = token.user
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    audit.record("account.email_verified", actor=user, obj=user)
    return user
