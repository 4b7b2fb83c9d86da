"""Notifications: an in-app list with an unread count, and email through the outbox.

`notify` writes the notification and, if the user wants email for that kind, an outbox row,
both in the caller's transaction. `send_pending` (run by `flask outbox send`, and after each
request in development) delivers the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from flask import current_app, render_template
from sqlalchemy import func, select, update

from app.core import mail, unit_of_work
from app.core.models import Notification, NotificationPreference, OutboxMessage
from app.core.pagination import paginate
from app.core.roles import Role
from app.core.timeutil import utcnow
from app.core.urls import absolute
from app.extensions import db


class User(Protocol):
    """What notifications need of an account (core knows no feature's models)."""

    id: int
    email: str
    is_active: bool
    roles: frozenset[Role]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    email_by_default: bool = True
    # Roles for whom the kind is relevant (None: everyone). Used to show choices in settings.
    roles: frozenset[Role] | None = None
    # Security messages cannot be switched off.
    always_email: bool = False


KINDS: dict[str, NotificationKind] = {}


def register_kind(key: str, label: str, *, email_by_default: bool = True, roles=None, always_email: bool = False) -> NotificationKind:
    kind = NotificationKind(key, label, email_by_default, frozenset(roles) if roles else None, always_email)
    KINDS[key] = kind
    return kind


ACCOUNT_SECURITY = register_kind(
    "account_security", "Changes to your password, email address or account", always_email=True
)
INVITATIONS = register_kind("invitations", "Invitations and changes to your roles")


def kinds_for(user: User) -> list[NotificationKind]:
    roles = user.roles
    return [k for k in KINDS.values() if k.roles is None or k.roles & roles]


def wants_email(user: User, kind_key: str) -> bool:
    kind = KINDS[kind_key]
    if kind.always_email:
        return True
    pref = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind_key
        )
    )
    return kind.email_by_default if pref is None else pref.email_enabled


def email_preferences(user: User) -> dict[str, bool]:
    return {k.key: wants_email(user, k.key) for k in kinds_for(user)}


def set_email_preferences(user: User, enabled: set[str]) -> None:
    """Save which kinds the user wants by email (security kinds stay on)."""
    for kind in kinds_for(user):
        if kind.always_email:
            continue
        pref = db.session.scalar(
            select(NotificationPreference).where(
                NotificationPreference.user_id == user.id, NotificationPreference.kind == kind.key
            )
        )
        if pref is None:
            pref = NotificationPreference(user_id=user.id, kind=kind.key)
            db.session.add(pref)
        pref.email_enabled = kind.key in enabled
    db.session.flush()


def notify(user: User, kind: str, title: str, body: str = "", link: str | None = None) -> Notification:
    """Tell a user something, in the app and (if they want it) by email."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    note = Notification(user_id=user.id, kind=kind, title=title, body=body, link=link)
    db.session.add(note)
    if user.is_active and wants_email(user, kind):
        text = render_template("email/notification.txt", user=user, title=title, body=body,
                               link=absolute(link) if link else None)
        queue_email(user.email, title, text, kind=kind, user=user)
    return note


def queue_email(to_address: str, subject: str, body_text: str, *, kind: str, user: User | None = None) -> OutboxMessage:
    """Queue an email in the caller's transaction (sent only if that transaction commits)."""
    message = OutboxMessage(
        to_address=to_address, subject=subject, body_text=body_text, kind=kind,
        user_id=getattr(user, "id", None),
    )
    db.session.add(message)
    return message


def send_template_email(to_address: str, subject: str, template: str, *, kind: str, user: User | None = None, **context) -> OutboxMessage:
    return queue_email(to_address, subject, render_template(template, **context), kind=kind, user=user)


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ) or 0


def list_for(user: User, *, page: int = 1, per_page: int = 25):
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(query, page=page, per_page=per_page)


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) notification of this user as read."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    result = db.session.execute(stmt.values(read_at=utcnow()))
    return result.rowcount or 0


MAX_ATTEMPTS = 5


def send_pending(limit: int = 100) -> tuple[int, int]:
    """Deliver queued emails, as a unit of work of its own (run after a request's work has
    committed, or by `flask outbox send`). Returns (sent, failed). Safe to run in several
    processes at once: on PostgreSQL each batch row is locked and skipped by the others."""
    with unit_of_work.transaction():
        return _send_batch(limit)


def _send_batch(limit: int) -> tuple[int, int]:
    now = utcnow()
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < MAX_ATTEMPTS,
            (OutboxMessage.next_attempt_at.is_(None)) | (OutboxMessage.next_attempt_at <= now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    messages = list(db.session.scalars(query))
    backend = mail.get_backend()
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    sent = failed = 0
    for message in messages:
        message.attempts += 1
        try:
            email = mail.build_message(message.to_address, message.subject, message.body_text, sender)
            backend.send(email, f"{message.created_at:%Y%m%dT%H%M%S}-{message.id:06d}")
        except Exception as exc:  # delivery failures are retried with backoff, never raised
            failed += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.next_attempt_at = now + timedelta(minutes=5 * 2 ** (message.attempts - 1))
            log.warning("Email %s to %s failed: %s", message.id, message.to_address, exc)
        else:
            sent += 1
            message.sent_at = now
            message.last_error = None
    return sent, failed
