"""What engagements add to brokers' search documents: the rating from published reviews, and
which changes affect a broker's document (a review, or an engagement starting or ending, which
changes the places the broker has left)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.engagements.models import Engagement, Review, ReviewStatus
from app.extensions import db
from app.search import services as search

BROKER = "broker"


def broker_rating(broker_id: int) -> search.Rating:
    """The average published rating (one decimal place) and how many reviews are published."""
    average, count = db.session.execute(
        select(func.avg(Review.rating), func.count()).where(
            Review.broker_id == broker_id, Review.status == ReviewStatus.PUBLISHED)).one()
    return (round(float(average), 1), count) if count else (None, 0)


search.rates(BROKER, broker_rating)
for _part in (Review, Engagement):
    search.affects(_part, lambda row: search.doc_ids(BROKER, row.broker_id))
