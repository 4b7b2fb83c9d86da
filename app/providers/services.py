"""Provider organisations, and the front door other features use: profile, spare capacity,
staff, and verification by a hub lead.

Staff see and change only their own organisations (anyone else's answers 404). The person who
registered the organisation (an owner) adds and removes staff. The rules are in `policies.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.codes import compact
from app.core.districts import is_valid_district, normalise_district
from app.core.errors import DomainError, NotFound, PermissionDenied
from app.core.notifications import notify, register_kind
from app.core.permissions import ensure
from app.core.reference import DAYS, LANGUAGES, PARTS_OF_DAY, SKILLS, WORKER_GENDERS
from app.core.roles import Role
from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.extensions import db
from app.hubs.models import HubDistrict, HubLead
from app.invitations import services as invitations
from app.providers.models import (
    CapacitySlot,
    ProviderDistrict,
    ProviderKind,
    ProviderOrganisation,
    ProviderService,
    ProviderStaff,
)
from app.providers.policies import (
    can_remove_staff,
    can_verify,
    led_districts,
    manages_staff,
    membership_of,
    works_for,
)
from app.taxonomy.models import ServiceCategory

__all__ = [
    "CAPACITY_STALE_AFTER", "PROVIDER_NEWS", "Profile", "all_providers", "can_remove_staff", "capacity_is_stale",
    "decline_changes", "led_districts", "invite_staff", "is_valid_cqc", "manages_staff", "membership",
    "normalise_cqc", "organisation_for", "provider_for_lead", "providers_for_lead", "remind_stale_capacity",
    "remove_staff", "save_capacity", "set_verified", "update_profile", "waiting_for_lead", "works_for",
]

PROVIDER_NEWS = register_kind("provider_news", "Your organisation: verification, staff and spare capacity reminders",
                              roles={Role.PROVIDER_STAFF})
CQC_NUMBER = re.compile(r"^1-\d{9,11}$")
CAPACITY_STALE_AFTER = timedelta(days=14)


def normalise_cqc(value: str) -> str:
    return compact(value).replace("I-", "1-")


def is_valid_cqc(value: str) -> bool:
    """A CQC provider or location ID, such as 1-101234567."""
    return bool(CQC_NUMBER.match(normalise_cqc(value)))


def membership(user: User, organisation_id: int) -> ProviderStaff:
    """The user's place on one of their own organisations' staff (404 for anyone else's)."""
    ensure(works_for, user, db.session.get(ProviderOrganisation, organisation_id))
    return membership_of(user, organisation_id)


def organisation_for(user: User, organisation_id: int) -> ProviderOrganisation:
    """One of the user's own organisations (404 for anyone else's)."""
    return membership(user, organisation_id).organisation


def capacity_is_stale(organisation: ProviderOrganisation) -> bool:
    updated = organisation.capacity_updated_at
    return updated is None or utcnow() - updated > CAPACITY_STALE_AFTER


@dataclass
class Profile:
    name: str
    kind: str
    description: str
    regulated_personal_care: bool
    cqc_number: str
    category_ids: list[int]
    districts: str
    languages: list[str]
    skills: list[str]
    worker_genders: list[str]
    double_up: bool
    drivers: bool
    rate_from_pence: int | None
    rate_to_pence: int | None


def update_profile(user: User, organisation_id: int, profile: Profile) -> ProviderOrganisation:
    organisation = organisation_for(user, organisation_id)
    cqc = normalise_cqc(profile.cqc_number)
    if profile.regulated_personal_care and not cqc:
        raise DomainError("Enter your CQC registration number: you deliver regulated personal care", field="cqc_number")
    if cqc and not is_valid_cqc(cqc):
        raise DomainError("Enter a CQC number in the correct format, like 1-101234567", field="cqc_number")
    districts = [normalise_district(d) for d in re.split(r"[,;\s]+", profile.districts or "") if d.strip()]
    bad = [d for d in districts if not is_valid_district(d)]
    if bad:
        raise DomainError(f"{', '.join(bad)}: enter postcode districts like W9 or NW8, separated by commas",
                          field="districts")
    if not districts:
        raise DomainError("Enter at least one postcode district you serve", field="districts")
    categories = list(db.session.scalars(select(ServiceCategory).where(ServiceCategory.id.in_(profile.category_ids))))
    if not categories:
        raise DomainError("Choose at least one service you offer", field="category_ids")
    if profile.rate_from_pence and profile.rate_to_pence and profile.rate_to_pence < profile.rate_from_pence:
        raise DomainError("The highest rate must not be less than the lowest", field="rate_to")
    for values, table, field in ((profile.languages, LANGUAGES, "languages"), (profile.skills, SKILLS, "skills"),
                                 (profile.worker_genders, WORKER_GENDERS, "worker_genders")):
        if set(values) - table.keys():
            raise DomainError("Choose from the options shown", field=field)
    regulated = [c for c in categories if c.regulated]
    if regulated and not cqc:
        raise DomainError(f"Enter your CQC registration number: {regulated[0].name.lower()} is regulated by the CQC",
                          field="cqc_number")
    cqc_changed = (organisation.cqc_number or None) != (cqc or None)
    organisation.name = profile.name.strip()
    organisation.kind = ProviderKind(profile.kind)
    organisation.description = profile.description.strip()
    organisation.regulated_personal_care = profile.regulated_personal_care
    organisation.cqc_number = cqc or None
    organisation.languages = [k for k in LANGUAGES if k in profile.languages]
    organisation.skills = [k for k in SKILLS if k in profile.skills]
    organisation.worker_genders = [k for k in WORKER_GENDERS if k in profile.worker_genders]
    organisation.double_up, organisation.drivers = profile.double_up, profile.drivers
    organisation.rate_from_pence, organisation.rate_to_pence = profile.rate_from_pence, profile.rate_to_pence
    # New services and districts wait for a hub lead's check before needs reach the provider; so do
    # the regulated services when the CQC registration they were checked against changes.
    existing = {s.category_id: s for s in organisation.services}
    organisation.services = [existing.get(c.id) or ProviderService(category_id=c.id) for c in categories]
    if cqc_changed:
        for service in organisation.services:
            if service.category_id in {c.id for c in regulated}:
                service.verified_at = service.verified_by_id = None
    current = {d.district: d for d in organisation.districts}
    organisation.districts = [current.get(code) or ProviderDistrict(district=code) for code in sorted(set(districts))]
    db.session.flush()
    audit.record("provider.profile_changed", actor=user, obj=organisation,
                 waiting_for_check=bool(organisation.pending_districts or organisation.pending_services))
    if organisation.has_pending_changes:
        _ask_leads_to_check(organisation)
    return organisation


def _leads_for(organisation: ProviderOrganisation, districts: list[str]) -> list[User]:
    hub_ids = set(db.session.scalars(select(HubDistrict.hub_id).where(HubDistrict.district.in_(districts))))
    return list(db.session.scalars(select(User).join(HubLead, HubLead.user_id == User.id)
                                   .where(HubLead.hub_id.in_(hub_ids)).distinct()))


def _ask_leads_to_check(organisation: ProviderOrganisation) -> None:
    """A verified provider changed what was checked: the hub leads concerned are asked to check it."""
    districts = organisation.pending_districts or organisation.district_codes
    for lead in _leads_for(organisation, districts):
        notify(lead, PROVIDER_NEWS.key, f"{organisation.name} changed what they offer: please check it",
               "Until you check the new services or districts, needs there do not reach them.",
               path_for("providers.hub_verify", organisation_id=organisation.id))


def save_capacity(user: User, organisation_id: int, available: set[tuple[int, str]]) -> ProviderOrganisation:
    """Save the weekly spare-capacity grid; 'last updated' is now."""
    organisation = organisation_for(user, organisation_id)
    if any(day not in DAYS or part not in PARTS_OF_DAY for day, part in available):
        raise DomainError("Choose from the grid")
    slots = {(s.day, s.part): s for s in organisation.capacity}
    for day in DAYS:
        for part in PARTS_OF_DAY:
            slot = slots.get((day, part))
            if slot is None:
                slot = CapacitySlot(day=day, part=part)
                organisation.capacity.append(slot)
            slot.available = (day, part) in available
    organisation.capacity_updated_at = utcnow()
    organisation.capacity_reminder_sent_at = None
    audit.record("provider.capacity_updated", actor=user, obj=organisation, slots=len(available))
    return organisation


def remind_stale_capacity() -> int:
    """Remind providers whose spare capacity has not been updated for 14 days (once each time)."""
    cutoff = utcnow() - CAPACITY_STALE_AFTER
    count = 0
    for organisation in db.session.scalars(select(ProviderOrganisation)):
        stale = organisation.capacity_updated_at is None or organisation.capacity_updated_at < cutoff
        if not stale or organisation.capacity_reminder_sent_at is not None:
            continue
        organisation.capacity_reminder_sent_at = utcnow()
        for staff in organisation.staff:
            notify(staff.user, PROVIDER_NEWS.key, "Please update your spare capacity",
                   "Brokers and providers rely on it to match work quickly. It shows as out of date after 14 days.",
                   path_for("providers.capacity", organisation_id=organisation.id))
        count += 1
    return count


# --- Staff ---------------------------------------------------------------------------------------


def invite_staff(user: User, organisation_id: int, *, name: str, email: str):
    """The organisation's manager invites someone to join its staff."""
    if not manages_staff(user, organisation_for(user, organisation_id)):
        raise PermissionDenied("Only the person who manages the organisation's account can add staff.")
    return invitations.invite(user, invitations.NewInvitation(
        email=email, name=name, role=Role.PROVIDER_STAFF, provider_organisation_id=organisation_id))


def _staff_member(organisation: ProviderOrganisation, staff_id: int) -> ProviderStaff:
    """Someone on this organisation's staff (404 for anyone else)."""
    staff = db.session.get(ProviderStaff, staff_id)
    if staff is None or staff.organisation_id != organisation.id:
        raise NotFound()
    return staff


def remove_staff(user: User, organisation_id: int, staff_id: int) -> None:
    """The organisation's manager removes someone from its staff (never themselves)."""
    organisation = organisation_for(user, organisation_id)
    if not manages_staff(user, organisation):
        raise PermissionDenied("Only the person who manages the organisation's account can remove staff.")
    staff = _staff_member(organisation, staff_id)
    if not can_remove_staff(user, staff):
        raise DomainError("You cannot remove yourself. Ask another manager, or close your account.")
    db.session.delete(staff)
    audit.record("provider.staff_removed", actor=user, obj=organisation, user_id=staff.user_id)
    notify(staff.user, PROVIDER_NEWS.key, f"You no longer have access to {organisation.name}")


# --- Verification by a hub lead ---------------------------------------------------------------------


def providers_for_lead(user: User) -> list[ProviderOrganisation]:
    """Providers serving at least one district of the lead's hubs."""
    districts = led_districts(user)
    return list(db.session.scalars(
        select(ProviderOrganisation).where(ProviderOrganisation.districts.any(ProviderDistrict.district.in_(districts)))
        .order_by(ProviderOrganisation.verified_at.is_not(None), ProviderOrganisation.name)
    ))


def waiting_for_lead(user: User, organisations: list[ProviderOrganisation]) -> set[int]:
    """The verified providers with changes this lead can check: a new service, or a new district
    in the lead's own hubs (a district elsewhere waits for that hub's lead)."""
    own = led_districts(user)
    return {o.id for o in organisations
            if o.is_verified and (o.pending_services or set(o.pending_districts) & own)}


def provider_for_lead(user: User, organisation_id: int) -> ProviderOrganisation:
    """A provider this hub lead may verify (404 for any other)."""
    organisation = db.session.get(ProviderOrganisation, organisation_id)
    ensure(can_verify, user, organisation)
    return organisation


def set_verified(user: User, organisation_id: int, *, verified: bool, note: str) -> ProviderOrganisation:
    """A hub lead verifies the organisation and what waits for a check: its services, and the
    districts of the lead's own hubs (districts elsewhere wait for their own hub's lead)."""
    organisation = provider_for_lead(user, organisation_id)
    now = utcnow()
    rechecked = verified and organisation.is_verified
    if verified:
        regulated = [s for s in organisation.services if s.category.regulated]
        if (organisation.regulated_personal_care or regulated) and not organisation.cqc_number:
            raise DomainError("This provider delivers regulated personal care but has not given a CQC number")
        if organisation.verified_at is None:
            organisation.verified_at = now
            organisation.verified_by_id = user.id
        for service in organisation.services:
            if service.verified_at is None:
                service.verified_at, service.verified_by_id = now, user.id
        own = led_districts(user)
        for district in organisation.districts:
            if district.verified_at is None and district.district in own:
                district.verified_at, district.verified_by_id = now, user.id
    else:
        organisation.verified_at = None
        organisation.verified_by_id = None
    organisation.verification_note = note.strip()
    audit.record("provider.verification_changed", actor=user, obj=organisation, verified=verified,
                 districts=organisation.served_district_codes)
    if rechecked:
        title = f"Your hub lead has checked the changes to {organisation.name}"
    else:
        title = f"{organisation.name} is {'now verified' if verified else 'no longer verified'}"
    for staff in organisation.staff:
        notify(staff.user, PROVIDER_NEWS.key, title,
               note.strip() or ("You will now see needs in the districts and services checked." if verified else ""))
    return organisation


def decline_changes(user: User, organisation_id: int, note: str) -> ProviderOrganisation:
    """A hub lead keeps a verified provider verified but does not accept what waits for their
    check (new services, new districts in the lead's hubs): those are taken off the profile, and
    the provider is told why."""
    organisation = provider_for_lead(user, organisation_id)
    if not organisation.is_verified:
        raise DomainError("This provider is not verified yet: verify it or leave it not verified", field="decision")
    if not note.strip():
        raise DomainError("Say why, so the provider knows what to change", field="note")
    own = led_districts(user)
    services_declined = [s for s in organisation.services if s.verified_at is None]
    districts_declined = [d for d in organisation.districts if d.verified_at is None and d.district in own]
    if not services_declined and not districts_declined:
        raise DomainError("Nothing is waiting for your check", field="decision")
    names = [s.category.name for s in services_declined] + [d.district for d in districts_declined]
    organisation.services = [s for s in organisation.services if s not in services_declined]
    organisation.districts = [d for d in organisation.districts if d not in districts_declined]
    audit.record("provider.changes_declined", actor=user, obj=organisation, declined=names)
    for staff in organisation.staff:
        notify(staff.user, PROVIDER_NEWS.key, f"Your hub lead did not accept: {', '.join(names)}",
               f"{note.strip()} You stay verified for everything else. You can add them again once this is sorted.",
               path_for("providers.profile", organisation_id=organisation.id))
    return organisation


def all_providers() -> list[ProviderOrganisation]:
    return list(db.session.scalars(select(ProviderOrganisation).order_by(ProviderOrganisation.name)))
