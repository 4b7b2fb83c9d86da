"""Sign-in sessions and the Flask-Login wiring.

The cookie holds "user id:session secret"; the server keeps a `SignInSession` row (the secret's
hash) for each sign-in. Signing out ends that row, so a copy of the cookie taken before is
refused; each session ends `SESSION_HOURS` after it started, however often the cookie is
re-issued; changing the password or closing the account ends every other session.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import Flask, current_app, session
from flask_login import current_user, login_user
from sqlalchemy import delete, select, update

from app.accounts.models import SignInSession, User
from app.core.converters import parse_id
from app.core.timeutil import utcnow
from app.core.tokens import hash_token
from app.extensions import db, login_manager

KEEP_ENDED_FOR = timedelta(days=30)


def start(user: User, *, expires_at: datetime | None = None) -> SignInSession:
    """A new sign-in session for this user (the caller puts `user.get_id()` in the cookie).
    `expires_at` carries an earlier session's end over (a new cookie after a password change
    does not give a longer sign-in)."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    row = SignInSession(user_id=user.id, token_hash=hash_token(secret), created_at=now,
                        expires_at=expires_at or now + timedelta(hours=current_app.config["SESSION_HOURS"]))
    db.session.add(row)
    db.session.flush()
    user.sign_in_session, user._session_secret = row, secret
    return row


def end(user: User) -> None:
    """End the session this request belongs to."""
    if user.sign_in_session is not None and user.sign_in_session.ended_at is None:
        user.sign_in_session.ended_at = utcnow()


def end_all(user: User) -> None:
    """End every session of this user (a password change then starts a new one for this browser)."""
    db.session.execute(update(SignInSession).where(SignInSession.user_id == user.id, SignInSession.ended_at.is_(None))
                       .values(ended_at=utcnow()).execution_options(synchronize_session=False))


def load(identity: str) -> User | None:
    user_text, _, secret = (identity or "").partition(":")
    user_id = parse_id(user_text)
    if user_id is None or not secret:
        return None
    row = db.session.scalar(select(SignInSession).where(SignInSession.token_hash == hash_token(secret)))
    if row is None or row.user_id != user_id or row.ended_at is not None or row.expires_at <= utcnow():
        return None
    user = row.user
    if user is None or not user.is_active:
        return None
    user.sign_in_session, user._session_secret = row, secret
    return user


def forget_old() -> int:
    """Delete sessions that ended or expired more than 30 days ago (run by `flask scheduled run`)."""
    cutoff = utcnow() - KEEP_ENDED_FOR
    result = db.session.execute(delete(SignInSession).where(
        (SignInSession.ended_at < cutoff) | (SignInSession.expires_at < cutoff)))
    return result.rowcount or 0


def sign_in_browser(user: User, *, expires_at: datetime | None = None) -> None:
    """Start a session for this browser: a fresh cookie (no session fixation), a server-side
    session row, and Flask-Login's sign-in. The one way every page signs someone in. A session
    this browser already had (someone else's, say) ends first."""
    if current_user.is_authenticated:
        end(current_user._get_current_object())
    session.clear()
    start(user, expires_at=expires_at)
    login_user(user)
    session.permanent = True


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load)
