"""What accepting an invitation to be an associate broker does: a broker profile in the hub
(the person then fills in their application, which the hub lead checks)."""

from __future__ import annotations

from app.brokers.models import BrokerProfile
from app.core.permissions import IsAdmin, IsHubLead
from app.core.roles import Role
from app.extensions import db
from app.hubs.models import Hub
from app.hubs.policies import leads_hub
from app.invitations.services import InvitationInvalid, InvitationKind, Place, register_kind


def may_invite_broker(user, invitation) -> bool:
    """A platform admin invites brokers to any hub; a hub lead to the hubs they lead."""
    return IsAdmin(user) or (IsHubLead(user) and leads_hub(user, invitation.hub_id))


def _has_a_hub(user, hub: Hub) -> bool:
    return user.broker_profile is not None and user.broker_profile.hub_id is not None


def _join_hub(invitation, user) -> None:
    profile = user.broker_profile
    if profile is None:
        db.session.add(BrokerProfile(user=user, hub_id=invitation.hub_id))
    elif profile.hub_id in (None, invitation.hub_id):
        profile.hub_id = invitation.hub_id
    else:
        raise InvitationInvalid("You are already an associate broker in another hub.")


register_kind(InvitationKind(
    role=Role.BROKER, phrase="an associate broker", may_send=may_invite_broker, grant=_join_hub,
    place=Place("hub", Hub, "Choose the hub"), already_has=_has_a_hub))
