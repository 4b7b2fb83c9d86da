"""The history of a need, the notification kinds of this feature, and who is told what.

Everything about a need goes to the person's current broker, never to a former one; providers
hear about the needs that fit them and what happens to their offers; gaps go to the hub."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.notifications import notify, register_kind
from app.core.roles import Role
from app.core.timeutil import format_datetime, utcnow
from app.core.urls import path_for
from app.engagements.services import current_broker_of
from app.extensions import db
from app.needs.models import Gap, Need, NeedEvent, NeedRecipient, Offer
from app.providers.models import ProviderOrganisation

NEEDS_FOR_YOU = register_kind("needs_for_you", "New needs that fit your services, areas and spare capacity",
                              roles={Role.PROVIDER_STAFF})
OFFER_NEWS = register_kind("offer_news", "What happens to your offers, and questions about them",
                           roles={Role.PROVIDER_STAFF})
NEED_NEWS = register_kind("need_news", "Offers and changes on the needs posted for you or your clients")
AGREEMENT_NEWS = register_kind("agreement_news", "Service agreements: starting, and handed back")


def event(need: Need, kind: str, actor: Any = None, **details: Any) -> NeedEvent:
    row = NeedEvent(need=need, kind=kind, actor_id=getattr(actor, "id", None),
                    details={k: v for k, v in details.items() if v is not None})
    db.session.add(row)
    return row


def tell_broker(need: Need, kind: str, title: str, body: str = "", link: str | None = None) -> None:
    """With no broker right now, nobody on the broker side is told (the person is told separately)."""
    broker = current_broker_of(need.holder)
    if broker is not None:
        notify(broker.user, kind, title, body, link)


def provider_link(offer: Offer) -> str:
    return path_for("needs.provider_need", organisation_id=offer.organisation_id, need_id=offer.need_id)


def tell_provider(offer: Offer, title: str, body: str = "", link: str | None = None) -> None:
    """The staff of the provider that made the offer."""
    for staff in offer.organisation.staff:
        notify(staff.user, OFFER_NEWS.key, title, body, link)


def tell_providers(need: Need, providers: list[ProviderOrganisation], title: str) -> int:
    """A need that fits them: each provider is remembered as told, to hear if it is no longer
    needed. Returns how many were told."""
    told = 0
    now = utcnow()
    already = set(db.session.scalars(select(NeedRecipient.organisation_id).where(NeedRecipient.need_id == need.id)))
    for organisation in providers:
        if organisation.id not in already:
            db.session.add(NeedRecipient(need_id=need.id, organisation_id=organisation.id, notified_at=now))
            if need.first_told_at is None:
                need.first_told_at = now
        for staff in organisation.staff:
            notify(staff.user, NEEDS_FOR_YOU.key, title,
                   f"{need.category.name} in {need.district}, {need.hours_per_week:g} hours a week. "
                   f"Apply by {format_datetime(need.deadline_at)}.",
                   path_for("needs.provider_need", organisation_id=organisation.id, need_id=need.id))
        told += 1
    return told


def tell_no_longer_needed(need: Need, title: str, body: str, skip_organisation_ids: frozenset[int] = frozenset()) -> None:
    """Tell every provider who was told about the need, or applied, that it is no longer needed."""
    organisation_ids = set(db.session.scalars(select(NeedRecipient.organisation_id).where(
        NeedRecipient.need_id == need.id)))
    organisation_ids |= {o.organisation_id for o in need.offers}
    organisation_ids -= skip_organisation_ids
    applied = {o.organisation_id for o in need.offers}
    for organisation in db.session.scalars(select(ProviderOrganisation).where(
            ProviderOrganisation.id.in_(organisation_ids))):
        # Providers who applied can still open the need to see the outcome; others have nothing to see.
        link = path_for("needs.provider_need", organisation_id=organisation.id, need_id=need.id) \
            if organisation.id in applied else None
        for staff in organisation.staff:
            notify(staff.user, OFFER_NEWS.key, title, body, link)


def tell_hub(gap: Gap) -> None:
    """A gap goes to the leads of the hub it was recorded for."""
    for lead in gap.hub.lead_users if gap.hub else []:
        notify(lead, NEED_NEWS.key, f"Gap in {gap.district}: {gap.category.name}",
               gap.reason.label, path_for("needs.hub_gaps"))
