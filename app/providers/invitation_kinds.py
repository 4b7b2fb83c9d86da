"""What accepting an invitation to a provider's staff does: a place on the organisation's
staff. The person who manages the organisation's account sends them."""

from __future__ import annotations

from app.core.roles import Role
from app.extensions import db
from app.invitations.services import InvitationKind, Place, register_kind
from app.providers.models import ProviderOrganisation, ProviderStaff
from app.providers.policies import membership_of, works_for


def manages_organisation(user, invitation) -> bool:
    """The user manages (owns the account of) the organisation the invitation is to."""
    staff = membership_of(user, invitation.provider_organisation_id)
    return staff is not None and staff.is_owner


def _join_staff(invitation, user) -> None:
    if membership_of(user, invitation.provider_organisation_id) is None:
        db.session.add(ProviderStaff(organisation_id=invitation.provider_organisation_id, user=user))


register_kind(InvitationKind(
    role=Role.PROVIDER_STAFF, phrase="a member of staff", may_send=manages_organisation, grant=_join_staff,
    place=Place("provider_organisation", ProviderOrganisation, "Choose the organisation"),
    already_has=works_for, already_message="This person is already on your staff"))
