"""The directory as Open Referral UK (HSDS 3.0 UK profile) data: the front door the API's views
use.

Only what the public directory already shows is published: community services, verified
providers and accredited brokers. Nothing about budget holders, and no personal contact
details (a broker's listing links to their public profile instead of giving an email).

The work is in modules of one job each: `ids` (stable UUIDs), `paging`, `taxonomy`, `listed`
(finding the public records) and `records` (their JSON).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.directory.models import DirectoryEntry
from app.extensions import db
from app.openreferral.ids import NAMESPACE, derived, masked, unmasked
from app.openreferral.listed import Listed, find_service, from_doc_id, listed_entry
from app.openreferral.paging import DEFAULT_PER_PAGE, MAX_PER_PAGE, BadRequest, Paging, page_of, paging
from app.openreferral.records import LANGUAGE_CODES, full_record, location_of, summary_of
from app.openreferral.taxonomy import (
    TAXONOMY_ID,
    TAXONOMY_NAME,
    find_term,
    taxonomies,
    taxonomy,
    taxonomy_term,
    taxonomy_terms,
    term_id,
)
from app.search import services as search

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferraluk.org/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"

__all__ = [
    "DEFAULT_PER_PAGE", "HSDS_VERSION", "LANGUAGE_CODES", "MAX_PER_PAGE", "NAMESPACE", "OPENAPI_URL", "PROFILE_URL",
    "TAXONOMY_ID", "TAXONOMY_NAME", "BadRequest", "Listed", "Paging", "derived", "find_service", "find_term",
    "listed_entry", "masked", "page_of", "paging", "service", "service_at_location", "service_at_locations_page",
    "services_page", "taxonomies", "taxonomy", "taxonomy_term", "taxonomy_terms", "term_id", "unmasked", "version",
]


def _search(args, paging_: Paging, *, locations_only: bool = False) -> tuple[list[Listed], int]:
    """The public records matching the API's filters, through the directory's search."""
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
    listed = [item for item in (from_doc_id(hit.doc_id) for hit in results.hits) if item is not None]
    return listed, results.total


def services_page(args, paging_: Paging) -> dict[str, Any]:
    listed, total = _search(args, paging_)
    return page_of([summary_of(item) for item in listed], total, paging_)


def service(service_id: str) -> dict[str, Any] | None:
    listed = find_service(service_id)
    return full_record(listed) if listed else None


def _service_at_location(listed: Listed, *, full: bool) -> dict[str, Any]:
    location = location_of(listed, full=full)
    return {"id": masked(listed.record.uuid, "service-at-location"), "service_id": listed.service_id,
            "location_id": location["id"], "location": location,
            "service": full_record(listed) if full else summary_of(listed)}


def service_at_locations_page(args, paging_: Paging) -> dict[str, Any]:
    """Community services at a physical place. (Providers and brokers come to you: they have
    service areas, not locations.)"""
    listed, total = _search(args, paging_, locations_only=True)
    return page_of([_service_at_location(item, full=False) for item in listed], total, paging_)


def service_at_location(item_id: str) -> dict[str, Any] | None:
    entry_uuid = unmasked(item_id, "service-at-location")
    entry = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.uuid == entry_uuid)) if entry_uuid else None
    if entry is None or not entry.is_published or not entry.postcode:
        return None
    return _service_at_location(listed_entry(entry), full=True)


def version() -> dict[str, Any]:
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}
