"""The demo seeder: finds each record by its natural key before creating it, so seeding twice
creates nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.passwords import hash_password
from app.core.timeutil import today_in_london, utcnow
from app.extensions import db

DEMO_PASSWORD = "ourchoice-demo"  # noqa: S105 - documented demo password, never used in production


class Seeder:
    def __init__(self) -> None:
        self.created = 0
        self._password_hash: str | None = None
        self.today = today_in_london()
        self.now = utcnow()

    def get_or_create(self, model, lookup: dict[str, Any], **values) -> Any:
        instance = db.session.scalar(select(model).filter_by(**lookup))
        if instance is None:
            instance = model(**lookup, **values)
            db.session.add(instance)
            db.session.flush()
            self.created += 1
        return instance

    def add(self, instance) -> Any:
        db.session.add(instance)
        db.session.flush()
        self.created += 1
        return instance

    def user(self, email: str, name: str, **values) -> User:
        if self._password_hash is None:
            self._password_hash = hash_password(DEMO_PASSWORD)
        return self.get_or_create(
            User, {"email": email}, name=name, password_hash=self._password_hash,
            email_verified_at=utcnow(), **values,
        )

    def days_ago(self, days: int):
        return self.now - timedelta(days=days)
