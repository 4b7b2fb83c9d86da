"""The public records the API publishes (community services, verified providers and accredited
brokers), found by search document id or by their Open Referral service id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.brokers.models import BrokerProfile
from app.directory.models import DirectoryEntry
from app.extensions import db
from app.openreferral.ids import derived, masked, unmasked
from app.openreferral.values import drop_empty, external_url, public_email, public_web_address
from app.providers.models import ProviderOrganisation
from app.search import services as search


@dataclass
class Listed:
    """One public record, in the shape every response builds from."""

    kind: str  # service / provider / broker
    record: Any
    service_id: str
    organisation: dict[str, Any]


def _entry_organisation(entry: DirectoryEntry) -> dict[str, Any]:
    name = entry.organisation_name or entry.name
    return drop_empty({"id": derived("organisation", entry.uuid), "name": name,
                       "description": f"{name} runs {entry.name}.", "email": public_email(entry.email),
                       "website": public_web_address(entry.website)})


def listed_entry(entry: DirectoryEntry) -> Listed:
    return Listed("service", entry, entry.uuid, _entry_organisation(entry))


def listed_provider(organisation: ProviderOrganisation) -> Listed:
    return Listed("provider", organisation, masked(organisation.uuid, "provider-service"), drop_empty({
        "id": organisation.uuid, "name": organisation.name,
        "description": organisation.description or organisation.kind.label,
        "uri": external_url("directory.provider", organisation_id=organisation.id)}))


def listed_broker(broker: BrokerProfile) -> Listed:
    return Listed("broker", broker, masked(broker.uuid, "broker-service"), drop_empty({
        "id": broker.uuid, "name": broker.display_name,
        "description": f"Independent associate support broker, accredited by {broker.hub.name}.",
        "uri": external_url("brokers.profile", broker_id=broker.id)}))


def from_doc_id(doc_id: str) -> Listed | None:
    kind, _, raw = doc_id.partition(":")
    if kind == "service":
        entry = db.session.get(DirectoryEntry, int(raw))
        return listed_entry(entry) if entry and entry.is_published else None
    if kind == "provider":
        organisation = db.session.get(ProviderOrganisation, int(raw))
        return listed_provider(organisation) if organisation and search.document_of(organisation) else None
    broker = db.session.get(BrokerProfile, int(raw))
    return listed_broker(broker) if broker and search.document_of(broker) else None


def find_service(service_id: str) -> Listed | None:
    """A public service by its id (None: not found, or no longer listed)."""
    if unmasked(service_id, "") is None:
        return None
    entry = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.uuid == service_id))
    if entry is not None:
        return listed_entry(entry) if entry.is_published else None
    organisation = db.session.scalar(select(ProviderOrganisation).where(
        ProviderOrganisation.uuid == unmasked(service_id, "provider-service")))
    if organisation is not None:
        return listed_provider(organisation) if search.document_of(organisation) else None
    broker = db.session.scalar(select(BrokerProfile).where(BrokerProfile.uuid == unmasked(service_id,
                                                                                           "broker-service")))
    if broker is not None:
        return listed_broker(broker) if search.document_of(broker) else None
    return None
