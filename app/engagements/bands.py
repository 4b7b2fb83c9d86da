"""Brokerage bands (admin-editable): the hours agreed for a piece of brokerage, and the band a
new engagement starts in. (The `Band` table is the brokers feature's: fees are set per band.)"""

from __future__ import annotations

from sqlalchemy import func, select

from app.brokers.services import active_bands
from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import IsAdmin, ensure
from app.core.records import get_or_404
from app.engagements.models import Band
from app.extensions import db

__all__ = ["DEFAULT_BANDS", "active_bands", "all_bands", "default_band", "get", "save"]

# The bands migration 0002 creates (from the council report): what a new database starts with.
DEFAULT_BANDS = [
    {"code": "A", "name": "Band A", "hours": 10, "sort_order": 1,
     "description": "Most people's brokerage: planning and arranging straightforward support."},
    {"code": "B", "name": "Band B", "hours": 15, "sort_order": 2,
     "description": "More complex situations, or several funders and services to arrange."},
    {"code": "C", "name": "Band C", "hours": 25, "sort_order": 3,
     "description": "The most complex situations, for example a hospital discharge with many services."},
]


def all_bands() -> list[Band]:
    return list(db.session.scalars(select(Band).order_by(Band.sort_order, Band.id)))


def default_band() -> Band:
    """The first band in use: where every engagement starts (a higher one needs the hub lead)."""
    bands = active_bands()
    if not bands:
        raise DomainError("No brokerage bands are set up. Ask a platform admin to add one.")
    return bands[0]


def get(actor, band_id: int) -> Band:
    ensure(IsAdmin, actor, hide=False)
    return get_or_404(Band, band_id)


def save(actor, band: Band | None, *, code: str, name: str, hours: int, description: str, active: bool) -> Band:
    ensure(IsAdmin, actor, hide=False)
    code = code.strip().upper()
    clash = db.session.scalar(select(Band).where(func.upper(Band.code) == code))
    if clash is not None and clash is not band:
        raise DomainError("Another band already uses this code", field="code")
    if not 1 <= hours <= 200:
        raise DomainError("Enter between 1 and 200 hours", field="hours")
    if band is None:
        band = Band(sort_order=(db.session.scalar(select(func.max(Band.sort_order))) or 0) + 1)
        db.session.add(band)
    band.code, band.name, band.hours, band.description, band.active = code, name.strip(), hours, description.strip(), active
    db.session.flush()
    audit.record("band.saved", actor=actor, obj=band, code=code, hours=hours, active=active)
    return band
