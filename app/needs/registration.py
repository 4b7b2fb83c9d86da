"""What needs registers into lower features at start-up: the needs a broker's client record
lists (engagements asks through `provide_client_needs`, since it cannot import needs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.urls import path_for
from app.engagements.models import Engagement
from app.engagements.services import ClientNeed, provide_client_needs
from app.extensions import db
from app.needs import policies
from app.needs.models import Need


def _client_needs(user: Any, engagement: Engagement) -> list[ClientNeed]:
    """Every need of the engagement's client (drafts included), newest first, if the user manages
    them: the person's current broker manages all their needs, so one need answers for all."""
    needs = list(db.session.scalars(
        select(Need).where(Need.holder_id == engagement.holder_id).options(selectinload(Need.category))
        .order_by(Need.created_at.desc(), Need.id.desc())))
    if not needs or not policies.manages_need(user, needs[0]):
        return []
    return [ClientNeed(category=need.category.name, district=need.district, status=need.status.label,
                       minutes_per_week=need.minutes_per_week,
                       start_date=need.start_date, href=path_for("needs.broker_need", need_id=need.id))
            for need in needs]


provide_client_needs(_client_needs)
