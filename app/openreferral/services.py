"""The directory as Open Referral UK (HSDS 3.0 UK profile) data.

Only what the public directory already shows is published: community services, verified
providers and accredited brokers. Nothing about budget holders, and no personal contact
details (a broker's listing links to their public profile instead of giving an email).

Ids are UUIDs that never change. Community services, providers and brokers have stored public
ids. Records we look up by id (a provider's or broker's service, a service at a location) use
the stored id with a fixed mask, so the stored id can be recovered without a search; the rest
(attributes, languages, taxonomy terms...) use uuid5.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import select

from app.brokers.models import BrokerProfile
from app.core import contact_details
from app.core.converters import MAX_ID, is_ascii_digits, parse_whole_number
from app.core.errors import DomainError
from app.core.reference import LANGUAGES, SPECIALISMS
from app.directory.models import DirectoryEntry, EntryStatus
from app.directory.services import ACCESSIBILITY_FEATURES
from app.extensions import db
from app.providers.models import ProviderOrganisation
from app.search import documents
from app.search import service as search
from app.taxonomy.models import ServiceCategory

NAMESPACE = uuid.UUID("7d3c1a52-4b8e-4f0e-9a55-2f0c6c1e9b11")  # OurChoice's namespace for derived ids
TAXONOMY_NAME = "OurChoice service categories"
HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferraluk.org/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
# ISO 639 codes for the languages people can choose (for the `code` HSDS 3.0 gives languages).
LANGUAGE_CODES = {
    "bsl": "bfi", "english": "en", "arabic": "ar", "bengali": "bn", "cantonese": "yue", "farsi": "fa",
    "french": "fr", "gujarati": "gu", "hindi": "hi", "italian": "it", "kurdish": "ku", "lithuanian": "lt",
    "mandarin": "cmn", "polish": "pl", "portuguese": "pt", "punjabi": "pa", "romanian": "ro", "somali": "so",
    "spanish": "es", "tamil": "ta", "tigrinya": "ti", "turkish": "tr", "twi": "tw", "urdu": "ur", "yoruba": "yo",
}


def derived(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def _mask(purpose: str) -> int:
    """128 bits from the purpose, leaving the UUID's version and variant bits alone."""
    value = int.from_bytes(hashlib.sha256(purpose.encode()).digest()[:16], "big")
    version_bits = 0xF << 76
    variant_bits = 0x3 << 62
    return value & ~version_bits & ~variant_bits


def masked(public_id: str, purpose: str) -> str:
    """A stable id for something belonging to a record (reversible with `unmasked`)."""
    return str(uuid.UUID(int=uuid.UUID(public_id).int ^ _mask(purpose)))


def unmasked(some_id: str, purpose: str) -> str | None:
    try:
        return str(uuid.UUID(int=uuid.UUID(some_id).int ^ _mask(purpose)))
    except ValueError:
        return None


TAXONOMY_ID = derived("taxonomy", "service-categories")


class BadRequest(Exception):
    """A query parameter the API cannot use; the message says which."""


# --- Paging ------------------------------------------------------------------------------------------


@dataclass
class Paging:
    page: int
    per_page: int


def paging(args) -> Paging:
    """`page` and `per_page` as the specification types them: integers, in ASCII digits (not
    "+5", "1_0" or another script's digits, which Python's int() would take), else a 400. A page
    beyond 2**31 - 1 is refused too; a `per_page` above the maximum gets the maximum."""

    def whole(name: str, default: int) -> int | None:
        """The number sent (the default when none was), or None when it is beyond 2**31 - 1."""
        raw = args.get(name)
        if raw in (None, ""):
            return default
        if not is_ascii_digits(raw) or not raw.lstrip("0"):
            raise BadRequest(f"{name} must be a whole number, 1 or more")
        return parse_whole_number(raw, minimum=1)

    page = whole("page", 1)
    if page is None:
        raise BadRequest(f"page must be {MAX_ID} or less")
    per_page = whole("per_page", DEFAULT_PER_PAGE) or MAX_PER_PAGE
    return Paging(page=page, per_page=min(per_page, MAX_PER_PAGE))


def page_of(contents: list, total: int, paging_: Paging) -> dict[str, Any]:
    pages = max(1, math.ceil(total / paging_.per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging_.page,
        "size": len(contents),
        "first_page": paging_.page == 1,
        "last_page": paging_.page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


# --- Taxonomy ------------------------------------------------------------------------------------------


def term_id(category: ServiceCategory) -> str:
    return derived("category", category.slug)


def _categories() -> list[ServiceCategory]:
    return list(db.session.scalars(select(ServiceCategory).where(ServiceCategory.active.is_(True))
                                   .order_by(ServiceCategory.sort_order, ServiceCategory.name)))


def taxonomy_term(category: ServiceCategory) -> dict[str, Any]:
    return {
        "id": term_id(category),
        "name": category.name,
        "description": category.description or category.name,
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": TAXONOMY_ID,
        "term": category.slug,
    }


def taxonomy() -> dict[str, Any]:
    return {"id": TAXONOMY_ID, "name": TAXONOMY_NAME,
            "description": "The kinds of care, support and community service in the OurChoice directory.",
            "version": "1"}


def taxonomy_terms(paging_: Paging) -> dict[str, Any]:
    terms = [taxonomy_term(c) for c in _categories()]
    start = (paging_.page - 1) * paging_.per_page
    return page_of(terms[start:start + paging_.per_page], len(terms), paging_)


def find_term(term: str) -> ServiceCategory | None:
    return next((c for c in _categories() if term_id(c) == term), None)


def taxonomies(paging_: Paging) -> dict[str, Any]:
    items = [taxonomy()] if paging_.page == 1 else []
    return page_of(items, 1, paging_)


# --- Services ---------------------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(day: date | datetime | None) -> str | None:
    if day is None:
        return None
    return (day.date() if isinstance(day, datetime) else day).isoformat()


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out fields we have nothing for (the schemas type them as strings, not nulls)."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _url(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


def _public_email(value: str) -> str | None:
    """The stored address as open data, or None (left out) if it is not a valid address:
    rows saved before the checks were tightened must not put bad data into other systems."""
    try:
        return contact_details.email_address(value, ascii_only=True) or None
    except DomainError:
        return None


def _public_web_address(value: str) -> str | None:
    """The stored web address, or None (left out) if it is not one; see `_public_email`."""
    try:
        return contact_details.web_address(value) or None
    except DomainError:
        return None


@dataclass
class Listed:
    """One public record, in the shape every response builds from."""

    kind: str  # service / provider / broker
    record: Any
    service_id: str
    organisation: dict[str, Any]


def _entry_organisation(entry: DirectoryEntry) -> dict[str, Any]:
    name = entry.organisation_name or entry.name
    return _drop_empty({"id": derived("organisation", entry.uuid), "name": name,
                        "description": f"{name} runs {entry.name}.", "email": _public_email(entry.email),
                        "website": _public_web_address(entry.website)})


def _listed_entry(entry: DirectoryEntry) -> Listed:
    return Listed("service", entry, entry.uuid, _entry_organisation(entry))


def _listed_provider(organisation: ProviderOrganisation) -> Listed:
    return Listed("provider", organisation, masked(organisation.uuid, "provider-service"), _drop_empty({
        "id": organisation.uuid, "name": organisation.name,
        "description": organisation.description or organisation.kind.label,
        "uri": _url("directory.provider", organisation_id=organisation.id)}))


def _listed_broker(broker: BrokerProfile) -> Listed:
    return Listed("broker", broker, masked(broker.uuid, "broker-service"), _drop_empty({
        "id": broker.uuid, "name": broker.display_name,
        "description": f"Independent associate support broker, accredited by {broker.hub.name}.",
        "uri": _url("brokers.profile", broker_id=broker.id)}))


def _from_doc_id(doc_id: str) -> Listed | None:
    kind, _, raw = doc_id.partition(":")
    if kind == "service":
        entry = db.session.get(DirectoryEntry, int(raw))
        return _listed_entry(entry) if entry and entry.status == EntryStatus.PUBLISHED else None
    if kind == "provider":
        organisation = db.session.get(ProviderOrganisation, int(raw))
        return _listed_provider(organisation) if organisation and documents.provider_doc(organisation) else None
    broker = db.session.get(BrokerProfile, int(raw))
    return _listed_broker(broker) if broker and documents.broker_doc(broker) else None


def find_service(service_id: str) -> Listed | None:
    """A public service by its id (None: not found, or no longer listed)."""
    if unmasked(service_id, "") is None:
        return None
    entry = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.uuid == service_id))
    if entry is not None:
        return _listed_entry(entry) if entry.status == EntryStatus.PUBLISHED else None
    organisation = db.session.scalar(select(ProviderOrganisation).where(
        ProviderOrganisation.uuid == unmasked(service_id, "provider-service")))
    if organisation is not None:
        return _listed_provider(organisation) if documents.provider_doc(organisation) else None
    broker = db.session.scalar(select(BrokerProfile).where(BrokerProfile.uuid == unmasked(service_id,
                                                                                           "broker-service")))
    if broker is not None:
        return _listed_broker(broker) if documents.broker_doc(broker) else None
    return None


def _summary(listed: Listed) -> dict[str, Any]:
    """The one-to-one fields of a service (service_list.json), with its organisation."""
    record = listed.record
    if listed.kind == "service":
        data = {
            "name": record.name, "description": record.description,
            "url": _public_web_address(record.website) or _url("directory.entry", entry_id=record.id),
            "email": _public_email(record.email),
            "fees": "Free" if record.is_free else record.cost, "assured_date": _day(record.last_verified_on),
            "last_modified": _iso(record.updated_at),
        }
    elif listed.kind == "provider":
        rate = ""
        if record.rate_from_pence:
            from app.core.money import format_pence

            rate = f"From {format_pence(record.rate_from_pence)} an hour"
        data = {
            "name": record.name, "description": record.description or record.kind.label,
            "url": _url("directory.provider", organisation_id=record.id), "fees": rate or None,
            "accreditations": f"Registered with the Care Quality Commission ({record.cqc_number})"
            if record.cqc_number else None,
            "assured_date": _day(record.verified_at), "last_modified": _iso(record.verified_at),
        }
    else:
        data = {
            "name": record.display_name, "description": record.profile_text,
            "url": _url("brokers.profile", broker_id=record.id),
            "fees": "Fees are set out on the broker's profile.",
            "accreditations": f"Accredited associate broker, {record.hub.name}",
            "assured_date": _day(record.approved_at),
        }
    return _drop_empty({"id": listed.service_id, "organization_id": listed.organisation["id"], "status": "active",
                        **data, "organization": listed.organisation})


def _categories_of(listed: Listed) -> list[ServiceCategory]:
    if listed.kind == "service":
        return [c.category for c in listed.record.categories]
    if listed.kind == "provider":  # only the services a hub lead has checked
        return [s.category for s in listed.record.served_services]
    brokerage = db.session.scalar(select(ServiceCategory).where(ServiceCategory.slug == "brokerage"))
    return [brokerage] if brokerage else []


def _areas_of(listed: Listed) -> list[str]:
    """A provider is published for the districts a hub lead has checked, never those waiting."""
    if listed.kind == "provider":
        return listed.record.served_district_codes
    return listed.record.district_codes


def _location(listed: Listed, *, full: bool) -> dict[str, Any] | None:
    entry = listed.record
    if listed.kind != "service" or not entry.postcode:
        return None
    location_id = masked(entry.uuid, "location")
    location: dict[str, Any] = _drop_empty({"id": location_id, "location_type": "physical", "name": entry.name,
                                            "description": entry.address.replace("\n", ", ") or None})
    if full:
        first_line = (entry.address.splitlines() or [entry.name])[0].strip() or entry.name
        location["addresses"] = [{
            "id": derived("address", entry.uuid), "location_id": location_id, "address_1": first_line,
            "city": "London", "state_province": "Greater London", "postal_code": entry.postcode, "country": "GB",
            "address_type": "physical",
        }]
        location["accessibility"] = [
            {"id": derived("accessibility", entry.uuid, key), "location_id": location_id,
             "description": ACCESSIBILITY_FEATURES[key]} for key in entry.accessibility or []
            if key in ACCESSIBILITY_FEATURES]
    return location


def _full(listed: Listed) -> dict[str, Any]:
    """Everything about a service (service.json)."""
    data = _summary(listed)
    record = listed.record
    service_id = listed.service_id
    data["attributes"] = [{
        "id": derived("attribute", service_id, category.slug), "link_id": service_id,
        "taxonomy_term_id": term_id(category), "link_type": "service", "taxonomy_term": taxonomy_term(category),
    } for category in _categories_of(listed)]
    data["service_areas"] = [{"id": derived("area", service_id, code), "service_id": service_id,
                              "name": f"Postcode district {code}", "extent": code, "extent_type": "postcode_district"}
                             for code in _areas_of(listed)]
    languages = list(record.languages or [])
    data["languages"] = [{"id": derived("language", service_id, key), "service_id": service_id,
                          "name": LANGUAGES.get(key, key), "code": LANGUAGE_CODES.get(key, "")}
                         for key in languages]
    location = _location(listed, full=True)
    if location is not None:
        data["service_at_locations"] = [{"id": masked(record.uuid, "service-at-location"), "service_id": service_id,
                                         "location_id": location["id"], "location": location}]
    if listed.kind == "service":
        if record.opening_times:
            data["schedules"] = [{"id": derived("schedule", service_id), "service_id": service_id,
                                  "description": record.opening_times}]
        data["cost_options"] = [_drop_empty({
            "id": derived("cost", service_id), "service_id": service_id,
            "option": "Free" if record.is_free else "Charge",
            "amount": 0 if record.is_free else None,
            "amount_description": "Free" if record.is_free else record.cost,
        })]
        if record.phone:
            data["contacts"] = [{"id": derived("contact", service_id), "service_id": service_id,
                                 "name": record.organisation_name or record.name,
                                 "phones": [{"id": derived("phone", service_id), "number": record.phone}]}]
        if record.eligibility:
            data["alert"] = f"Who can use it: {record.eligibility}"
    elif listed.kind == "broker":
        specialisms = [SPECIALISMS.get(s, s) for s in record.specialisms or []]
        if specialisms:
            data["description"] = f"{data.get('description', '')}\n\nSpecialisms: {', '.join(specialisms)}.".strip()
    return _drop_empty(data)


def _search(args, paging_: Paging, *, locations_only: bool = False):
    term = args.get("taxonomy_term_id", "").strip()
    filters = search.Filters()
    if term:
        category = find_term(term)
        if category is None:
            return [], 0
        filters.categories = [category.slug]
    taxonomy_filter = args.get("taxonomy_id", "").strip()
    if taxonomy_filter and taxonomy_filter != TAXONOMY_ID:
        return [], 0
    text = args.get("search", "").strip()[:200]
    if locations_only:
        filters.kinds, filters.located = ["service"], True
    results = search.search(text, filters, sort="relevance", page=paging_.page, page_size=paging_.per_page)
    if results.page != paging_.page:  # past the last page
        return [], results.total
    listed = [item for item in (_from_doc_id(hit.doc_id) for hit in results.hits) if item is not None]
    return listed, results.total


def services_page(args, paging_: Paging) -> dict[str, Any]:
    listed, total = _search(args, paging_)
    return page_of([_summary(item) for item in listed], total, paging_)


def service(service_id: str) -> dict[str, Any] | None:
    listed = find_service(service_id)
    return _full(listed) if listed else None


def _service_at_location(listed: Listed, *, full: bool) -> dict[str, Any]:
    location = _location(listed, full=full)
    return {"id": masked(listed.record.uuid, "service-at-location"), "service_id": listed.service_id,
            "location_id": location["id"], "location": location,
            "service": _full(listed) if full else _summary(listed)}


def service_at_locations_page(args, paging_: Paging) -> dict[str, Any]:
    """Community services at a physical place. (Providers and brokers come to you: they have
    service areas, not locations.)"""
    listed, total = _search(args, paging_, locations_only=True)
    return page_of([_service_at_location(item, full=False) for item in listed], total, paging_)


def service_at_location(item_id: str) -> dict[str, Any] | None:
    entry_uuid = unmasked(item_id, "service-at-location")
    entry = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.uuid == entry_uuid)) if entry_uuid else None
    if entry is None or entry.status != EntryStatus.PUBLISHED or not entry.postcode:
        return None
    return _service_at_location(_listed_entry(entry), full=True)


def version() -> dict[str, Any]:
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}
