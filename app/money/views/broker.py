"""A broker's view of a client's budget summary: only while they work together and the person has
said the broker may see it."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.core.permissions import IsBroker, require
from app.engagements import services as engagements
from app.money import services
from app.money.views import bp


@bp.get("/broker/clients/<int:engagement_id>/budget")
@require(IsBroker)
def broker_budget(engagement_id: int):
    streams = services.broker_budget(current_user, engagement_id)
    engagement = engagements.broker_engagement(current_user, engagement_id, audit_view=False)
    return render_template("money/broker_budget.html", streams=streams, engagement=engagement)
