"""Closing an account: personal data removed or pseudonymised, financial and audit records
kept. Each feature above accounts does its part on the `account_closing` signal."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app.accounts import session as sign_in_sessions
from app.accounts import signals
from app.accounts.models import AuthToken, User
from app.accounts.passwords import verify_password
from app.core import audit
from app.core.errors import DomainError
from app.core.models import Notification, NotificationPreference, OutboxMessage
from app.core.notifications import ACCOUNT_SECURITY, send_template_email
from app.core.timeutil import utcnow
from app.extensions import db


def _count_admins() -> int:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.is_platform_admin.is_(True), User.closed_at.is_(None))
    ) or 0


def close_account(user: User, password: str) -> None:
    """Remove or pseudonymise personal data; keep financial and audit records."""
    if not verify_password(user.password_hash, password):
        raise DomainError("Your password is not correct", field="password")
    if user.is_platform_admin and _count_admins() <= 1:
        raise DomainError(
            "You are the only platform admin. Invite another admin before you close your account."
        )
    now = utcnow()
    original_email = user.email
    signals.account_closing.send(user, now=now)
    signals.account_closed.send(user, now=now)
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user.id))
    db.session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id))

    user.email = f"closed-{user.id}@closed.invalid"
    user.name = "Closed account"
    user.password_hash = None
    user.email_verified_at = None
    user.is_platform_admin = False
    user.pref_larger_text = user.pref_high_contrast = user.pref_reduced_motion = False
    sign_in_sessions.end_all(user)
    user.closed_at = now
    audit.record("account.closed", actor=user, obj=user)
    # A last message to the address the person used, confirming what happened.
    send_template_email(
        original_email, "Your OurChoice account is closed", "email/account_closed.txt",
        kind=ACCOUNT_SECURITY.key, user=None,
    )
