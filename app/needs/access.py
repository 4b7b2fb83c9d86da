"""Finding the record a page or a service works on, scoped to the person asking: each loader
fetches the row (locked when a service is about to change it) and asks the named rule in
`policies` whether this user may have it. Anyone else gets 404."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.brokers.services import broker_of
from app.core import audit
from app.core.errors import NotFound
from app.core.permissions import ensure
from app.core.records import locked
from app.extensions import db
from app.holders.services import HolderAccess
from app.needs import policies
from app.needs.models import Need, Offer, ServiceAgreement
from app.needs.policies import ProviderView
from app.providers.models import ProviderOrganisation
from app.providers.services import organisation_for


def _one(query: Any, *, lock: bool) -> Any:
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def lock_need(need_id: int) -> Need:
    """The need, locked while an offer on it changes (404 if there is no such need)."""
    need = locked(Need, need_id)
    if need is None:
        raise NotFound()
    return need


def need_for_broker(user: Any, need_id: int, *, lock: bool = False) -> Need:
    """A need of one of this broker's current clients."""
    broker_of(user)
    need = _one(select(Need).where(Need.id == need_id), lock=lock)
    ensure(policies.manages_need, user, need)
    return need


def need_for_holder(acting: HolderAccess, need_id: int, *, lock: bool = False) -> Need:
    """One of the published needs of the person being acted for."""
    need = _one(select(Need).where(Need.id == need_id, Need.holder_id == acting.holder.id), lock=lock)
    ensure(policies.sees_need_as_person, acting.user, need)
    return need


def holder_view(acting: HolderAccess, need_id: int) -> Need:
    """The person's own need, with its private details; a helper's view of them is audited
    (the person reading their own record is not a disclosure)."""
    need = need_for_holder(acting, need_id)
    ensure(policies.sees_private_details, acting.user, need)
    if not acting.is_self:
        audit.record("client_record.viewed", actor=acting.user, on_behalf_of=acting.on_behalf_of,
                     holder=acting.holder, obj=need, as_role="helper")
    return need


def offer_of(organisation: ProviderOrganisation, need: Need, *, lock: bool = False) -> Offer | None:
    return _one(select(Offer).where(Offer.need_id == need.id, Offer.organisation_id == organisation.id), lock=lock)


def offer_made_by(organisation: ProviderOrganisation, need: Need, *, lock: bool = False) -> Offer:
    """This provider's offer on the need (404 when it made none)."""
    offer = offer_of(organisation, need, lock=lock)
    if offer is None:
        raise NotFound()
    return offer


def offer_on(need: Need, offer_id: int, *, lock: bool = False) -> Offer:
    """One of the offers made on this need."""
    offer = _one(select(Offer).where(Offer.id == offer_id, Offer.need_id == need.id), lock=lock)
    if offer is None:
        raise NotFound()
    return offer


def provider_view(user: Any, organisation_id: int, need_id: int) -> ProviderView:
    """The need as one of this user's provider organisations may see it."""
    organisation = organisation_for(user, organisation_id)
    need = db.session.get(Need, need_id)
    view = ProviderView(organisation, need, offer_of(organisation, need)) if need is not None else None
    ensure(policies.sees_need_as_provider, user, view)
    return view


def agreement_for_provider(user: Any, organisation_id: int, agreement_id: int, *,
                           lock: bool = False) -> ServiceAgreement:
    """One of the service agreements of one of this user's provider organisations."""
    organisation = organisation_for(user, organisation_id)
    agreement = _one(select(ServiceAgreement).where(
        ServiceAgreement.id == agreement_id, ServiceAgreement.organisation_id == organisation.id), lock=lock)
    ensure(policies.sees_agreement, user, agreement)
    return agreement


def agreement_for_holder(acting: HolderAccess, agreement_id: int) -> ServiceAgreement:
    """One of the service agreements of the person being acted for (anyone else's: 404)."""
    agreement = _one(select(ServiceAgreement).where(
        ServiceAgreement.id == agreement_id, ServiceAgreement.holder_id == acting.holder.id), lock=False)
    ensure(policies.sees_need_as_person, acting.user, agreement.need if agreement is not None else None)
    return agreement
