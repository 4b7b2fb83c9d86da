"""The audit log: who did what to which record, when and from where.

`record` adds an event to the current transaction, so it is kept exactly when the change it
describes is kept. Disclosures and refusals (someone saw a person's private details, a page or
a sign-in was refused) are kept even when the rest of the unit of work is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, select

from app.core import unit_of_work
from app.core.context import client_ip
from app.core.models import AuditEvent
from app.core.pagination import paginate
from app.extensions import db


def _object_ref(obj: Any) -> tuple[str | None, str | None]:
    if obj is None:
        return None, None
    if getattr(obj, "id", None) is None:
        db.session.flush()  # a new row gets its id, so the event can point at it
    return type(obj).__name__, str(obj.id)


# Events that say who saw what, or what was refused: kept whatever happens to the request.
KEPT_WHATEVER_HAPPENS = frozenset({"client_record.viewed", "permission.refused", "sign_in.failed", "sign_in.blocked"})


def record(
    action: str,
    *,
    actor: Any = None,
    obj: Any = None,
    on_behalf_of: Any = None,
    holder: Any = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the session; it is kept when the caller commits.

    `actor` did it; `on_behalf_of` is the user it was done for, when someone acts for another;
    `holder` is the budget holder whose record it concerns. Details are small JSON-safe facts
    (never passwords or health data).
    """
    if obj is not None:
        object_type, object_id = _object_ref(obj)
    values = dict(
        action=action,
        actor_id=_user_id(actor),
        on_behalf_of_id=_user_id(on_behalf_of),
        budget_holder_id=getattr(holder, "id", None),
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        ip_address=client_ip.get(),
        details={k: v for k, v in details.items() if v is not None},
    )
    entry = AuditEvent(**values)
    db.session.add(entry)
    if action in KEPT_WHATEVER_HAPPENS:
        unit_of_work.keep_after_rollback(lambda: db.session.add(AuditEvent(**values)))
    return entry


def _user_id(user: Any) -> int | None:
    if user is None or getattr(user, "is_anonymous", False):
        return None
    return getattr(user, "id", None)


@dataclass
class AuditFilter:
    action: str | None = None
    actor_email: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def search(filters: AuditFilter, *, page: int = 1, per_page: int = 50):
    """Events matching the filters, newest first, as a Flask-SQLAlchemy pagination."""
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.actor_email:
        users = db.metadata.tables["users"]  # core knows the table, not the accounts feature
        query = query.join(users, users.c.id == AuditEvent.actor_id).where(
            users.c.email == filters.actor_email.strip().lower()
        )
    if filters.since:
        query = query.where(AuditEvent.occurred_at >= filters.since)
    if filters.until:
        query = query.where(AuditEvent.occurred_at < filters.until)
    return paginate(query, page=page, per_page=per_page)


def known_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):
    raise RuntimeError("Audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise RuntimeError("Audit events are append-only")
