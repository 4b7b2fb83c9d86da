"""Scheduled work for needs (run by `flask scheduled run`, each task its own unit of work):
close needs whose deadline has passed, and flag needs still unfilled 3 days after publishing
as gaps."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.extensions import db
from app.needs.events import NEED_NEWS, event, tell_broker
from app.needs.gaps import record_for_need
from app.needs.models import GapReason, Need, NeedRecipient, NeedStatus

GAP_AFTER = timedelta(days=3)


def close_expired(now: datetime | None = None) -> int:
    """Open needs past their deadline close (the broker compares the offers). Returns how many."""
    now = now or utcnow()
    count = 0
    for need in db.session.scalars(select(Need).where(Need.status == NeedStatus.OPEN, Need.deadline_at <= now)
                                   .with_for_update(skip_locked=True)):
        need.status = NeedStatus.CLOSED
        offers = len(need.offers_made)
        event(need, "closed", offers=offers)
        tell_broker(need, NEED_NEWS.key, f"Offers closed for {need.holder.name}: {need.category.name}",
                    f"{offers} offer{'s' if offers != 1 else ''} to compare." if offers else
                    "No offers. You can re-open it with a new deadline, a higher rate or invited providers.",
                    path_for("needs.broker_need", need_id=need.id))
        count += 1
    return count


def flag_gaps(now: datetime | None = None) -> int:
    """Needs still unfilled 3 days after publishing become gaps (the hub is told). Returns how many.
    A need a broker is recording as a gap right now (locked) is left to them."""
    now = now or utcnow()
    count = 0
    for need in db.session.scalars(select(Need).where(
            Need.status.in_([NeedStatus.OPEN, NeedStatus.CLOSED]), Need.published_at <= now - GAP_AFTER,
            ~Need.gap.has()).with_for_update(skip_locked=True)):
        if record_for_need(need, GapReason.UNFILLED, now=now) is not None:
            count += 1
    return count


def recount_first_told() -> int:
    """Set every need's `first_told_at` again from the providers told (`need_recipients`), for
    the reports: the column is kept in step as providers are told, and this rebuilds it (after a
    restore or a bulk import). Returns how many needs changed."""
    first = (select(func.min(NeedRecipient.notified_at)).where(NeedRecipient.need_id == Need.id)
             .correlate(Need).scalar_subquery())
    result = db.session.execute(update(Need).where(Need.first_told_at.is_distinct_from(first))
                                .values(first_told_at=first).execution_options(synchronize_session=False))
    return result.rowcount or 0
