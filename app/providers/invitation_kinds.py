"""What accepting an invitation to a provider's staff does: a place on the organisation's
staff. The person who manages the organisation's account sends them."""

from __future__ import annotations

from app.core.roles import Role
from app.extensions import db
from app.invitations.services import InvitationKind, Place, register_kind
from app.providers.models import ProviderOrganisation, ProviderStaff


def manages_organisation(user, invitation) -> bool:
    """The user manages (owns the account of) the organisation the invitation is to."""
    organisation_id = invitation.provider_organisation_id
    return organisation_id is not None and any(
        m.organisation_id == organisation_id and m.is_owner for m in user.provider_memberships)


def _on_staff(user, organisation: ProviderOrganisation) -> bool:
    return any(m.organisation_id == organisation.id for m in user.provider_memberships)


def _join_staff(invitation, user) -> None:
    if not any(m.organisation_id == invitation.provider_organisation_id for m in user.provider_memberships):
        db.session.add(ProviderStaff(organisation_id=invitation.provider_organisation_id, user=user))


register_kind(InvitationKind(
    role=Role.PROVIDER_STAFF, phrase="a member of staff", may_send=manages_organisation, grant=_join_staff,
    place=Place("provider_organisation", ProviderOrganisation, "Choose the organisation"),
    already_has=_on_staff, already_message="This person is already on your staff"))
