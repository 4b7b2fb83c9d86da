"""A community service's details, as suggested or edited: checked and tidied in one place, then
written onto an entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import select

from app.core import contact_details
from app.core.districts import is_valid_district, normalise_district
from app.core.errors import DomainError
from app.core.reference import ACCESSIBILITY_FEATURES, LANGUAGES
from app.core.timeutil import utcnow
from app.directory.models import DirectoryEntry, DirectoryEntryCategory, DirectoryEntryDistrict
from app.extensions import db
from app.taxonomy.models import ServiceCategory

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")


@dataclass
class EntryDetails:
    name: str
    description: str
    category_ids: list[int]
    districts: str = ""
    organisation_name: str = ""
    address: str = ""
    postcode: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    opening_times: str = ""
    is_free: bool = True
    cost: str = ""
    eligibility: str = ""
    accessibility: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    tags: str = ""

    @classmethod
    def from_proposed(cls, proposed: dict[str, Any]) -> EntryDetails:
        """The details a suggestion proposed (as stored with it)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in proposed.items() if k in names})


NO_CONTACT = ("This entry has no way to contact it: no phone, email, website or address. Add one if you can, "
              "or tick the box to confirm you want to publish it like this")


def has_contact(item: Any) -> bool:
    """A phone, an email, a website or an address (an entry's, or details as typed)."""
    return any((getattr(item, name, "") or "").strip() for name in ("phone", "email", "website", "address", "postcode"))


def check_contact(item: Any, confirmed: bool) -> None:
    """Publishing something nobody can contact needs the moderator to say so, knowingly."""
    if not confirmed and not has_contact(item):
        raise DomainError(NO_CONTACT, field="confirm_no_contact")


def clean(details: EntryDetails) -> tuple[EntryDetails, list[str], list[ServiceCategory]]:
    """Check the details; returns them tidied, with the districts and categories."""
    if not details.name.strip():
        raise DomainError("Enter the name of the service", field="name")
    if not details.description.strip():
        raise DomainError("Describe what the service does", field="description")
    categories = list(db.session.scalars(select(ServiceCategory).where(
        ServiceCategory.id.in_(details.category_ids or []), ServiceCategory.active.is_(True))))
    if not categories:
        raise DomainError("Choose at least one kind of service", field="category_ids")
    districts = [normalise_district(d) for d in re.split(r"[,;\s]+", details.districts or "") if d.strip()]
    bad = [d for d in districts if not is_valid_district(d)]
    if bad:
        raise DomainError(f"{', '.join(bad)}: enter postcode districts like W9 or NW8", field="districts")
    postcode = re.sub(r"\s+", " ", (details.postcode or "").strip().upper())
    if postcode:
        match = POSTCODE.match(postcode)
        if not match:
            raise DomainError("Enter a full postcode, like W9 2EG", field="postcode")
        postcode = f"{match.group(1)} {match.group(2)}"
        districts.append(match.group(1))  # an address puts the service in its district
    if not districts:
        raise DomainError("Enter the districts it serves, or its postcode", field="districts")
    if not details.is_free and not details.cost.strip():
        raise DomainError("Say what it costs", field="cost")
    if set(details.accessibility) - ACCESSIBILITY_FEATURES.keys() or set(details.languages) - LANGUAGES.keys():
        raise DomainError("Choose from the options shown", field="accessibility")
    details.email = contact_details.email_address(details.email, field="email")
    details.phone = contact_details.phone_number(details.phone, field="phone")
    details.website = contact_details.web_address(details.website, field="website")
    details.postcode = postcode
    return details, sorted(set(districts)), categories


def apply_to(entry: DirectoryEntry, details: EntryDetails, districts: list[str],
             categories: list[ServiceCategory]) -> None:
    """Write checked details (see `clean`) onto the entry."""
    entry.name, entry.description = details.name.strip(), details.description.strip()
    entry.organisation_name = details.organisation_name.strip()
    entry.address, entry.postcode = details.address.strip(), details.postcode
    entry.email, entry.phone, entry.website = details.email, details.phone, details.website
    entry.opening_times, entry.eligibility = details.opening_times.strip(), details.eligibility.strip()
    entry.is_free, entry.cost = details.is_free, "" if details.is_free else details.cost.strip()
    entry.accessibility = [k for k in ACCESSIBILITY_FEATURES if k in details.accessibility]
    entry.languages = [k for k in LANGUAGES if k in details.languages]
    entry.tags = [t.strip() for t in (details.tags or "").split(",") if t.strip()]
    current = {c.category_id: c for c in entry.categories}
    entry.categories = [current.get(c.id) or DirectoryEntryCategory(category_id=c.id) for c in categories]
    existing = {d.district: d for d in entry.districts}
    entry.districts = [existing.get(code) or DirectoryEntryDistrict(district=code) for code in districts]
    entry.updated_at = utcnow()


def details_of(entry: DirectoryEntry) -> EntryDetails:
    """An entry's details, to fill the form that edits it."""
    return EntryDetails(
        name=entry.name, description=entry.description, category_ids=entry.category_ids,
        districts=", ".join(entry.district_codes), organisation_name=entry.organisation_name,
        address=entry.address, postcode=entry.postcode, email=entry.email, phone=entry.phone,
        website=entry.website, opening_times=entry.opening_times, is_free=entry.is_free, cost=entry.cost,
        eligibility=entry.eligibility, accessibility=list(entry.accessibility or []),
        languages=list(entry.languages or []), tags=", ".join(entry.tags or []),
    )
