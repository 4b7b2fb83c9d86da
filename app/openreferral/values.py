"""How a stored value is written in Open Referral data: dates, addresses, and fields we have
nothing for (left out, since the schemas type them as strings, not nulls)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import url_for

from app.core import contact_details
from app.core.errors import DomainError


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def day(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out fields we have nothing for (the schemas type them as strings, not nulls)."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def external_url(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


def public_email(value: str) -> str | None:
    """The stored address as open data, or None (left out) if it is not a valid address:
    rows saved before the checks were tightened must not put bad data into other systems."""
    try:
        return contact_details.email_address(value, ascii_only=True) or None
    except DomainError:
        return None


def public_web_address(value: str) -> str | None:
    """The stored web address, or None (left out) if it is not one; see `_public_email`."""
    try:
        return contact_details.web_address(value) or None
    except DomainError:
        return None
