"""Named rules about requests, engagements, band changes and reviews: who may see or do what
with each record. Services check them (`ensure(rule, user, record)`: refused is 404, so a
guessed address does not reveal that a record exists) and templates ask them by name
(`allowed("answer_request", req)`), so no page works a rule out again from a status.

A broker's side is decided by whose broker profile a record names, a hub lead's by the hub of
that broker (`app.hubs.policies`), a budget holder's by the `HolderAccess` the holders feature
gave (the person, or someone they let act for them).
"""

from __future__ import annotations

from typing import Any

from app.brokers.services import checks_broker, is_the_broker
from app.core.permissions import record_rule
from app.engagements.models import BandChangeRequest, BrokerRequest, Engagement, Review
from app.holders.services import HolderAccess


def belongs_to(acting: HolderAccess, record: Any) -> bool:
    """A request or engagement is the person's own (whoever acts for them)."""
    return record is not None and record.holder_id == acting.holder.id


# --- The broker ----------------------------------------------------------------------------------


@record_rule("see_request")
def sees_request(user: Any, request: BrokerRequest | None) -> bool:
    """A request was sent to this broker."""
    return request is not None and is_the_broker(user, request.broker)


@record_rule("answer_request")
def can_answer_request(user: Any, request: BrokerRequest | None) -> bool:
    """The broker a request was sent to may accept or decline it while it waits."""
    return sees_request(user, request) and request.is_pending


@record_rule("see_client_record")
def works_with(user: Any, engagement: Engagement | None) -> bool:
    """The broker of an engagement (active or ended) sees that client record."""
    return engagement is not None and is_the_broker(user, engagement.broker)


@record_rule("see_own_review")
def sees_own_review(user: Any, review: Review | None) -> bool:
    """The broker reviewed sees a review of theirs once it is published."""
    return review is not None and is_the_broker(user, review.broker) and review.is_published


@record_rule("reply_to_review")
def can_reply(user: Any, review: Review | None) -> bool:
    """The broker reviewed may reply once to a published review (again if the reply was refused)."""
    return sees_own_review(user, review) and review.can_reply


# --- The hub lead --------------------------------------------------------------------------------


@record_rule("oversee_engagement")
def oversees(user: Any, engagement: Engagement | None) -> bool:
    """The lead of the broker's hub oversees the engagement."""
    return engagement is not None and checks_broker(user, engagement.broker)


@record_rule("see_band_change")
def sees_band_change(user: Any, change: BandChangeRequest | None) -> bool:
    return change is not None and oversees(user, change.engagement)


@record_rule("decide_band_change")
def can_decide_band_change(user: Any, change: BandChangeRequest | None) -> bool:
    """The lead of the broker's hub decides a band change that waits."""
    return sees_band_change(user, change) and change.is_pending


@record_rule("see_review_as_lead")
def checks_reviews_of(user: Any, review: Review | None) -> bool:
    """The lead of the broker's hub checks the broker's reviews and replies."""
    return review is not None and checks_broker(user, review.broker)


@record_rule("moderate_review")
def can_moderate_review(user: Any, review: Review | None) -> bool:
    return checks_reviews_of(user, review) and review.is_waiting


@record_rule("moderate_reply")
def can_moderate_reply(user: Any, review: Review | None) -> bool:
    return checks_reviews_of(user, review) and review.reply_is_waiting
