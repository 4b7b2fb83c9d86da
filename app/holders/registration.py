"""The budget holder's kind of account on the registration page: registering creates the
person's budget holder record."""

from __future__ import annotations

from app.accounts.models import User
from app.accounts.services import Registration, register_kind
from app.extensions import db
from app.holders.models import BudgetHolder


def _create_budget_holder(user: User, registration: Registration) -> None:
    db.session.add(BudgetHolder(user=user, name=user.name))


register_kind("budget_holder", "I have a personal budget", position=10,
              create=_create_budget_holder)
