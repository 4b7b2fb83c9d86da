"""The directory's rules: public entries, suggestions from anyone signed in, and moderation by
the hub lead for the district (or a platform admin where no hub covers it).

Community services carry a "last verified" date; after 12 months the directory says "this
information may be out of date" and the entry appears on the hub lead's list to check.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select

from app.accounts.models import User
from app.core import audit, contact_details
from app.core.districts import is_valid_district, normalise_district
from app.core.errors import DomainError, NotFound, PermissionDenied
from app.core.notifications import notify, register_kind
from app.core.permissions import IsAdmin
from app.core.reference import LANGUAGES
from app.core.timeutil import today_in_london, utcnow
from app.core.urls import path_for
from app.directory.models import (
    DirectoryEntry,
    DirectoryEntryCategory,
    DirectoryEntryDistrict,
    EntryStatus,
    Suggestion,
    SuggestionStatus,
)
from app.extensions import db
from app.hubs.models import HubDistrict
from app.providers.models import ProviderOrganisation
from app.taxonomy.models import ServiceCategory

DIRECTORY_NEWS = register_kind("directory", "Suggestions for the directory, and what happened to yours")
STALE_AFTER = timedelta(days=365)
ACCESSIBILITY_FEATURES = {
    "step_free": "Step-free access",
    "hearing_loop": "Hearing loop",
    "bsl": "British Sign Language",
    "accessible_toilet": "Accessible toilet",
    "parking": "Parking",
}
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")


def is_stale(entry: DirectoryEntry, today: date | None = None) -> bool:
    today = today or today_in_london()
    return entry.last_verified_on is None or today - entry.last_verified_on > STALE_AFTER


def public_entry(entry_id: int) -> DirectoryEntry:
    entry = db.session.get(DirectoryEntry, entry_id)
    if entry is None or entry.status != EntryStatus.PUBLISHED:
        raise NotFound()
    return entry


def public_provider(organisation_id: int) -> ProviderOrganisation:
    organisation = db.session.get(ProviderOrganisation, organisation_id)
    if organisation is None or not organisation.is_verified:
        raise NotFound()
    return organisation


# --- Entry details (shared by suggestions and edits) -------------------------------------------------


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


def _clean(details: EntryDetails) -> tuple[EntryDetails, list[str], list[ServiceCategory]]:
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


def _apply(entry: DirectoryEntry, details: EntryDetails, districts: list[str], categories: list[ServiceCategory]):
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
    return EntryDetails(
        name=entry.name, description=entry.description, category_ids=entry.category_ids,
        districts=", ".join(entry.district_codes), organisation_name=entry.organisation_name,
        address=entry.address, postcode=entry.postcode, email=entry.email, phone=entry.phone,
        website=entry.website, opening_times=entry.opening_times, is_free=entry.is_free, cost=entry.cost,
        eligibility=entry.eligibility, accessibility=list(entry.accessibility or []),
        languages=list(entry.languages or []), tags=", ".join(entry.tags or []),
    )


# --- Who moderates -------------------------------------------------------------------------------------


def lead_districts(user: User) -> set[str]:
    hub_ids = [m.hub_id for m in user.hub_lead_memberships]
    return set(db.session.scalars(select(HubDistrict.district).where(HubDistrict.hub_id.in_(hub_ids))))


def _covered_by_a_hub(districts: list[str]) -> bool:
    return db.session.scalar(select(HubDistrict.id).where(HubDistrict.district.in_(districts)).limit(1)) is not None


def can_moderate(user: User, districts: list[str]) -> bool:
    if set(districts) & lead_districts(user):
        return True
    return IsAdmin(user) and not _covered_by_a_hub(districts)


def _moderators_for(districts: list[str]) -> list[User]:
    from app.hubs.models import HubLead

    leads = list(db.session.scalars(select(User).join(HubLead, HubLead.user_id == User.id).join(
        HubDistrict, HubDistrict.hub_id == HubLead.hub_id).where(HubDistrict.district.in_(districts)).distinct()))
    if leads:
        return leads
    return list(db.session.scalars(select(User).where(User.is_platform_admin.is_(True), User.closed_at.is_(None))))


def entry_for_moderator(user: User, entry_id: int) -> DirectoryEntry:
    entry = db.session.get(DirectoryEntry, entry_id)
    if entry is None or not can_moderate(user, entry.district_codes):
        raise NotFound()
    return entry


# --- Suggestions -------------------------------------------------------------------------------------------


def correction_target(kind: str, target_id: int):
    from app.brokers import listing

    if kind == "service":
        return public_entry(target_id)
    if kind == "provider":
        return public_provider(target_id)
    if kind == "broker":
        return listing.accredited_broker(target_id)
    raise NotFound()


def _check_rate(user: User) -> None:
    """Suggestions notify hub leads: a limit a day per person keeps that useful."""
    from flask import current_app

    from app.core import ratelimit

    limit = current_app.config.get("DIRECTORY_SUGGESTIONS_LIMIT", "30 per day")
    if ratelimit.is_limited(limit, "directory-suggestions", str(user.id)):
        raise DomainError("You have sent a lot of suggestions today. Thank you! Please send more tomorrow.")
    ratelimit.hit(limit, "directory-suggestions", str(user.id))


def suggest_new(user: User, details: EntryDetails, note: str = "") -> Suggestion:
    details, districts, categories = _clean(details)
    _check_rate(user)
    data = asdict(details)
    data["category_ids"] = [c.id for c in categories]
    data["districts"] = ", ".join(districts)
    suggestion = Suggestion(district=districts[0], proposed=data, note=note.strip(), suggested_by_id=user.id)
    db.session.add(suggestion)
    db.session.flush()
    audit.record("directory.suggested", actor=user, obj=suggestion, new=True)
    for moderator in _moderators_for(districts):
        notify(moderator, DIRECTORY_NEWS.key, f"New directory suggestion: {details.name}",
               f"From {user.name}, in {districts[0]}.", path_for("directory.review_suggestion",
                                                                 suggestion_id=suggestion.id))
    db.session.commit()
    return suggestion


def suggest_correction(user: User, kind: str, target_id: int, note: str) -> Suggestion:
    target = correction_target(kind, target_id)
    if not note.strip():
        raise DomainError("Say what is wrong or missing", field="note")
    _check_rate(user)
    districts = target.district_codes or ["UNKNOWN"]
    suggestion = Suggestion(target_kind=kind, target_id=target_id, district=districts[0], note=note.strip(),
                            suggested_by_id=user.id)
    db.session.add(suggestion)
    db.session.flush()
    audit.record("directory.suggested", actor=user, obj=suggestion, target=f"{kind}:{target_id}")
    name = getattr(target, "display_name", None) or target.name
    for moderator in _moderators_for(districts):
        notify(moderator, DIRECTORY_NEWS.key, f"Correction suggested for {name}", note.strip()[:200],
               path_for("directory.review_suggestion", suggestion_id=suggestion.id))
    db.session.commit()
    return suggestion


def suggestion_for_moderator(user: User, suggestion_id: int) -> Suggestion:
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None or not can_moderate(user, [suggestion.district]):
        raise NotFound()
    return suggestion


def suggestions_for(user: User, *, pending_only: bool = True) -> list[Suggestion]:
    districts = lead_districts(user)
    query = select(Suggestion).order_by(Suggestion.created_at.desc())
    if pending_only:
        query = query.where(Suggestion.status == SuggestionStatus.PENDING)
    rows = list(db.session.scalars(query))
    return [s for s in rows if s.district in districts or (IsAdmin(user) and not _covered_by_a_hub([s.district]))]


def target_name(suggestion: Suggestion) -> str:
    if suggestion.is_new_service:
        return suggestion.proposed.get("name", "")
    try:
        target = correction_target(suggestion.target_kind, suggestion.target_id)
    except NotFound:
        return "An entry no longer listed"
    return getattr(target, "display_name", None) or target.name


def _tell_suggester(suggestion: Suggestion, title: str, body: str) -> None:
    notify(suggestion.suggested_by, DIRECTORY_NEWS.key, title, body)


def approve_new(user: User, suggestion_id: int, details: EntryDetails, note: str = "") -> DirectoryEntry:
    """Publish a suggested community service (the hub lead may have edited the details)."""
    suggestion = suggestion_for_moderator(user, suggestion_id)
    _pending(suggestion)
    if not suggestion.is_new_service:
        raise DomainError("This is a correction, not a new service")
    details, districts, categories = _clean(details)
    entry = DirectoryEntry(last_verified_on=today_in_london(), verified_by_id=user.id)
    _apply(entry, details, districts, categories)
    db.session.add(entry)
    db.session.flush()
    _decide(suggestion, user, SuggestionStatus.APPROVED, note, entry)
    audit.record("directory.entry_created", actor=user, obj=entry, from_suggestion=suggestion.id)
    _tell_suggester(suggestion, f"{entry.name} is now in the directory", "Thank you for your suggestion.")
    db.session.commit()
    return entry


def merge_new(user: User, suggestion_id: int, entry_id: int, note: str = "") -> DirectoryEntry:
    """The suggested service is already listed: link the suggestion to that entry."""
    suggestion = suggestion_for_moderator(user, suggestion_id)
    _pending(suggestion)
    entry = entry_for_moderator(user, entry_id)
    _decide(suggestion, user, SuggestionStatus.MERGED, note, entry)
    _tell_suggester(suggestion, f"{suggestion.proposed.get('name', 'Your suggestion')} is already in the directory",
                    f"It is listed as {entry.name}. {note.strip()}".strip())
    db.session.commit()
    return entry


def resolve_correction(user: User, suggestion_id: int, note: str = "") -> Suggestion:
    """A correction has been dealt with: an entry edited by the hub lead, or passed on to the
    provider or broker, who keep their own profiles."""
    suggestion = suggestion_for_moderator(user, suggestion_id)
    _pending(suggestion)
    if suggestion.is_new_service:
        raise DomainError("This is a new service, not a correction")
    if suggestion.target_kind in ("provider", "broker"):
        _pass_on(suggestion)
    entry = db.session.get(DirectoryEntry, suggestion.target_id) if suggestion.target_kind == "service" else None
    _decide(suggestion, user, SuggestionStatus.APPROVED, note, entry)
    _tell_suggester(suggestion, f"Thank you: your correction to {target_name(suggestion)} has been dealt with",
                    note.strip())
    db.session.commit()
    return suggestion


def _pass_on(suggestion: Suggestion) -> None:
    from app.brokers.models import BrokerProfile

    if suggestion.target_kind == "provider":
        organisation = db.session.get(ProviderOrganisation, suggestion.target_id)
        people = [s.user for s in organisation.staff] if organisation else []
        link = path_for("providers.profile", organisation_id=suggestion.target_id)
    else:
        broker = db.session.get(BrokerProfile, suggestion.target_id)
        people = [broker.user] if broker else []
        link = path_for("brokers.apply_profile")
    for person in people:
        notify(person, DIRECTORY_NEWS.key, "Someone suggested a correction to your directory listing",
               suggestion.note, link)


def reject(user: User, suggestion_id: int, note: str) -> Suggestion:
    suggestion = suggestion_for_moderator(user, suggestion_id)
    _pending(suggestion)
    if not note.strip():
        raise DomainError("Give the reason, which the person who suggested it will see", field="note")
    _decide(suggestion, user, SuggestionStatus.REJECTED, note, None)
    _tell_suggester(suggestion, "Your directory suggestion was not accepted", note.strip())
    db.session.commit()
    return suggestion


def _pending(suggestion: Suggestion) -> None:
    if suggestion.status != SuggestionStatus.PENDING:
        raise DomainError("This suggestion has already been decided")


def _decide(suggestion: Suggestion, user: User, status: SuggestionStatus, note: str, entry) -> None:
    suggestion.status = status
    suggestion.decided_by_id = user.id
    suggestion.decided_at = utcnow()
    suggestion.decision_note = note.strip()
    suggestion.entry_id = entry.id if entry is not None else None
    audit.record("directory.suggestion_decided", actor=user, obj=suggestion, decision=status.value)


# --- Keeping entries current ---------------------------------------------------------------------------------


def create_entry(user: User, details: EntryDetails) -> DirectoryEntry:
    details, districts, categories = _clean(details)
    if not can_moderate(user, districts):
        raise DomainError("You can only add services in your hub's districts", field="districts")
    entry = DirectoryEntry(last_verified_on=today_in_london(), verified_by_id=user.id)
    _apply(entry, details, districts, categories)
    db.session.add(entry)
    db.session.flush()
    audit.record("directory.entry_created", actor=user, obj=entry)
    db.session.commit()
    return entry


def update_entry(user: User, entry_id: int, details: EntryDetails) -> DirectoryEntry:
    entry = entry_for_moderator(user, entry_id)
    details, districts, categories = _clean(details)
    _apply(entry, details, districts, categories)
    entry.last_verified_on, entry.verified_by_id = today_in_london(), user.id
    audit.record("directory.entry_updated", actor=user, obj=entry)
    db.session.commit()
    return entry


def verify_entry(user: User, entry_id: int) -> DirectoryEntry:
    """Checked and still right: the "last verified" date becomes today."""
    entry = entry_for_moderator(user, entry_id)
    entry.last_verified_on, entry.verified_by_id = today_in_london(), user.id
    entry.updated_at = utcnow()
    audit.record("directory.entry_verified", actor=user, obj=entry)
    db.session.commit()
    return entry


def set_hidden(user: User, entry_id: int, hidden: bool) -> DirectoryEntry:
    entry = entry_for_moderator(user, entry_id)
    if entry.status == EntryStatus.MERGED:
        raise DomainError("A merged entry cannot be shown again")
    entry.status = EntryStatus.HIDDEN if hidden else EntryStatus.PUBLISHED
    entry.updated_at = utcnow()
    audit.record("directory.entry_hidden" if hidden else "directory.entry_shown", actor=user, obj=entry)
    db.session.commit()
    return entry


def merge_entries(user: User, duplicate_id: int, keep_id: int) -> DirectoryEntry:
    duplicate = entry_for_moderator(user, duplicate_id)
    keep = entry_for_moderator(user, keep_id)
    if duplicate.id == keep.id:
        raise DomainError("Choose a different entry to keep", field="keep_id")
    duplicate.status = EntryStatus.MERGED
    duplicate.merged_into_id = keep.id
    duplicate.updated_at = utcnow()
    audit.record("directory.entries_merged", actor=user, obj=duplicate, kept=keep.id)
    db.session.commit()
    return keep


def delete_entry(user: User, entry_id: int) -> None:
    entry = entry_for_moderator(user, entry_id)
    for suggestion in db.session.scalars(select(Suggestion).where(Suggestion.entry_id == entry.id)):
        suggestion.entry_id = None
    for merged in db.session.scalars(select(DirectoryEntry).where(DirectoryEntry.merged_into_id == entry.id)):
        merged.merged_into_id = None
    audit.record("directory.entry_deleted", actor=user, object_type="DirectoryEntry", object_id=entry.id,
                 name=entry.name)
    db.session.delete(entry)
    db.session.commit()


def entries_for(user: User, *, stale_only: bool = False) -> list[DirectoryEntry]:
    """Entries the user moderates (the longest unchecked first): in their hubs' districts, and
    for platform admins, entries no hub covers."""
    districts = lead_districts(user)
    conditions = []
    if districts:
        conditions.append(DirectoryEntry.districts.any(DirectoryEntryDistrict.district.in_(districts)))
    if IsAdmin(user):
        conditions.append(~DirectoryEntry.districts.any(DirectoryEntryDistrict.district.in_(
            select(HubDistrict.district))))
    if not conditions:
        raise PermissionDenied()
    query = select(DirectoryEntry).where(DirectoryEntry.status != EntryStatus.MERGED, or_(*conditions))
    if stale_only:
        cutoff = today_in_london() - STALE_AFTER
        query = query.where(or_(DirectoryEntry.last_verified_on.is_(None), DirectoryEntry.last_verified_on < cutoff))
    return list(db.session.scalars(query.order_by(DirectoryEntry.last_verified_on.is_not(None),
                                                  DirectoryEntry.last_verified_on, DirectoryEntry.name)))
