"""What the platform admin sees of Stripe: every event received (or reading reconcile took) with
its outcome, newest first, and the payments flagged for them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.pagination import paginate
from app.extensions import db
from app.payments.card_models import CardCheckout, EventOutcome, StripeEvent


def stripe_events(*, page: int, flagged: bool = False, per_page: int = 50):
    query = select(StripeEvent).order_by(StripeEvent.received_at.desc(), StripeEvent.id)
    if flagged:
        query = query.where(StripeEvent.outcome == EventOutcome.FLAGGED)
    return paginate(query, page=page, per_page=per_page)


def stripe_event(event_id: str) -> StripeEvent | None:
    return db.session.get(StripeEvent, event_id)


def flagged_checkouts() -> list[CardCheckout]:
    return list(db.session.scalars(select(CardCheckout).where(CardCheckout.flagged_reason != "")
                                   .options(joinedload(CardCheckout.invoice))
                                   .order_by(CardCheckout.created_at.desc())))
