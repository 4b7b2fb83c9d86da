"""The hub lead's dashboard: what is waiting in the hubs they lead, and the links to their
pages (listed once, in `app/hubs/navigation.py`)."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_login import current_user

from app.brokers import services as brokers
from app.core.permissions import IsHubLead, require
from app.directory import services as directory
from app.engagements import services as engagements
from app.home import bp
from app.hubs.navigation import HUB_LEAD_PAGES
from app.hubs.policies import hubs_led_by


def waiting_for_hub_lead(user: Any) -> dict[str, Any]:
    """The brokers whose applications wait for a check, and a count beside each page's link."""
    applicants = brokers.hub_brokers(user)
    band_changes = [change for change in engagements.hub_band_changes(user) if change.is_pending]
    reviews = [review for review in engagements.hub_reviews(user)
               if review.is_waiting or review.reply_is_waiting]
    active = [engagement for engagement in engagements.hub_engagements(user) if engagement.is_active]
    suggestions = len(directory.suggestions_for(user))
    return {
        "to_check": [broker for broker in applicants if any(v.is_waiting for v in broker.verifications)],
        "applying": [broker for broker in applicants if broker.is_draft],
        "counts": {
            "engagements.hub_band_changes": f"{len(band_changes)} waiting",
            "engagements.hub_reviews": f"{len(reviews)} waiting",
            "engagements.hub_engagements": f"{len(active)} active",
            "directory.hub_index": f"{suggestions} waiting" if suggestions else "",
        },
    }


@bp.get("/hub")
@require(IsHubLead)
def hub_dashboard():
    pages = [page for page in HUB_LEAD_PAGES if page.endpoint in current_app.view_functions]
    return render_template("home/hub_dashboard.html", hubs=hubs_led_by(current_user), pages=pages,
                           **waiting_for_hub_lead(current_user))
