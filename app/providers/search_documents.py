"""Care and support providers in search: one document per verified organisation (with spare
capacity kept up to date, it is "accepting" until the capacity goes stale), and the changes
that affect it."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.core.money import format_pence
from app.extensions import db
from app.providers.models import CapacitySlot, ProviderDistrict, ProviderOrganisation, ProviderService
from app.providers.services import CAPACITY_STALE_AFTER
from app.search import services as search
from app.search.services import FOREVER, Doc, document
from app.taxonomy.models import ServiceCategory

KIND = "provider"


def provider_doc(organisation: ProviderOrganisation) -> Doc | None:
    if not organisation.is_verified:
        return None
    has_slots = any(slot.available for slot in organisation.capacity)
    accepting = (organisation.capacity_updated_at + CAPACITY_STALE_AFTER
                 if has_slots and organisation.capacity_updated_at else None)
    rate = f"From {format_pence(organisation.rate_from_pence)} an hour" if organisation.rate_from_pence else ""
    return document(
        doc_id=f"{KIND}:{organisation.id}", kind=KIND, name=organisation.name,
        description=organisation.description or organisation.kind.label,
        categories=[s.category for s in organisation.served_services],
        tags=[organisation.kind.label, *organisation.skills], districts=organisation.served_district_codes,
        languages=list(organisation.languages or []), accessibility=[],
        free=False, rating=None, last_verified=organisation.verified_at, verified_until=FOREVER,
        accepting_until=accepting, listed_until=None,
        display={"url": f"/directory/providers/{organisation.id}", "summary": (organisation.description or "")[:300],
                 "cost": rate or "Charges apply", "provider_kind": organisation.kind.label,
                 "cqc": organisation.cqc_number or ""},
    )


def every_provider() -> Iterator[Doc]:
    for organisation in db.session.scalars(
            select(ProviderOrganisation).where(ProviderOrganisation.verified_at.is_not(None))
            .options(selectinload(ProviderOrganisation.services).selectinload(ProviderService.category),
                     selectinload(ProviderOrganisation.districts), selectinload(ProviderOrganisation.capacity))):
        doc = provider_doc(organisation)
        if doc:
            yield doc


def verified_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ProviderOrganisation).where(
        ProviderOrganisation.verified_at.is_not(None))) or 0


def _providers_in_category(session: Session, category_id: int) -> set[str]:
    organisation_ids = session.scalars(select(ProviderService.organisation_id).where(
        ProviderService.category_id == category_id))
    return search.doc_ids(KIND, *organisation_ids)


search.register_kind(KIND, label="Care and support providers", model=ProviderOrganisation, document=provider_doc,
                       every=every_provider, count=verified_count, position=20)
search.affects(ProviderOrganisation, lambda organisation: search.doc_ids(KIND, organisation.id))
for _part in (ProviderService, ProviderDistrict, CapacitySlot):
    search.affects(_part, lambda row: search.doc_ids(KIND, row.organisation_id))
search.affects(ServiceCategory, lambda category: {search.Group(_providers_in_category, category.id)})
