"""Named rules about invitations: who may send one, and who may withdraw it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from app.core.permissions import IsAdmin, record_rule
from app.core.roles import Role
from app.hubs.policies import led_hub_ids
from app.invitations.kinds import kind_of
from app.invitations.models import Invitation


@record_rule("send_invitation")
def may_send(user: Any, invitation: Any) -> bool:
    """The user may send this invitation (an `Invitation` or a `NewInvitation`): its kind says who
    may (admins for hub leads, funder officers and admins; admins and the hub's lead for brokers;
    the organisation's manager for provider staff)."""
    kind = kind_of(invitation.role) if invitation is not None else None
    return kind is not None and bool(kind.may_send(user, invitation))


@record_rule("withdraw_invitation")
def may_withdraw(user: Any, invitation: Invitation | None) -> bool:
    """A pending invitation, withdrawn by someone who may send it."""
    return invitation is not None and invitation.is_pending and may_send(user, invitation)


def visible_to(user: Any, query: Select) -> Select:
    """Invitations the user may see: all for an admin, their hubs' broker invitations for a lead."""
    if IsAdmin(user):
        return query
    return query.where(Invitation.role == Role.BROKER, Invitation.hub_id.in_(led_hub_ids(user)))
