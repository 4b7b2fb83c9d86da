"""Single-use links sent by email: confirm an address, reset a password, change the address.

Only each token's SHA-256 hash is stored; a link works once, until it expires, and only for an
open account.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import AuthToken, User
from app.core.errors import DomainError
from app.core.timeutil import utcnow
from app.core.tokens import hash_token, new_token
from app.extensions import db


class TokenInvalid(DomainError):
    """The link cannot be used (unknown, used, expired, or the account is closed)."""


def issue(user: User, purpose: str, lifetime: timedelta, new_email: str | None = None) -> str:
    """A new link token for `purpose`; returns the raw token that goes in the link."""
    raw, token_hash = new_token()
    db.session.add(
        AuthToken(user_id=user.id, purpose=purpose, token_hash=token_hash, new_email=new_email,
                  expires_at=utcnow() + lifetime)
    )
    return raw


def check(raw: str, purpose: str) -> AuthToken:
    """The token, if the link can still be used (it is not used up by looking)."""
    return _usable(db.session.scalar(_query(raw, purpose)))


def use(raw: str, purpose: str) -> AuthToken:
    """Use the link up: its row is locked while it is checked, so it works only once."""
    token = _usable(db.session.scalar(
        _query(raw, purpose).with_for_update().execution_options(populate_existing=True)))
    token.used_at = utcnow()
    return token


def _query(raw: str, purpose: str):
    return select(AuthToken).where(AuthToken.token_hash == hash_token(raw or ""), AuthToken.purpose == purpose)


def _usable(token: AuthToken | None) -> AuthToken:
    if token is None or not token.user.is_active:
        raise TokenInvalid("This link is not valid. Check you copied the whole link from the email.")
    if token.used_at is not None:
        raise TokenInvalid("This link has already been used. Each link works only once.")
    if token.expires_at <= utcnow():
        raise TokenInvalid("This link has expired.")
    return token
