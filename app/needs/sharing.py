"""The person's agreement to share a need's details, once per need, before it is published.

Publishing shows providers the public part (what support, when, the postcode district; never
the name); shortlisting shows a provider the private part (health, medication, address, getting
in). So before either, the person, or someone who can act for them, agrees to exactly that,
online; or their broker records how they agreed by phone or in writing. The agreement is a row
in the person's consents, and is withdrawn there: from then on no provider is shortlisted, and
shortlisted providers stop seeing the private part. A provider whose offer was accepted keeps
what it needs while the agreement runs (the agreement for support is that reason). A draft
whose details change after the person agreed needs their agreement again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.core import audit
from app.core.errors import DomainError, accumulate_errors
from app.core.permissions import ensure
from app.core.records import locked
from app.core.urls import path_for
from app.extensions import db
from app.holders.models import ConsentMethod
from app.holders.policies import can_act_for
from app.holders.services import (
    HolderAccess,
    people_to_tell,
    record_consent,
    tell_holder,
    withdraw_consent,
)
from app.needs import access, policies
from app.needs.events import NEED_NEWS, event, tell_broker, tell_provider
from app.needs.models import Need, NeedStatus, OfferStatus
from app.needs.refusals import refuse, sharing_agreed

PURPOSE = "share_need_details"
PRIVATE_PARTS = (("health_conditions", "health conditions and disabilities"),
                 ("medication_notes", "help with medication"),
                 ("address", "address"),
                 ("access_arrangements", "how to get in (key safe, door, pets)"))


@dataclass(frozen=True)
class WhatIsShared:
    """The words the person agrees to: what goes to whom."""

    public: str
    private: list[str]

    @property
    def public_first(self) -> str:
        """`public` to start a sentence (only the first letter changes: W9 stays W9)."""
        return self.public[:1].upper() + self.public[1:]

    @property
    def sentence(self) -> str:
        private = ", ".join(self.private) if self.private else "no private details"
        return (f"Shared with providers told about the need: {self.public}. Shared with each provider the broker "
                f"shortlists: {private}.")


def what_is_shared(need: Need) -> WhatIsShared:
    private = need.private
    parts = [label for name, label in PRIVATE_PARTS if private is not None and getattr(private, name)]
    if private is not None and private.medication.value != "none" and "help with medication" not in parts:
        parts.append("help with medication")
    return WhatIsShared(public=f"{need.category.name.lower()} in {need.district}, the days and times, and the "
                               "description written for providers (never the name)", private=parts)


def _shared_snapshot(need: Need) -> tuple:
    private = need.private
    return (need.category_id, need.district, need.public_description, repr(need.schedule), need.times_note,
            need.minutes_per_week, *(getattr(private, name, "") for name, _ in PRIVATE_PARTS),
            getattr(private, "medication", None))


def fingerprint(need: Need) -> str:
    """What the sharing page showed, sent back with the agreement: if the broker changed the
    need in between, the person is asked to look again rather than agree to what they never saw."""
    return hashlib.sha256(repr(_shared_snapshot(need)).encode()).hexdigest()


def need_for_sharing(acting: HolderAccess, need_id: int, *, lock: bool = False) -> Need:
    """The page where the person sees what will be shared (a draft too): 404 for anyone else's."""
    need = locked(Need, need_id) if lock else db.session.get(Need, need_id)
    if need is not None and need.holder_id != acting.holder.id:
        need = None
    ensure(policies.sees_sharing, acting.user, need)
    if not acting.is_self and not lock:  # a helper reading the private details is a disclosure
        audit.record("client_record.viewed", actor=acting.user, on_behalf_of=acting.on_behalf_of,
                     holder=acting.holder, obj=need, as_role="helper", page="sharing")
    return need


def needs_to_agree(holder_id: int) -> list[Need]:
    """The person's needs waiting for their agreement to share before they can go to providers
    (drafts the broker wrote, or needs whose agreement they withdrew, not yet finished)."""
    needs = db.session.scalars(select(Need).where(
        Need.holder_id == holder_id, Need.status.in_((NeedStatus.DRAFT, NeedStatus.OPEN, NeedStatus.CLOSED)))
        .options(selectinload(Need.sharing_consent), selectinload(Need.category)).order_by(Need.created_at))
    return [need for need in needs if not sharing_agreed(need)]


def agree_to_sharing(acting: HolderAccess, need_id: int, confirmed: bool, *, shown: str | None = None) -> Need:
    """The person (or someone who can act for them) agrees online, to what the page showed them."""
    need = need_for_sharing(acting, need_id, lock=True)
    refuse(policies.sharing_refusal(need))
    ensure(can_act_for, acting.user, need.holder, hide=False)
    if shown is not None and shown != fingerprint(need):
        raise DomainError("Your broker changed this need while you were reading it. Check it again before you agree")
    if not confirmed:
        raise DomainError("Tick the box to agree, or leave this page if you do not", field="confirm")
    _record(need, acting.user, ConsentMethod.ONLINE, what_is_shared(need).sentence)
    tell_broker(need, NEED_NEWS.key, f"{need.holder.name} agreed to share the details of their need",
                f"{need.category.name}: you can publish it now.", path_for("needs.broker_need", need_id=need.id))
    return need


def record_sharing(user: User, need_id: int, method: str, note: str) -> Need:
    """The broker records an agreement the person gave by phone or in writing; the person (and
    the people who act for them) are told, so they can see it and withdraw it."""
    need = access.need_for_broker(user, need_id, lock=True)
    refuse(policies.sharing_refusal(need))
    accumulate_errors(partial(_said_how, method), partial(_said_when, note))
    shared = what_is_shared(need).sentence
    _record(need, user, ConsentMethod(method), f"{note.strip()}\n{shared}")
    tell_holder(need.holder, NEED_NEWS.key, "Your broker recorded that you agreed to share your details",
                f"For {need.category.name.lower()}. You can see what is shared, and stop it, here.",
                path_for("needs.holder_sharing", holder_id=need.holder_id, need_id=need.id))
    return need


def _said_how(method: str) -> None:
    if method not in (ConsentMethod.VERBAL.value, ConsentMethod.WRITTEN.value):
        raise DomainError("Say how the person agreed", field="method")


def _said_when(note: str) -> None:
    if not note.strip():
        raise DomainError("Record when and how the person agreed", field="note")


def ask_for_sharing(user: User, need_id: int) -> int:
    """The broker asks the person, and the people who can act for them, to agree. Returns how
    many people were asked (none: record how the person agreed instead)."""
    need = access.need_for_broker(user, need_id)
    refuse(policies.sharing_refusal(need))
    people = people_to_tell(need.holder)
    if not people:
        raise DomainError(f"{need.holder.name} has no OurChoice account, and nobody can act for them on it. "
                          "Record how they agreed instead")
    tell_holder(need.holder, NEED_NEWS.key, f"Please check what your broker will share: {need.category.name}",
                "Before your need goes to providers, you agree to what they will see.",
                path_for("needs.holder_sharing", holder_id=need.holder_id, need_id=need.id))
    event(need, "sharing_asked", user)
    return len(people)


def withdraw_sharing(acting: HolderAccess, need_id: int) -> Need:
    """The person stops sharing: no more shortlisting; shortlisted providers stop seeing the
    private details (and are told); the broker is told."""
    need = need_for_sharing(acting, need_id, lock=True)
    if not sharing_agreed(need):
        raise DomainError("Nothing about this need is shared with providers now")
    ensure(can_act_for, acting.user, need.holder, hide=False)
    withdraw_consent(need.sharing_consent, acting.user, need_id=need.id)
    event(need, "sharing_withdrawn", acting.user)
    for offer in need.offers:
        if offer.status in (OfferStatus.SHORTLISTED, OfferStatus.PROPOSED):
            tell_provider(offer, f"The person stopped sharing their details: {need.category.name} in {need.district}",
                          "You can no longer see the private details of this need.")
    tell_broker(need, NEED_NEWS.key, f"{need.holder.name} stopped sharing the details of their need",
                f"{need.category.name}: no provider can be shortlisted until they agree again.",
                path_for("needs.broker_need", need_id=need.id))
    return need


def before_change(need: Need) -> tuple:
    """What the person agreed to, to compare after a draft is changed."""
    return _shared_snapshot(need)


def after_change(need: Need, before: tuple, actor: User) -> bool:
    """A draft's shared details changed after the person agreed: their agreement no longer
    covers them, so it ends and they are asked again. Returns whether it ended."""
    if not sharing_agreed(need) or _shared_snapshot(need) == before:
        return False
    withdraw_consent(need.sharing_consent, actor, need_id=need.id, because="the details changed")
    event(need, "sharing_withdrawn", actor, because="details changed")
    return True


def _record(need: Need, actor: User, method: ConsentMethod, note: str) -> None:
    consent = record_consent(need.holder, purpose=PURPOSE, recorded_by=actor, method=method, note=note)
    db.session.flush()
    need.sharing_consent = consent
    event(need, "sharing_agreed", actor, method=method.value)
