"""The public page of a hub: where it works and its accredited brokers. It reads brokers, which
sit above hubs, so it lives here rather than in `app/hubs/` (the list of hubs stays there)."""

from __future__ import annotations

from flask import render_template

from app.brokers import services as brokers
from app.home import bp
from app.hubs import services as hubs


@bp.get("/hubs/<slug>")
def hub_page(slug: str):
    hub = hubs.hub_by_slug(slug)
    return render_template("home/hub_page.html", hub=hub, cards=brokers.hub_accredited(hub.id))
