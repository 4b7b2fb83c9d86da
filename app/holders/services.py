"""The budget holder's own space, and the front door other features use: who may see it and
act in it, the people they allow to help (delegations), consents, and claiming a record a broker
created.

`access(user, holder_id, act=...)` (written in `policies.py`) is the one gate to a budget
holder's records: the person themselves, or someone they allowed ("can view" or "can act").
Anyone else gets 404.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.services import create_account_for_link, ensure_address, find_by_email, normalise_email
from app.core import audit
from app.core.districts import is_valid_district, normalise_district
from app.core.errors import DomainError, PermissionDenied
from app.core.models import Notification, OutboxMessage
from app.core.notifications import notify, register_kind, send_template_email
from app.core.timeutil import utcnow
from app.core.tokens import find_by_token, new_token
from app.core.urls import external_url, path_for
from app.extensions import db
from app.holders.models import (
    BudgetHolder,
    Consent,
    ConsentMethod,
    DelegateAccess,
    Delegation,
    DelegationStatus,
    HolderClaim,
)
from app.holders.policies import HolderAccess, access, active_delegation, helper_of, stops_access

__all__ = [
    "FORMER_CLIENT", "HELPERS", "ConsentMethod", "HolderAccess", "access", "accept_helper_invitation",
    "accept_helper_with_new_account", "active_delegation", "claim_record", "claim_with_new_account",
    "find_claim", "find_helper_invitation", "forget_name_in_messages", "invite_helper", "invite_to_claim", "own_holder",
    "people_to_tell", "record_consent", "revoke_delegations_of_leaving_user", "revoke_helper", "tell_holder",
    "update_about_me", "withdraw_all_consents", "withdraw_consents",
]

HELPERS = register_kind("helpers", "People you allow to help you, and people who allow you to help them")


def own_holder(user: User) -> BudgetHolder | None:
    """The user's own budget holder record, unless it is closed."""
    holder = user.budget_holder
    return holder if holder is not None and holder.is_open else None


def people_to_tell(holder: BudgetHolder) -> list[User]:
    """The budget holder (if they have a login) and the people who can act for them."""
    people = []
    if holder.user is not None and holder.user.is_active:
        people.append(holder.user)
    for delegation in holder.delegations:
        if delegation.can_act and delegation.user is not None and delegation.user.is_active:
            people.append(delegation.user)
    return people


def tell_holder(holder: BudgetHolder, kind: str, title: str, body: str = "", link: str | None = None) -> None:
    for person in people_to_tell(holder):
        notify(person, kind, title, body, link)


# --- Consent -----------------------------------------------------------------------------------


def record_consent(holder: BudgetHolder, *, purpose: str, recorded_by: User, method: ConsentMethod,
                   broker=None, note: str = "") -> Consent:
    consent = Consent(holder=holder, purpose=purpose, method=method, note=note.strip(),
                      recorded_by_id=recorded_by.id, broker=broker)
    db.session.add(consent)
    audit.record("consent.recorded", actor=recorded_by, holder=holder, obj=consent, purpose=purpose,
                 method=method.value)
    return consent


def withdraw_consents(holder: BudgetHolder, broker, actor: User | None) -> None:
    """The person's consents to share with this broker end."""
    _withdraw_consents(holder, actor, Consent.broker_id == broker.id)


def _withdraw_consents(holder: BudgetHolder, actor: User | None, *conditions, **details) -> None:
    now = utcnow()
    for consent in db.session.scalars(
        select(Consent).where(Consent.holder_id == holder.id, Consent.withdrawn_at.is_(None), *conditions)
    ):
        consent.withdrawn_at = now
        audit.record("consent.withdrawn", actor=actor, holder=holder, obj=consent, **details)


def withdraw_consent(consent: Consent, actor: User | None, **details) -> None:
    """One consent ends (the person changed their mind, or what it covered changed)."""
    _withdraw_consents(consent.holder, actor, Consent.id == consent.id, **details)


def withdraw_all_consents(holder: BudgetHolder, actor: User | None) -> None:
    """Every consent the person gave and has not withdrawn ends (their account is closing)."""
    _withdraw_consents(holder, actor, because="account closed")


FORMER_CLIENT = "a former client"


def forget_name_in_messages(name: str) -> int:
    """The person's name leaves the notifications and stored emails of everyone else (brokers,
    providers, hub leads) when they close their account. Returns how many were changed."""
    name = name.strip()
    if len(name) < 3:
        return 0
    pattern = f"%{name}%"

    def scrub(text: str | None) -> str | None:
        if not text or name not in text:
            return text
        text = text.replace(name, FORMER_CLIENT)
        return FORMER_CLIENT.capitalize() + text[len(FORMER_CLIENT):] if text.startswith(FORMER_CLIENT) else text

    changed = 0
    for note in db.session.scalars(select(Notification).where(
            Notification.title.like(pattern) | Notification.body.like(pattern))):
        note.title, note.body = scrub(note.title), scrub(note.body)
        changed += 1
    for message in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.subject.like(pattern) | OutboxMessage.body_text.like(pattern))):
        message.subject, message.body_text = scrub(message.subject), scrub(message.body_text)
        changed += 1
    return changed


def revoke_delegations_of_leaving_user(user: User, now) -> None:
    """Access the closing user gave others, and access others gave them, ends."""
    holder = user.budget_holder
    conditions = [Delegation.user_id == user.id]
    if holder is not None:
        conditions.append(Delegation.holder_id == holder.id)
    for delegation in db.session.scalars(select(Delegation).where(db.or_(*conditions))):
        if not delegation.is_revoked:
            delegation.status = DelegationStatus.REVOKED
            delegation.revoked_at = now
            delegation.revoked_by_id = user.id
            delegation.token_hash = None
            audit.record("delegation.revoked", actor=user, obj=delegation, because="account closed")


# --- People who help (delegations) ---------------------------------------------------------------


def invite_helper(acting: HolderAccess, *, name: str, email: str, relationship: str, access_level: str) -> Delegation:
    """The budget holder invites a family member, friend or advocate to view or act for them.
    Only the person themselves can choose who helps them."""
    if not acting.is_self:
        raise PermissionDenied("Only the person themselves can choose who helps them.")
    holder = acting.holder
    email = normalise_email(email)
    if holder.user is not None and email == holder.user.email:
        raise DomainError("Enter the email address of the person who will help you, not your own", field="email")
    for existing in holder.delegations:
        if existing.email == email and not existing.is_revoked:
            raise DomainError("You have already invited this person. Stop their access first to change it",
                              field="email")
    raw, token_hash = new_token()
    days = current_app.config["DELEGATION_INVITATION_DAYS"]
    now = utcnow()
    delegation = Delegation(
        holder=holder, email=email, name=name.strip(), relationship_to_holder=relationship.strip(),
        access=DelegateAccess(access_level), token_hash=token_hash, invited_at=now,
        expires_at=now + timedelta(days=days), invited_by_id=acting.user.id,
    )
    db.session.add(delegation)
    db.session.flush()
    send_template_email(
        email, f"{holder.name} has asked you to help them on OurChoice", "email/delegation_invitation.txt",
        kind=HELPERS.key, user=find_by_email(email), holder=holder, delegation=delegation, days=days,
        link=external_url("holders.accept_helper", token=raw),
    )
    audit.record("delegation.invited", actor=acting.user, holder=holder, obj=delegation, access=access_level)
    return delegation


def find_helper_invitation(raw: str) -> Delegation:
    delegation = find_by_token(Delegation, raw)
    if delegation is None or not delegation.holder.is_open:
        raise DomainError("This invitation link is not valid. Check you copied the whole link from the email.")
    if delegation.is_revoked:
        raise DomainError("This invitation has been stopped by the person who sent it.")
    if delegation.is_active:
        raise DomainError("This invitation has already been accepted. Sign in to continue.")
    if delegation.expires_at <= utcnow():
        raise DomainError("This invitation has expired. Ask the person to send a new one.")
    return delegation


def accept_helper_invitation(raw: str, user: User) -> Delegation:
    delegation = find_helper_invitation(raw)
    ensure_address(user, delegation.email, f"This invitation is for {delegation.email}. Sign in with that address to "
                                           "accept it.")
    if delegation.holder.user_id == user.id:
        raise DomainError("You cannot accept an invitation to help yourself.")
    delegation.user_id = user.id
    delegation.status = DelegationStatus.ACTIVE
    delegation.accepted_at = utcnow()
    delegation.token_hash = None  # used
    audit.record("delegation.accepted", actor=user, holder=delegation.holder, obj=delegation)
    if delegation.holder.user is not None:
        notify(delegation.holder.user, HELPERS.key, f"{user.name} can now help you",
               f"{user.name} accepted your invitation ({delegation.access.label.lower()}).",
               path_for("holders.helpers", holder_id=delegation.holder_id))
    return delegation


def accept_helper_with_new_account(raw: str, name: str, password: str) -> User:
    delegation = find_helper_invitation(raw)
    user = create_account_for_link(delegation.email, name, password,
                                   taken="There is already an account with this email address. Sign in to accept.")
    accept_helper_invitation(raw, user)
    return user


def revoke_helper(acting: HolderAccess, delegation_id: int) -> Delegation:
    """Stop someone's access. The person can stop anyone; a helper can stop their own access."""
    delegation = helper_of(acting, delegation_id)
    if not stops_access(acting.user, delegation):
        raise PermissionDenied("Only the person themselves can stop someone else's access.")
    if delegation.is_revoked:
        raise DomainError("This access has already been stopped")
    delegation.status = DelegationStatus.REVOKED
    delegation.revoked_at = utcnow()
    delegation.revoked_by_id = acting.user.id
    delegation.token_hash = None
    audit.record("delegation.revoked", actor=acting.user, holder=acting.holder, obj=delegation)
    if delegation.user is not None and delegation.user_id != acting.user.id:
        notify(delegation.user, HELPERS.key, f"You can no longer help {acting.holder.name} on OurChoice",
               f"{acting.holder.name} has stopped your access.")
    return delegation


# --- Claiming a record a broker created ----------------------------------------------------------


def invite_to_claim(actor: User, holder: BudgetHolder, email: str) -> HolderClaim:
    """Email the person a link to take over the record made for them (callers check that
    `actor` may do this)."""
    if holder.user_id is not None:
        raise DomainError("This person already has their own login")
    email = normalise_email(email)
    now = utcnow()
    for old in db.session.scalars(select(HolderClaim).where(
            HolderClaim.holder_id == holder.id, HolderClaim.claimed_at.is_(None), HolderClaim.revoked_at.is_(None))):
        old.revoked_at = now
    raw, token_hash = new_token()
    days = current_app.config["CLAIM_INVITATION_DAYS"]
    claim = HolderClaim(holder=holder, email=email, token_hash=token_hash, created_at=now,
                        expires_at=now + timedelta(days=days), invited_by_id=actor.id)
    holder.contact_email = email
    db.session.add(claim)
    db.session.flush()
    send_template_email(
        email, "Your OurChoice record is ready for you", "email/claim_invitation.txt", kind=HELPERS.key,
        holder=holder, inviter=actor.name, days=days, link=external_url("holders.claim", token=raw),
    )
    audit.record("holder.claim_invited", actor=actor, holder=holder, obj=claim)
    return claim


def find_claim(raw: str) -> HolderClaim:
    claim = find_by_token(HolderClaim, raw)
    if claim is None or not claim.holder.is_open:
        raise DomainError("This link is not valid. Check you copied the whole link from the email.")
    if claim.claimed_at is not None or claim.holder.user_id is not None:
        raise DomainError("This record has already been claimed. Sign in to see it.")
    if claim.revoked_at is not None:
        raise DomainError("This link has been replaced by a newer one. Use the latest email you received.")
    if claim.expires_at <= utcnow():
        raise DomainError("This link has expired. Ask your broker to send a new one.")
    return claim


def claim_record(raw: str, user: User) -> BudgetHolder:
    claim = find_claim(raw)
    ensure_address(user, claim.email, f"This link is for {claim.email}. Sign in with that address to claim your record.")
    if own_holder(user) is not None:
        raise DomainError("Your account already has its own budget holder record. Ask your broker or hub to "
                          "join the two records.")
    holder = claim.holder
    holder.user = user
    claim.claimed_at = utcnow()
    audit.record("holder.claimed", actor=user, holder=holder, obj=claim)
    return holder


def claim_with_new_account(raw: str, name: str, password: str) -> User:
    claim = find_claim(raw)
    user = create_account_for_link(claim.email, name, password, taken="There is already an account with this email "
                                                                      "address. Sign in to claim your record.")
    claim_record(raw, user)
    return user


def update_about_me(acting: HolderAccess, *, district: str | None, communication_needs: list[str],
                    preferred_language: str | None) -> None:
    if not acting.can_act:
        raise PermissionDenied()
    if district and not is_valid_district(district):
        raise DomainError("Enter the first part of your postcode, like W9 or NW8", field="district")
    holder = acting.holder
    holder.district = normalise_district(district) if district else None
    holder.communication_needs = communication_needs
    holder.preferred_language = preferred_language or None
    audit.record("holder.details_changed", actor=acting.user, on_behalf_of=acting.on_behalf_of, holder=holder,
                 obj=holder)


def close_record(user: User, now) -> None:
    """The person's account closed: their record keeps its history under a neutral name."""
    holder = user.budget_holder
    if holder is not None:
        holder.name = f"Former budget holder {holder.id}"
        holder.closed_at = now


def rename_record(user: User, name: str) -> None:
    """The person changed their name: their own record follows (a closed record keeps its)."""
    holder = user.budget_holder
    if holder is not None and holder.closed_at is None:
        holder.name = name
