"""Invitations: admins invite hub leads, funder officers and admins; hub leads (and admins)
invite associate brokers to a hub. Links are single-use and expire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.passwords import hash_password
from app.accounts.services import check_new_password, find_by_email, normalise_email
from app.brokers.models import BrokerProfile
from app.core import audit
from app.core import permissions as p
from app.core.errors import DomainError, NotFound
from app.core.notifications import INVITATIONS, notify, send_template_email
from app.core.pagination import paginate
from app.core.roles import Role
from app.core.timeutil import utcnow
from app.core.tokens import hash_token, new_token
from app.core.urls import external_url
from app.extensions import db
from app.funders.models import FundingBody, FundingOfficer
from app.hubs.models import Hub, HubLead
from app.invitations.models import Invitation

ADMIN_INVITABLE = (Role.HUB_LEAD, Role.FUNDER_OFFICER, Role.ADMIN, Role.BROKER)


class InvitationInvalid(DomainError):
    pass


@dataclass
class NewInvitation:
    email: str
    name: str
    role: Role
    hub_id: int | None = None
    funding_body_id: int | None = None
    provider_organisation_id: int | None = None


def leads_hub(user: User, hub_id: int | None) -> bool:
    return hub_id is not None and any(m.hub_id == hub_id for m in user.hub_lead_memberships)


def owns_organisation(user: User, organisation_id: int | None) -> bool:
    return organisation_id is not None and any(
        m.organisation_id == organisation_id and m.is_owner for m in user.provider_memberships)


def can_invite(actor: User, role: Role, hub_id: int | None, organisation_id: int | None = None) -> bool:
    if role == Role.PROVIDER_STAFF:
        return owns_organisation(actor, organisation_id)
    if p.IsAdmin(actor):
        return role in ADMIN_INVITABLE
    return role == Role.BROKER and p.IsHubLead(actor) and leads_hub(actor, hub_id)


def invite(actor: User, new: NewInvitation) -> Invitation:
    """Create an invitation and email its link. Replaces any pending one for the same place."""
    if not can_invite(actor, new.role, new.hub_id, new.provider_organisation_id):
        raise DomainError("You cannot send that invitation", field="role")
    organisation = None
    if new.role == Role.PROVIDER_STAFF:
        from app.providers.models import ProviderOrganisation

        organisation = db.session.get(ProviderOrganisation, new.provider_organisation_id)
    hub = db.session.get(Hub, new.hub_id) if new.hub_id else None
    body = db.session.get(FundingBody, new.funding_body_id) if new.funding_body_id else None
    if new.role in (Role.HUB_LEAD, Role.BROKER) and hub is None:
        raise DomainError("Choose the hub", field="hub_id")
    if new.role == Role.FUNDER_OFFICER and body is None:
        raise DomainError("Choose the funding body", field="funding_body_id")
    if new.role not in (Role.HUB_LEAD, Role.BROKER):
        hub = None
    if new.role != Role.FUNDER_OFFICER:
        body = None

    email = normalise_email(new.email)
    existing = find_by_email(email)
    if existing is not None and organisation is not None and any(
            m.organisation_id == organisation.id for m in existing.provider_memberships):
        raise DomainError("This person is already on your staff", field="email")
    if existing is not None and organisation is None and _already_has(existing, new.role, hub, body):
        raise DomainError("This person already has that role", field="email")

    now = utcnow()
    same_hub = Invitation.hub_id == hub.id if hub else Invitation.hub_id.is_(None)
    same_body = Invitation.funding_body_id == body.id if body else Invitation.funding_body_id.is_(None)
    same_organisation = (Invitation.provider_organisation_id == organisation.id if organisation
                         else Invitation.provider_organisation_id.is_(None))
    for old in db.session.scalars(
        select(Invitation).where(
            Invitation.email == email, Invitation.role == new.role, same_hub, same_body, same_organisation,
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
        )
    ):
        old.revoked_at = now  # only the newest link works

    raw, token_hash = new_token()
    days = current_app.config["INVITATION_DAYS"]
    invitation = Invitation(
        email=email, name=new.name.strip(), role=new.role, hub=hub, funding_body=body,
        provider_organisation=organisation,
        invited_by_id=actor.id, token_hash=token_hash, created_at=now, expires_at=now + timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    send_template_email(
        email, f"You are invited to join OurChoice as {_role_phrase(new.role)}", "email/invitation.txt",
        kind=INVITATIONS.key, user=existing, invitation=invitation, role_phrase=_role_phrase(new.role),
        inviter=actor.name, days=days, link=external_url("invitations.accept", token=raw),
    )
    audit.record("invitation.sent", actor=actor, obj=invitation, role=new.role.value,
                 hub_id=getattr(hub, "id", None), funding_body_id=getattr(body, "id", None),
                 provider_organisation_id=getattr(organisation, "id", None))
    db.session.commit()
    return invitation


def _role_phrase(role: Role) -> str:
    return {
        Role.HUB_LEAD: "a hub lead",
        Role.FUNDER_OFFICER: "a funder officer",
        Role.ADMIN: "a platform admin",
        Role.BROKER: "an associate broker",
        Role.PROVIDER_STAFF: "a member of staff",
    }.get(role, role.label.lower())


def _already_has(user: User, role: Role, hub: Hub | None, body: FundingBody | None) -> bool:
    if role == Role.ADMIN:
        return user.is_platform_admin
    if role == Role.HUB_LEAD:
        return any(m.hub_id == hub.id for m in user.hub_lead_memberships)
    if role == Role.FUNDER_OFFICER:
        return any(m.funding_body_id == body.id for m in user.funder_memberships)
    if role == Role.BROKER:
        return user.broker_profile is not None and user.broker_profile.hub_id is not None
    return False


def find_valid(raw: str) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(raw or "")))
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
    if find_by_email(invitation.email) is not None:
        raise InvitationInvalid("There is already an account with this email address. Sign in to accept the invitation.")
    check_new_password(password, email=invitation.email, name=name)
    user = User(email=invitation.email, name=name.strip(), password_hash=hash_password(password),
                email_verified_at=utcnow())
    db.session.add(user)
    db.session.flush()
    _grant(invitation, user)
    db.session.commit()
    return user


def accept_as(raw: str, user: User) -> Invitation:
    invitation = find_valid(raw)
    if normalise_email(user.email) != invitation.email:
        raise InvitationInvalid(
            f"This invitation is for {invitation.email}. Sign out and sign in with that address to accept it."
        )
    _grant(invitation, user)
    db.session.commit()
    return invitation


def _grant(invitation: Invitation, user: User) -> None:
    role = invitation.role
    if role == Role.HUB_LEAD:
        if not any(m.hub_id == invitation.hub_id for m in user.hub_lead_memberships):
            db.session.add(HubLead(hub_id=invitation.hub_id, user=user))
    elif role == Role.FUNDER_OFFICER:
        if not any(m.funding_body_id == invitation.funding_body_id for m in user.funder_memberships):
            db.session.add(FundingOfficer(funding_body_id=invitation.funding_body_id, user=user))
    elif role == Role.ADMIN:
        user.is_platform_admin = True
    elif role == Role.PROVIDER_STAFF:
        from app.providers.models import ProviderStaff

        if not any(m.organisation_id == invitation.provider_organisation_id for m in user.provider_memberships):
            db.session.add(ProviderStaff(organisation_id=invitation.provider_organisation_id, user=user))
    elif role == Role.BROKER:
        profile = user.broker_profile
        if profile is None:
            db.session.add(BrokerProfile(user=user, hub_id=invitation.hub_id))
        elif profile.hub_id in (None, invitation.hub_id):
            profile.hub_id = invitation.hub_id
        else:
            raise InvitationInvalid("You are already an associate broker in another hub.")
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    audit.record("invitation.accepted", actor=user, obj=invitation, role=role.value)
    notify(invitation.invited_by, INVITATIONS.key, f"{user.name} accepted your invitation",
           f"{user.name} is now {_role_phrase(role)} ({invitation.where}).")


def revoke(actor: User, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not can_invite(actor, invitation.role, invitation.hub_id,
                                                invitation.provider_organisation_id):
        raise NotFound()
    if invitation.status(utcnow()) != "pending":
        raise DomainError("Only a pending invitation can be withdrawn")
    invitation.revoked_at = utcnow()
    audit.record("invitation.withdrawn", actor=actor, obj=invitation)
    db.session.commit()
    return invitation


def list_visible(actor: User, *, hub_id: int | None = None, page: int = 1):
    """Invitations the actor may see: all for admins, their hubs' broker invitations for leads."""
    query = select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    if not p.IsAdmin(actor):
        hub_ids = [m.hub_id for m in actor.hub_lead_memberships]
        query = query.where(Invitation.role == Role.BROKER, Invitation.hub_id.in_(hub_ids))
    if hub_id is not None:
        query = query.where(Invitation.hub_id == hub_id)
    return paginate(query, page=page, per_page=50)


def for_organisation(organisation_id: int) -> list[Invitation]:
    """Staff invitations of one provider organisation (callers check the user belongs to it)."""
    return list(db.session.scalars(select(Invitation).where(
        Invitation.provider_organisation_id == organisation_id).order_by(Invitation.created_at.desc())))
