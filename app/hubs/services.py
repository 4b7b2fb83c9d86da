"""Hubs: franchise localities, their postcode districts, leads and agency agreements.

A platform admin creates a hub (the admin page then invites its lead, in the same unit of
work), keeps its agreement, and can suspend, reopen or close it. While a hub is not active its
brokers are hidden from searches and cannot take new clients; `hub_suspended` tells the features
above (engagements tells the brokers' clients, with a link to choose another broker).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.core import audit
from app.core.districts import district_key, is_valid_district, normalise_district
from app.core.errors import DomainError, NotFound
from app.core.notifications import notify, register_kind
from app.core.permissions import IsAdmin, ensure
from app.core.records import get_or_404
from app.core.timeutil import utcnow
from app.extensions import db
from app.hubs.models import Hub, HubDistrict, HubStatus
from app.hubs.policies import has_public_page, may_change_status
from app.hubs.signals import hub_suspended

HUB_NEWS = register_kind("hub_news", "News about your hub (for example if it is suspended)")


def parse_districts(text: str) -> list[str]:
    """'w9, NW8 sw1' -> ['NW8', 'SW1', 'W9']; raises DomainError naming any bad ones."""
    parts = [normalise_district(p) for p in re.split(r"[,;\s]+", text or "") if p.strip()]
    bad = [p for p in parts if not is_valid_district(p)]
    if bad:
        raise DomainError(
            f"{', '.join(bad)} {'is not a postcode district' if len(bad) == 1 else 'are not postcode districts'}. "
            "Enter districts like W9, NW8 or SW1A, separated by commas",
            field="districts",
        )
    if not parts:
        raise DomainError("Enter at least one postcode district, like W9", field="districts")
    return sorted(set(parts), key=district_key)


def all_hubs() -> list[Hub]:
    """Every hub, closed ones included, by name (for admins)."""
    return list(db.session.scalars(select(Hub).order_by(Hub.name)))


def active_hubs() -> list[Hub]:
    """The hubs brokers can apply to and clients can be taken in, by name."""
    return list(db.session.scalars(select(Hub).where(Hub.status == HubStatus.ACTIVE).order_by(Hub.name)))


def public_hubs() -> list[Hub]:
    """The hubs with a public page (every hub but the closed ones), by name."""
    return [hub for hub in all_hubs() if has_public_page(hub)]


def hub_by_slug(slug: str) -> Hub:
    """A hub's public page: a closed hub has none (404)."""
    hub = db.session.scalar(select(Hub).where(Hub.slug == slug))
    if not has_public_page(hub):
        raise NotFound()
    return hub


def get_for_admin(actor, hub_id: int) -> Hub:
    """A hub for a platform admin to manage (403 for anyone else, 404 for no such hub)."""
    ensure(IsAdmin, actor, hide=False)
    return get_or_404(Hub, hub_id)


def all_districts() -> list[str]:
    """Every postcode district some hub covers, in postcode order."""
    return sorted(db.session.scalars(select(HubDistrict.district)), key=district_key)


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")
    return slug[:80] or "hub"


@dataclass
class HubDetails:
    name: str
    districts: str
    description: str = ""
    agreement_start: date | None = None
    agreement_signed_on: date | None = None
    agreement_fee_arrangement: str = ""
    agreement_reference: str = ""
    agreement_end: date | None = None
    monthly_fee_pence: int = 0
    fee_per_new_client_pence: int = 0


def _check_districts(codes: list[str], hub: Hub | None) -> None:
    taken = db.session.execute(
        select(HubDistrict.district, Hub.name).join(Hub).where(HubDistrict.district.in_(codes))
    ).all()
    clashes = [f"{code} ({name})" for code, name in taken if hub is None or name != hub.name]
    if clashes:
        raise DomainError(f"Already covered by another hub: {', '.join(clashes)}", field="districts")


def create_hub(actor, details: HubDetails) -> Hub:
    """Create a hub (flushed, so it has its id). Inviting its lead is the invitations feature's
    work: the admin page chains the two in one unit of work."""
    ensure(IsAdmin, actor, hide=False)
    name = details.name.strip()
    if db.session.scalar(select(Hub).where(func.lower(Hub.name) == name.lower())):
        raise DomainError("There is already a hub with this name", field="name")
    codes = parse_districts(details.districts)
    _check_districts(codes, None)
    slug = slugify(name)
    if db.session.scalar(select(Hub).where(Hub.slug == slug)):
        slug = f"{slug[:70]}-{utcnow():%y%m%d%H%M}"
    hub = Hub(name=name, slug=slug)
    _apply(hub, details)
    hub.districts = [HubDistrict(district=code) for code in codes]
    db.session.add(hub)
    db.session.flush()
    audit.record("hub.created", actor=actor, obj=hub, districts=codes)
    return hub


def _apply(hub: Hub, details: HubDetails) -> None:
    hub.description = details.description.strip()
    hub.agreement_start = details.agreement_start
    hub.agreement_signed_on = details.agreement_signed_on
    hub.agreement_fee_arrangement = details.agreement_fee_arrangement.strip()
    hub.agreement_reference = details.agreement_reference.strip()
    if details.agreement_end and details.agreement_start and details.agreement_end < details.agreement_start:
        raise DomainError("The agreement cannot end before it starts", field="agreement_end")
    hub.agreement_end = details.agreement_end
    for field, pence in (("monthly_fee", details.monthly_fee_pence), ("fee_per_new_client", details.fee_per_new_client_pence)):
        if pence < 0:
            raise DomainError("Fees cannot be negative", field=field)
    hub.monthly_fee_pence = details.monthly_fee_pence
    hub.fee_per_new_client_pence = details.fee_per_new_client_pence


def update_hub(actor, hub_id: int, details: HubDetails) -> Hub:
    """Change a hub's name, districts, description and agency agreement."""
    hub = get_for_admin(actor, hub_id)
    codes = parse_districts(details.districts)
    _check_districts(codes, hub)
    name = details.name.strip()
    if db.session.scalar(select(Hub).where(func.lower(Hub.name) == name.lower(), Hub.id != hub.id)):
        raise DomainError("There is already a hub with this name", field="name")
    hub.name = name
    _apply(hub, details)
    existing = {d.district: d for d in hub.districts}
    hub.districts = [existing.get(code) or HubDistrict(district=code) for code in codes]
    audit.record("hub.updated", actor=actor, obj=hub, districts=codes)
    return hub


def change_status(actor, hub_id: int, status: HubStatus, reason: str) -> Hub:
    """Suspend, reopen or close a hub. When it stops, `hub_suspended` tells the features above
    (engagements tells its brokers' clients and closes their waiting requests)."""
    hub = get_for_admin(actor, hub_id)
    if not may_change_status(actor, hub):
        raise DomainError("A closed hub cannot be changed")
    if status == hub.status:
        raise DomainError(f"The hub is already {status.label.lower()}", field="status")
    if status != HubStatus.ACTIVE and not reason.strip():
        raise DomainError("Give the reason, which brokers and their clients will see", field="reason")
    hub.status = status
    hub.status_changed_at = utcnow()
    hub.status_reason = reason.strip()
    audit.record("hub.status_changed", actor=actor, obj=hub, status=status.value)
    for lead in hub.lead_users:
        notify(lead, HUB_NEWS.key, f"{hub.name} is now {status.label.lower()}", reason.strip())
    if status != HubStatus.ACTIVE:
        hub_suspended.send(hub, reason=reason.strip())
    return hub


def remove_lead_memberships(user) -> None:
    """A closed account leads no hub."""
    for membership in list(user.hub_lead_memberships):
        db.session.delete(membership)
