"""What the public directory shows: published community services, verified providers and
accredited brokers, and how old a service's "last verified" date may get (after 12 months the
directory says "this information may be out of date")."""

from __future__ import annotations

from datetime import date, timedelta

from app.brokers import services as brokers
from app.core.errors import NotFound
from app.core.timeutil import today_in_london
from app.directory.models import DirectoryEntry, Suggestion
from app.extensions import db
from app.providers.models import ProviderOrganisation

STALE_AFTER = timedelta(days=365)
CORRECTION_KINDS = ("service", "provider", "broker")


def is_stale(entry: DirectoryEntry, today: date | None = None) -> bool:
    today = today or today_in_london()
    return entry.last_verified_on is None or today - entry.last_verified_on > STALE_AFTER


def public_entry(entry_id: int) -> DirectoryEntry:
    """A published community service (404 for any other)."""
    entry = db.session.get(DirectoryEntry, entry_id)
    if entry is None or not entry.is_published:
        raise NotFound()
    return entry


def public_provider(organisation_id: int) -> ProviderOrganisation:
    """A verified provider (404 for any other)."""
    organisation = db.session.get(ProviderOrganisation, organisation_id)
    if organisation is None or not organisation.is_verified:
        raise NotFound()
    return organisation


def correction_target(kind: str, target_id: int):
    """What a correction is about: a listed service, provider or broker (404 if not listed)."""
    if kind == "service":
        return public_entry(target_id)
    if kind == "provider":
        return public_provider(target_id)
    if kind == "broker":
        return brokers.accredited_broker(target_id)
    raise NotFound()


def listed_name(target) -> str:
    return getattr(target, "display_name", None) or target.name


def target_name(suggestion: Suggestion) -> str:
    if suggestion.is_new_service:
        return suggestion.proposed.get("name", "")
    try:
        target = correction_target(suggestion.target_kind, suggestion.target_id)
    except NotFound:
        return "An entry no longer listed"
    return listed_name(target)
