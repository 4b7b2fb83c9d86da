"""The admin's search index page: its health, and rebuilding it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.admin import bp
from app.admin import services as admin
from app.core.flows import press
from app.core.forms import EmptyForm
from app.core.permissions import IsAdmin, require
from app.search import services as search


@bp.get("/search")
@require(IsAdmin)
def search_status():
    listings = search.listing_count()
    return render_template("admin/search.html", health=search.health(), backlog=search.backlog(),
                           location=search.location(), backend=search.backend_label(), form=EmptyForm(), listings=listings,
                           can_rebuild_here=search.can_rebuild_on_the_web(listings))


@bp.post("/search/rebuild")
@require(IsAdmin)
def search_rebuild():
    done = press(EmptyForm(), lambda: admin.rebuild_search_index(current_user))
    if done:
        flash(f"Search index rebuilt: {done.value} entries.", "success")
    return redirect(url_for("admin.search_status"))
