"""Building search documents from the database: one per listed community service, verified
provider and accredited broker (None when something should not be listed).

The same documents feed the Whoosh index and the database fallback, so both answer alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.brokers import rules
from app.brokers.models import BrokerProfile, BrokerStatus, VerificationKind
from app.core.reference import LANGUAGES
from app.core.timeutil import LONDON
from app.directory.models import DirectoryEntry, DirectoryEntryCategory, EntryStatus
from app.directory.services import STALE_AFTER
from app.engagements.models import Review, ReviewStatus
from app.extensions import db
from app.hubs.models import HubStatus
from app.providers.models import ProviderOrganisation, ProviderService
from app.providers.services import CAPACITY_STALE_AFTER
from app.taxonomy.models import ServiceCategory

FOREVER = datetime(2999, 12, 31, tzinfo=UTC)

Doc = dict[str, Any]


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON).astimezone(UTC)


def _naive(moment: datetime | None) -> datetime | None:
    """Whoosh stores naive datetimes: we give it UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


def _doc(*, doc_id: str, kind: str, name: str, description: str, categories: list[ServiceCategory],
         tags: list[str], districts: list[str], languages: list[str], accessibility: list[str], free: bool,
         rating: float | None, last_verified: datetime | None, verified_until: datetime | None,
         located: bool = False,
         accepting_until: datetime | None, listed_until: datetime | None, display: dict) -> Doc:
    category_names = [c.name for c in categories]
    labels = " ".join([name, *category_names, *tags])
    return {
        "id": doc_id,
        "kind": kind,
        "content": f"{labels} {description}",
        "name": name,
        "tags": " ".join([name, *tags]),
        "labels": labels,
        "name_exact": name.strip().lower(),
        "sort_name": name.strip().lower(),
        "spell": f"{labels} {description}",
        "categories": ",".join(c.slug for c in categories),
        "districts": ",".join(d.lower() for d in districts),
        "languages": ",".join(languages),
        "accessibility": ",".join(accessibility),
        "free": free,
        "located": located,
        "rating": round((rating or 0) * 10),
        "last_verified": _naive(last_verified),
        "verified_until": _naive(verified_until),
        "accepting_until": _naive(accepting_until),
        "listed_until": _naive(listed_until or FOREVER),
        "display": {**display, "kind": kind, "name": name, "districts": districts,
                    "categories": category_names, "languages": [LANGUAGES.get(x, x) for x in languages],
                    "last_verified": last_verified.date().isoformat() if last_verified else None,
                    "free": free, "rating": rating,
                    "accepting_until": _naive(accepting_until).isoformat() if accepting_until else None},
    }


def entry_doc(entry: DirectoryEntry) -> Doc | None:
    if entry.status != EntryStatus.PUBLISHED:
        return None
    verified = end_of_day(entry.last_verified_on) if entry.last_verified_on else None
    return _doc(
        doc_id=f"service:{entry.id}", kind="service", name=entry.name, description=entry.description,
        categories=[c.category for c in entry.categories], tags=list(entry.tags or []),
        districts=entry.district_codes, languages=list(entry.languages or []),
        accessibility=list(entry.accessibility or []), free=entry.is_free, rating=None,
        last_verified=verified, verified_until=verified + STALE_AFTER if verified else None,
        accepting_until=None, listed_until=None, located=bool(entry.postcode),
        display={"url": f"/directory/services/{entry.id}", "summary": entry.description[:300],
                 "cost": "Free" if entry.is_free else (entry.cost or "There is a charge"),
                 "opening_times": entry.opening_times[:120]},
    )


def provider_doc(organisation: ProviderOrganisation) -> Doc | None:
    if not organisation.is_verified:
        return None
    has_slots = any(slot.available for slot in organisation.capacity)
    accepting = (organisation.capacity_updated_at + CAPACITY_STALE_AFTER
                 if has_slots and organisation.capacity_updated_at else None)
    rate = ""
    if organisation.rate_from_pence:
        from app.core.money import format_pence

        rate = f"From {format_pence(organisation.rate_from_pence)} an hour"
    return _doc(
        doc_id=f"provider:{organisation.id}", kind="provider", name=organisation.name,
        description=organisation.description or organisation.kind.label,
        categories=[s.category for s in organisation.served_services],
        tags=[organisation.kind.label, *organisation.skills], districts=organisation.served_district_codes, languages=list(organisation.languages or []), accessibility=[],
        free=False, rating=None, last_verified=organisation.verified_at, verified_until=FOREVER,
        accepting_until=accepting, listed_until=None,
        display={"url": f"/directory/providers/{organisation.id}", "summary": (organisation.description or "")[:300],
                 "cost": rate or "Charges apply", "provider_kind": organisation.kind.label,
                 "cqc": organisation.cqc_number or ""},
    )


def _broker_listed_until(broker: BrokerProfile) -> datetime | None:
    """None when the broker is not listed at all; otherwise when their DBS or insurance runs out."""
    if broker.status != BrokerStatus.APPROVED or broker.hub is None or broker.hub.status != HubStatus.ACTIVE:
        return None
    if broker.user.closed_at is not None:
        return None
    accreditation = rules.latest(broker, VerificationKind.ACCREDITATION, approved_only=True)
    dbs = rules.latest(broker, VerificationKind.DBS, approved_only=True)
    insurance = rules.latest(broker, VerificationKind.INSURANCE, approved_only=True)
    if not (accreditation and dbs and insurance and dbs.issued_on and insurance.expires_on):
        return None
    dbs_end = rules.dbs_expiry(dbs.issued_on) - timedelta(days=1)
    return end_of_day(min(dbs_end, insurance.expires_on))


def broker_doc(broker: BrokerProfile, rating: tuple[float, int] | None = None) -> Doc | None:
    listed_until = _broker_listed_until(broker)
    if listed_until is None:
        return None
    availability = rules.availability(broker)
    if rating is None:
        average, count = db.session.execute(
            select(func.avg(Review.rating), func.count()).where(
                Review.broker_id == broker.id, Review.status == ReviewStatus.PUBLISHED)).one()
        rating = (round(float(average), 1), count) if count else (None, 0)
    approved = [v.reviewed_at for v in broker.verifications if v.reviewed_at]
    from app.core.reference import SPECIALISMS

    specialisms = [SPECIALISMS.get(s, s) for s in broker.specialisms or []]
    brokerage = db.session.scalar(select(ServiceCategory).where(ServiceCategory.slug == "brokerage"))
    return _doc(
        doc_id=f"broker:{broker.id}", kind="broker", name=broker.display_name,
        description=broker.profile_text, categories=[brokerage] if brokerage else [],
        tags=["support broker", "brokerage", "support planning", *specialisms],
        districts=broker.district_codes, languages=list(broker.languages or []), accessibility=[], free=False,
        rating=rating[0], last_verified=max(approved) if approved else None, verified_until=FOREVER,
        accepting_until=listed_until if availability.can_take_new_clients else None, listed_until=listed_until,
        display={"url": f"/brokers/{broker.id}", "summary": broker.profile_text[:300],
                 "cost": "Fees on the broker's profile", "specialisms": specialisms,
                 "review_count": rating[1], "hub": broker.hub.name},
    )


def build(doc_id: str) -> Doc | None:
    """The current document for one id (None: remove it from the index)."""
    kind, _, raw_id = doc_id.partition(":")
    if not raw_id.isdigit():
        return None
    if kind == "service":
        entry = db.session.get(DirectoryEntry, int(raw_id))
        return entry_doc(entry) if entry else None
    if kind == "provider":
        organisation = db.session.get(ProviderOrganisation, int(raw_id))
        return provider_doc(organisation) if organisation else None
    if kind == "broker":
        broker = db.session.get(BrokerProfile, int(raw_id))
        return broker_doc(broker) if broker else None
    return None


def all_documents(batch: int = 2000):
    """Every listable document, loaded in batches (for rebuilding the index). Entries loaded
    only for this are let go after each batch, so memory stays flat on a large directory;
    anything the caller already had in the session stays there."""
    from sqlalchemy import inspect

    already_loaded = set(db.session.identity_map.keys())
    last = 0
    while True:
        entries = list(db.session.scalars(
            select(DirectoryEntry).where(DirectoryEntry.id > last, DirectoryEntry.status == EntryStatus.PUBLISHED)
            .options(selectinload(DirectoryEntry.categories).selectinload(DirectoryEntryCategory.category),
                     selectinload(DirectoryEntry.districts))
            .order_by(DirectoryEntry.id).limit(batch)))
        if not entries:
            break
        for entry in entries:
            doc = entry_doc(entry)
            if doc:
                yield doc
        last = entries[-1].id
        for entry in entries:
            if inspect(entry).identity_key not in already_loaded:
                db.session.expunge(entry)
    for organisation in db.session.scalars(
            select(ProviderOrganisation).where(ProviderOrganisation.verified_at.is_not(None))
            .options(selectinload(ProviderOrganisation.services).selectinload(ProviderService.category),
                     selectinload(ProviderOrganisation.districts), selectinload(ProviderOrganisation.capacity))):
        doc = provider_doc(organisation)
        if doc:
            yield doc
    for broker in db.session.scalars(select(BrokerProfile).where(BrokerProfile.status == BrokerStatus.APPROVED)):
        doc = broker_doc(broker)
        if doc:
            yield doc
