"""A public record as Open Referral UK (HSDS 3.0) JSON: its one-to-one fields (service_list.json)
and everything about it (service.json)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.money import format_pence
from app.core.reference import ACCESSIBILITY_FEATURES, LANGUAGES, SPECIALISMS
from app.extensions import db
from app.openreferral.ids import derived, masked
from app.openreferral.listed import Listed
from app.openreferral.taxonomy import taxonomy_term, term_id
from app.openreferral.values import day, drop_empty, external_url, iso, public_email, public_web_address
from app.taxonomy.models import ServiceCategory

# ISO 639 codes for the languages people can choose (for the `code` HSDS 3.0 gives languages).
LANGUAGE_CODES = {
    "bsl": "bfi", "english": "en", "arabic": "ar", "bengali": "bn", "cantonese": "yue", "farsi": "fa",
    "french": "fr", "gujarati": "gu", "hindi": "hi", "italian": "it", "kurdish": "ku", "lithuanian": "lt",
    "mandarin": "cmn", "polish": "pl", "portuguese": "pt", "punjabi": "pa", "romanian": "ro", "somali": "so",
    "spanish": "es", "tamil": "ta", "tigrinya": "ti", "turkish": "tr", "twi": "tw", "urdu": "ur", "yoruba": "yo",
}


def summary_of(listed: Listed) -> dict[str, Any]:
    """The one-to-one fields of a service (service_list.json), with its organisation."""
    record = listed.record
    if listed.kind == "service":
        data = {
            "name": record.name, "description": record.description,
            "url": public_web_address(record.website) or external_url("directory.entry", entry_id=record.id),
            "email": public_email(record.email),
            "fees": "Free" if record.is_free else record.cost, "assured_date": day(record.last_verified_on),
            "last_modified": iso(record.updated_at),
        }
    elif listed.kind == "provider":
        rate = ""
        if record.rate_from_pence:
            rate = f"From {format_pence(record.rate_from_pence)} an hour"
        data = {
            "name": record.name, "description": record.description or record.kind.label,
            "url": external_url("directory.provider", organisation_id=record.id), "fees": rate or None,
            "accreditations": f"Registered with the Care Quality Commission ({record.cqc_number})"
            if record.cqc_number else None,
            "assured_date": day(record.verified_at), "last_modified": iso(record.verified_at),
        }
    else:
        data = {
            "name": record.display_name, "description": record.profile_text,
            "url": external_url("brokers.profile", broker_id=record.id),
            "fees": "Fees are set out on the broker's profile.",
            "accreditations": f"Accredited associate broker, {record.hub.name}",
            "assured_date": day(record.approved_at),
        }
    return drop_empty({"id": listed.service_id, "organization_id": listed.organisation["id"], "status": "active",
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


def location_of(listed: Listed, *, full: bool) -> dict[str, Any] | None:
    entry = listed.record
    if listed.kind != "service" or not entry.postcode:
        return None
    location_id = masked(entry.uuid, "location")
    location: dict[str, Any] = drop_empty({"id": location_id, "location_type": "physical", "name": entry.name,
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


def full_record(listed: Listed) -> dict[str, Any]:
    """Everything about a service (service.json)."""
    data = summary_of(listed)
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
    location = location_of(listed, full=True)
    if location is not None:
        data["service_at_locations"] = [{"id": masked(record.uuid, "service-at-location"), "service_id": service_id,
                                         "location_id": location["id"], "location": location}]
    if listed.kind == "service":
        if record.opening_times:
            data["schedules"] = [{"id": derived("schedule", service_id), "service_id": service_id,
                                  "description": record.opening_times}]
        data["cost_options"] = [drop_empty({
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
    return drop_empty(data)
