"""Finding an account by its email address, and the rules every new password meets."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.passwords import password_problem
from app.core.errors import DomainError
from app.extensions import db


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_new_password(password: str, *, email: str | None = None, name: str | None = None,
                       field: str = "password") -> None:
    """Raise a DomainError beside `field` if the new password breaks a rule."""
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise DomainError(problem, field=field)
