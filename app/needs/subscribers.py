"""Needs' reactions to other features: an account closing, and a new broker starting with a person."""

from __future__ import annotations

from sqlalchemy import update

from app.accounts.signals import account_closing, closing_summary
from app.engagements.services import engagement_started
from app.extensions import db
from app.needs import agreements, posting
from app.needs.models import Need, NeedStatus


@account_closing.connect
def _person_leaving(user, now, **_):
    """A closing budget holder's open needs are withdrawn (providers told), their agreements end
    (providers told) and the private details of every need are erased."""
    holder = user.budget_holder
    if holder is not None:
        told = agreements.end_all_for_person_leaving(holder.id, user)
        posting.withdraw_all_for_person_leaving(holder.id, user, already_told=told)


@engagement_started.connect
def _new_broker_takes_over(engagement, **_):
    """The person's unfinished needs now belong to the broker who works with them, so gaps are
    routed to that broker's hub and the needs appear on their lists."""
    db.session.execute(update(Need).where(Need.holder_id == engagement.holder_id,
                                          Need.status != NeedStatus.WITHDRAWN)
                       .values(broker_id=engagement.broker_id).execution_options(synchronize_session="fetch"))


@closing_summary.connect
def _what_happens_to_needs(user, **_):
    holder = user.budget_holder
    if holder is None:
        return []
    lines = [f"your support from {a.organisation.name} ({a.need.category.name.lower()}) ends in OurChoice today, "
             "and they are told" for a in agreements.still_running_for(holder.id)]
    unfilled = posting.unfilled_count(holder.id)
    if unfilled:
        lines.append(f"{unfilled} need{'s' if unfilled != 1 else ''} not yet filled "
                     f"{'are' if unfilled != 1 else 'is'} withdrawn, and the providers are told")
    lines.append("the private details you shared for your needs (health, medication, address, getting in) are deleted")
    return lines
