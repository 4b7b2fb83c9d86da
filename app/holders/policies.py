"""Named rules about a budget holder's records, used by the services and asked by templates as
`allowed("name", record)`; and `access()`, the one gate to those records.

The person owns their records. They may let a family member, friend or advocate view them
("can view") or also act for them ("can act"). Anyone else is told the records do not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.accounts.models import User
from app.core.errors import NotFound, PermissionDenied
from app.core.permissions import ensure, record_rule
from app.extensions import db
from app.holders.models import BudgetHolder, Delegation, DelegationStatus


@dataclass(frozen=True)
class HolderAccess:
    """What `user` may do with `holder`'s records (what `access()` found)."""

    holder: BudgetHolder
    user: User
    is_self: bool
    can_act: bool

    @property
    def acting_for_someone(self) -> bool:
        return not self.is_self

    @property
    def on_behalf_of(self) -> User | None:
        """For the audit log: the person a helper acted for (None when they act for themselves)."""
        return None if self.is_self else self.holder.user


def is_the_person(user: Any, holder: BudgetHolder | None) -> bool:
    """The record is the user's own."""
    return holder is not None and holder.user_id is not None and holder.user_id == user.id


def active_delegation(user: Any, holder: BudgetHolder) -> Delegation | None:
    """The user's current permission to help this person, if they have one."""
    return db.session.scalar(
        select(Delegation).where(
            Delegation.holder_id == holder.id, Delegation.user_id == user.id,
            Delegation.status == DelegationStatus.ACTIVE,
        )
    )


@record_rule("view_holder")
def can_view(user: Any, holder: BudgetHolder | None) -> bool:
    """The person themselves, or someone they allowed to help them (either level)."""
    if holder is None or not holder.is_open:
        return False
    return is_the_person(user, holder) or active_delegation(user, holder) is not None


@record_rule("act_for_holder")
def can_act_for(user: Any, holder: BudgetHolder | None) -> bool:
    """The person themselves, or a helper they allowed to act for them (not only to view)."""
    if holder is None or not holder.is_open:
        return False
    if is_the_person(user, holder):
        return True
    delegation = active_delegation(user, holder)
    return delegation is not None and delegation.can_act


@record_rule("choose_helpers")
def can_choose_helpers(user: Any, holder: BudgetHolder | None) -> bool:
    """Only the person themselves chooses who helps them."""
    return holder is not None and holder.is_open and is_the_person(user, holder)


def stops_access(user: Any, delegation: Delegation) -> bool:
    """The person can stop anyone's access to their records; a helper can stop their own."""
    return is_the_person(user, delegation.holder) or delegation.user_id == user.id


@record_rule("stop_helper")
def can_stop_helper(user: Any, delegation: Delegation | None) -> bool:
    """Access not yet stopped, which this user may stop."""
    return delegation is not None and not delegation.is_revoked and stops_access(user, delegation)


def access(user: Any, holder_id: int, *, act: bool = False) -> HolderAccess:
    """The user's access to a budget holder's records. Strangers get NotFound; someone who
    may only view gets PermissionDenied when they try to act."""
    holder = db.session.get(BudgetHolder, holder_id)
    ensure(can_view, user, holder)
    if is_the_person(user, holder):
        return HolderAccess(holder, user, is_self=True, can_act=True)
    result = HolderAccess(holder, user, is_self=False, can_act=can_act_for(user, holder))
    if act and not result.can_act:
        raise PermissionDenied(f"You can view {holder.name}'s records but not act for them.")
    return result


def helper_of(acting: HolderAccess, delegation_id: int) -> Delegation:
    """One of the helpers of the person being acted for (404 for anyone else's)."""
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.holder_id != acting.holder.id:
        raise NotFound()
    return delegation
