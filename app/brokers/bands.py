"""The brokerage bands in use. Their table is here because a broker sets a fee per band; the
platform admin edits bands, and engagements agree one with each client, in the engagements
feature."""

from __future__ import annotations

from sqlalchemy import select

from app.brokers.models import Band
from app.extensions import db


def active_bands() -> list[Band]:
    """The bands new work can be agreed in, in their order."""
    return list(db.session.scalars(select(Band).where(Band.active.is_(True)).order_by(Band.sort_order, Band.id)))
