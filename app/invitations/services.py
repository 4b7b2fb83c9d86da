"""Invitations: admins invite hub leads, funder officers and admins; hub leads (and admins)
invite associate brokers to a hub; a provider's manager invites their staff. Links are
single-use and expire.

What accepting each kind does is registered by the feature that owns its role (`kinds.py`):
this module sends, checks and accepts the links, and never knows brokers or providers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.services import create_account_for_link, ensure_address, find_by_email, normalise_email
from app.core import audit
from app.core.errors import DomainError
from app.core.notifications import INVITATIONS, notify, send_template_email
from app.core.pagination import paginate
from app.core.permissions import ensure
from app.core.roles import Role
from app.core.timeutil import utcnow
from app.core.tokens import find_by_token, new_token
from app.core.urls import external_url
from app.extensions import db
from app.invitations import policies
from app.invitations.kinds import (  # noqa: F401 - the registry, for features that register a kind
    PLACE_COLUMNS,
    InvitationInvalid,
    InvitationKind,
    Place,
    kind_of,
    register_kind,
)
from app.invitations.models import Invitation


@dataclass
class NewInvitation:
    email: str
    name: str
    role: Role
    hub_id: int | None = None
    funding_body_id: int | None = None
    provider_organisation_id: int | None = None


def invite(actor: User, new: NewInvitation) -> Invitation:
    """Create an invitation and email its link. Replaces any pending one for the same place."""
    kind = kind_of(new.role)
    if kind is None or not policies.may_send(actor, new):
        raise DomainError("You cannot send that invitation", field="role")
    place = _place_of(kind, new)
    email = normalise_email(new.email)
    existing = find_by_email(email)
    if existing is not None and kind.already_has(existing, place):
        raise DomainError(kind.already_message, field="email")

    now = utcnow()
    ids = _place_ids(kind, place)
    _withdraw_pending(email, new.role, ids, now)  # only the newest link works
    raw, token_hash = new_token()
    days = current_app.config["INVITATION_DAYS"]
    invitation = Invitation(email=email, name=new.name.strip(), role=new.role, invited_by_id=actor.id,
                            token_hash=token_hash, created_at=now, expires_at=now + timedelta(days=days))
    if kind.place is not None:
        setattr(invitation, kind.place.relation, place)
    db.session.add(invitation)
    db.session.flush()
    send_template_email(
        email, f"You are invited to join OurChoice as {kind.phrase}", "email/invitation.txt",
        kind=INVITATIONS.key, user=existing, invitation=invitation, role_phrase=kind.phrase,
        inviter=actor.name, days=days, link=external_url("invitations.accept", token=raw),
    )
    audit.record("invitation.sent", actor=actor, obj=invitation, role=new.role.value, **ids)
    return invitation


def _place_of(kind: InvitationKind, new: NewInvitation):
    """The record the invitation is to (None for a kind without one); DomainError when missing."""
    if kind.place is None:
        return None
    place_id = getattr(new, kind.place.column)
    record = db.session.get(kind.place.model, place_id) if place_id else None
    if record is None:
        raise DomainError(kind.place.missing, field=kind.place.column)
    return record


def _place_ids(kind: InvitationKind, place) -> dict[str, int | None]:
    ids: dict[str, int | None] = dict.fromkeys(PLACE_COLUMNS)
    if kind.place is not None:
        ids[kind.place.column] = place.id
    return ids


def _withdraw_pending(email: str, role: Role, ids: dict[str, int | None], now: datetime) -> None:
    same_place = [getattr(Invitation, column) == value if value is not None else getattr(Invitation, column).is_(None)
                  for column, value in ids.items()]
    for old in db.session.scalars(select(Invitation).where(
            Invitation.email == email, Invitation.role == role, *same_place,
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))):
        old.revoked_at = now


def find_valid(raw: str) -> Invitation:
    """The invitation of a link that still works; InvitationInvalid says why one does not."""
    invitation = find_by_token(Invitation, raw)
    if invitation is None:
        raise InvitationInvalid("This invitation link is not valid. Check you copied the whole link from the email.")
    status = invitation.status(utcnow())
    if status == "accepted":
        raise InvitationInvalid("This invitation has already been accepted. Sign in to continue.")
    if status == "withdrawn":
        raise InvitationInvalid("This invitation has been withdrawn. Ask the person who invited you to send a new one.")
    if status == "expired":
        raise InvitationInvalid("This invitation has expired. Ask the person who invited you to send a new one.")
    return invitation


def accept_with_new_account(raw: str, name: str, password: str) -> User:
    """Create the account the invitation is for (its address is proven by the link)."""
    invitation = find_valid(raw)
    user = create_account_for_link(
        invitation.email, name, password, error=InvitationInvalid,
        taken="There is already an account with this email address. Sign in to accept the invitation.")
    _grant(invitation, user)
    return user


def accept_as(raw: str, user: User) -> Invitation:
    """Accept the invitation as the signed-in person, whose address must be the one invited."""
    invitation = find_valid(raw)
    ensure_address(user, invitation.email, f"This invitation is for {invitation.email}. Sign out and sign in with "
                                           "that address to accept it.", InvitationInvalid)
    _grant(invitation, user)
    return invitation


def _grant(invitation: Invitation, user: User) -> None:
    kind = kind_of(invitation.role)
    if kind is None:
        raise InvitationInvalid("This invitation link is not valid. Ask the person who invited you to send a new one.")
    kind.grant(invitation, user)
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    audit.record("invitation.accepted", actor=user, obj=invitation, role=invitation.role.value)
    notify(invitation.invited_by, INVITATIONS.key, f"{user.name} accepted your invitation",
           f"{user.name} is now {kind.phrase} ({invitation.where}).")


def revoke(actor: User, invitation_id: int) -> Invitation:
    """Withdraw a pending invitation (404 for one the actor could not have sent)."""
    invitation = db.session.get(Invitation, invitation_id)
    ensure(policies.may_send, actor, invitation)
    if not invitation.is_pending:
        raise DomainError("Only a pending invitation can be withdrawn")
    invitation.revoked_at = utcnow()
    audit.record("invitation.withdrawn", actor=actor, obj=invitation)
    return invitation


def list_visible(actor: User, *, hub_id: int | None = None, page: int = 1):
    """Invitations the actor may see: all for admins, their hubs' broker invitations for leads."""
    query = policies.visible_to(actor, select(Invitation).order_by(Invitation.created_at.desc(),
                                                                   Invitation.id.desc()))
    if hub_id is not None:
        query = query.where(Invitation.hub_id == hub_id)
    return paginate(query, page=page, per_page=50)


def for_organisation(organisation_id: int) -> list[Invitation]:
    """Staff invitations of one provider organisation (callers check the user belongs to it)."""
    return list(db.session.scalars(select(Invitation).where(
        Invitation.provider_organisation_id == organisation_id).order_by(Invitation.created_at.desc())))
