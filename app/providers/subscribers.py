"""Providers' reactions to lower features' signals."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.signals import account_closing
from app.extensions import db
from app.providers.models import ProviderStaff


@account_closing.connect
def _leave_every_staff(user, now, **_):
    for membership in list(user.provider_memberships):
        organisation = membership.organisation
        was_owner = membership.is_owner
        db.session.delete(membership)
        db.session.flush()
        if was_owner:
            successor = db.session.scalar(
                select(ProviderStaff).where(ProviderStaff.organisation_id == organisation.id)
                .order_by(ProviderStaff.added_at, ProviderStaff.id)
            )
            if successor is not None:
                successor.is_owner = True
