"""What the broker listing shows of each broker's work with clients: how many clients they have
now, and their published reviews and ratings.

Those records belong to the engagements feature, which sits above this one. So brokers asks
through this small registry, and engagements fills it in from its own `subscribers.py` with
`provide(...)`; brokers never imports engagements. Until something provides them, a broker has
no clients and no reviews.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

ClientCounts = Callable[[Sequence[int]], dict[int, int]]
Ratings = Callable[[Sequence[int]], dict[int, tuple[float, int]]]
PublishedReviews = Callable[[Any], list[Any]]


@dataclass
class _Sources:
    client_counts: ClientCounts = lambda broker_ids: {}
    ratings: Ratings = lambda broker_ids: {}
    reviews: PublishedReviews = lambda broker: []


_sources = _Sources()


def provide(*, client_counts: ClientCounts | None = None, ratings: Ratings | None = None,
            reviews: PublishedReviews | None = None) -> None:
    """Called once by the feature that keeps engagements and reviews."""
    if client_counts is not None:
        _sources.client_counts = client_counts
    if ratings is not None:
        _sources.ratings = ratings
    if reviews is not None:
        _sources.reviews = reviews


def active_client_counts(broker_ids: Sequence[int]) -> dict[int, int]:
    """broker id -> number of clients they work with now, for many brokers in one query."""
    if not broker_ids:
        return {}
    return _sources.client_counts(list(broker_ids))


def ratings(broker_ids: Sequence[int]) -> dict[int, tuple[float, int]]:
    """broker id -> (average published rating, number of published reviews)."""
    if not broker_ids:
        return {}
    return _sources.ratings(list(broker_ids))


def published_reviews(broker: Any) -> list[Any]:
    """The broker's reviews that their hub lead published, newest first."""
    return _sources.reviews(broker)
