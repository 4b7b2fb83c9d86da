"""Funding bodies: created by platform admins; officers join by invitation."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import IsAdmin, ensure
from app.extensions import db
from app.funders.models import FundingBody, FundingBodyKind


def all_bodies() -> list[FundingBody]:
    """Every funding body, by name."""
    return list(db.session.scalars(select(FundingBody).order_by(FundingBody.name)))


def create(actor, name: str, kind: str) -> FundingBody:
    """Add a funding body (platform admins only); its name must be new, whatever its case."""
    ensure(IsAdmin, actor, hide=False)
    name = name.strip()
    if db.session.scalar(select(FundingBody).where(func.lower(FundingBody.name) == name.lower())):
        raise DomainError("There is already a funding body with this name", field="name")
    body = FundingBody(name=name, kind=FundingBodyKind(kind))
    db.session.add(body)
    audit.record("funding_body.created", actor=actor, obj=body)
    return body


def remove_officer_memberships(user) -> None:
    """A closed account is no funding body's officer."""
    for membership in list(user.funder_memberships):
        db.session.delete(membership)
