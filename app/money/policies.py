"""Named rules about seeing the money: a broker sees a client's budget summary only while they
work together and the person's recorded consent for this broker stands (they can withdraw it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.permissions import record_rule
from app.extensions import db
from app.holders.models import Consent

SHARE_BUDGET = "share_budget_with_broker"


def current_budget_consent(holder) -> Consent | None:
    """The person's consent, not withdrawn, for their broker to see the budget (None: there is none)."""
    return db.session.scalar(select(Consent).where(Consent.holder_id == holder.id, Consent.purpose == SHARE_BUDGET,
                                                   Consent.withdrawn_at.is_(None)).order_by(Consent.id.desc()))


@record_rule("see_client_budget")
def broker_sees_budget(user: Any, engagement) -> bool:
    """The engagement's broker, while it is active, with the person's consent for them, given
    since the engagement began."""
    if engagement is None or not engagement.is_active or getattr(user, "broker_profile", None) is None:
        return False
    if engagement.broker_id != user.broker_profile.id:
        return False
    consent = current_budget_consent(engagement.holder)
    return consent is not None and consent.broker_id == engagement.broker_id and consent.given_at >= engagement.started_at
