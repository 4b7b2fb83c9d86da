"""The account's own details: the person's name and how pages look for them."""

from __future__ import annotations

from app.accounts import signals
from app.accounts.models import User
from app.core import audit
from app.core.errors import DomainError


def update_details(user: User, name: str) -> None:
    name = name.strip()
    if not name:
        raise DomainError("Enter your name", field="name")
    user.name = name
    signals.name_changed.send(user, name=name)
    audit.record("account.details_changed", actor=user, obj=user)


def update_accessibility(user: User, *, larger_text: bool, high_contrast: bool, reduced_motion: bool) -> None:
    user.pref_larger_text = larger_text
    user.pref_high_contrast = high_contrast
    user.pref_reduced_motion = reduced_motion
