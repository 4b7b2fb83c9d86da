"""Named rules about a person's money: who may see it, who may manage it, and what a funder
officer may see and do. Services check them; templates ask them by name.

- The person, and a helper who can act for them, manage the money (set up the company and
  streams, record receipts, approve and pay invoices). A helper who can only view sees it.
- A funder officer sees the streams their body funds (across the people it funds), with the
  figures and statements of those streams, and nothing else of the person's company. They
  confirm those streams and set their allocation and restrictions.
- The person sets the streams of funders outside the portal. A stream of a funding body in the
  portal is theirs to change only until the funder confirms it.
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import record_rule
from app.holders.policies import can_act_for, can_view


def officer_body_ids(user: Any) -> set[int]:
    """The funding bodies the user is an officer of."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {membership.funding_body_id for membership in user.funder_memberships}


@record_rule("view_money")
def can_view_money(user: Any, holder) -> bool:
    """The person and anyone helping them (either level)."""
    return can_view(user, holder)


@record_rule("manage_money")
def can_manage_money(user: Any, holder) -> bool:
    """The person, or a helper they allowed to act for them."""
    return can_act_for(user, holder)


@record_rule("funder_sees_stream")
def funder_sees_stream(user: Any, stream) -> bool:
    """An officer of the funding body that funds this stream."""
    return stream is not None and stream.funding_body_id is not None and stream.funding_body_id in officer_body_ids(user)


@record_rule("change_stream")
def person_changes_stream(user: Any, stream) -> bool:
    """The person (or a helper who can act) changes a stream of a funder outside the portal at any
    time, and one of a funder in the portal until that funder confirms it."""
    if stream is None or not can_act_for(user, stream.company.holder):
        return False
    return not stream.in_portal or not stream.is_confirmed
