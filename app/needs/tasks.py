"""Scheduled work for needs (run by `flask scheduled run`): close needs whose deadline has
passed, flag needs still unfilled 3 days after publishing as gaps, and remind providers whose
spare capacity is out of date."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.timeutil import utcnow
from app.core.urls import path_for
from app.extensions import db
from app.needs.events import NEED_NEWS, event, tell_broker
from app.needs.models import Gap, GapReason, Need, NeedStatus, OfferStatus
from app.needs.posting import _tell_hub

GAP_AFTER = timedelta(days=3)


def close_expired(now: datetime | None = None) -> int:
    now = now or utcnow()
    count = 0
    for need in db.session.scalars(select(Need).where(Need.status == NeedStatus.OPEN, Need.deadline_at <= now)
                                   .with_for_update(skip_locked=True)):
        need.status = NeedStatus.CLOSED
        offers = sum(1 for o in need.offers if o.status != OfferStatus.WITHDRAWN)
        event(need, "closed", offers=offers)
        tell_broker(need, NEED_NEWS.key, f"Offers closed for {need.holder.name}: {need.category.name}",
                    f"{offers} offer{'s' if offers != 1 else ''} to compare." if offers else
                    "No offers. You can re-open it with a new deadline, a higher rate or invited providers.",
                    path_for("needs.broker_need", need_id=need.id))
        count += 1
    db.session.commit()
    return count


def flag_gaps(now: datetime | None = None) -> int:
    now = now or utcnow()
    count = 0
    for need in db.session.scalars(select(Need).where(
            Need.status.in_([NeedStatus.OPEN, NeedStatus.CLOSED]), Need.published_at <= now - GAP_AFTER,
            ~Need.gap.has())):
        gap = Gap(need=need, reason=GapReason.UNFILLED, flagged_at=now)
        db.session.add(gap)
        db.session.flush()
        event(need, "gap", reason=GapReason.UNFILLED.value)
        _tell_hub(need, gap)
        count += 1
    db.session.commit()
    return count
