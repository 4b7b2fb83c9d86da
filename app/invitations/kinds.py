"""The kinds of invitation, one per role that cannot be self-registered, and what each does.

Invitations know only how a link is sent, checked and accepted. What accepting one grants (a
hub lead's membership, a broker profile, a place on a provider's staff...), who may send it and
which record it is to are registered by the feature that owns the role, in its own
`invitation_kinds.py` (imported at startup):

    register_kind(InvitationKind(
        role=Role.BROKER, phrase="an associate broker", may_send=may_invite_brokers,
        grant=join_hub, place=Place("hub", Hub, "Choose the hub"), already_has=has_a_hub))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.roles import Role

# The columns of `Invitation` that can hold the record an invitation is to.
PLACE_COLUMNS = ("hub_id", "funding_body_id", "provider_organisation_id")


class InvitationInvalid(Exception):
    """The link cannot be used (unknown, used, withdrawn, expired, or for someone else): the
    invitation page shows the message on its own, not beside a field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Place:
    """The record an invitation is to: `relation` names the relationship on `Invitation`
    (its column is `<relation>_id`), `missing` is said when none was chosen."""

    relation: str
    model: type
    missing: str

    @property
    def column(self) -> str:
        return f"{self.relation}_id"


def _nobody(user: Any, place: Any) -> bool:
    return False


@dataclass(frozen=True)
class InvitationKind:
    """What an invitation to `role` is.

    `may_send(actor, invitation)` says who may send it (and so withdraw it); `invitation` is an
    `Invitation` or a `NewInvitation` (both have `role` and the place columns). `grant(invitation,
    user)` does what accepting it does, raising `InvitationInvalid` to refuse. `already_has(user,
    place)` is true when the person already has what it would give them."""

    role: Role
    phrase: str  # "a hub lead": in the email and in the inviter's notification
    may_send: Callable[[Any, Any], bool]
    grant: Callable[[Any, Any], None]
    place: Place | None = None
    already_has: Callable[[Any, Any], bool] = _nobody
    already_message: str = "This person already has that role"


_KINDS: dict[Role, InvitationKind] = {}


def register_kind(kind: InvitationKind) -> InvitationKind:
    """Say what an invitation to `kind.role` does (a feature calls this once, at startup)."""
    _KINDS[kind.role] = kind
    return kind


def kind_of(role: Role) -> InvitationKind | None:
    """The registered kind for this role, or None when nobody may be invited to it."""
    return _KINDS.get(role)
