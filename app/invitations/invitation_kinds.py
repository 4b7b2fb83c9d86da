"""The invitations this feature grants itself, for roles of the features below it: hub lead,
funder officer and platform admin (all sent by a platform admin). Brokers and provider staff
register theirs in their own packages."""

from __future__ import annotations

from app.core.permissions import IsAdmin
from app.core.roles import Role
from app.extensions import db
from app.funders.models import FundingBody, FundingOfficer
from app.hubs.models import Hub, HubLead
from app.hubs.policies import leads_hub, led_hub_ids
from app.invitations.kinds import InvitationKind, Place, register_kind


def _admin_sends(user, invitation) -> bool:
    return IsAdmin(user)


def _lead_hub(invitation, user) -> None:
    if invitation.hub_id not in led_hub_ids(user):
        db.session.add(HubLead(hub_id=invitation.hub_id, user=user))


def _officer_of(user, body: FundingBody) -> bool:
    return any(m.funding_body_id == body.id for m in user.funder_memberships)


def _join_funding_body(invitation, user) -> None:
    if not _officer_of(user, invitation.funding_body):
        db.session.add(FundingOfficer(funding_body_id=invitation.funding_body_id, user=user))


def _is_admin(user, place) -> bool:
    return user.is_platform_admin


def _make_admin(invitation, user) -> None:
    user.is_platform_admin = True


register_kind(InvitationKind(
    role=Role.HUB_LEAD, phrase="a hub lead", may_send=_admin_sends, grant=_lead_hub,
    place=Place("hub", Hub, "Choose the hub"), already_has=lambda user, hub: leads_hub(user, hub.id)))
register_kind(InvitationKind(
    role=Role.FUNDER_OFFICER, phrase="a funder officer", may_send=_admin_sends, grant=_join_funding_body,
    place=Place("funding_body", FundingBody, "Choose the funding body"), already_has=_officer_of))
register_kind(InvitationKind(
    role=Role.ADMIN, phrase="a platform admin", may_send=_admin_sends, grant=_make_admin, already_has=_is_admin))
