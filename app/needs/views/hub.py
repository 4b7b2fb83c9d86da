"""The hub lead's gaps: needs nobody could meet, and the hub's response."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.core.flows import row_form, row_forms, submit
from app.core.permissions import IsHubLead, require
from app.needs import services
from app.needs.forms import GapResponseForm
from app.needs.views import bp


def _gaps_page(failed: GapResponseForm | None = None, failed_gap_id: int | None = None):
    items = services.hub_gaps(current_user)
    forms = row_forms(GapResponseForm, "g", items, failed, failed_gap_id)
    return render_template("needs/hub_gaps.html", gaps=items, forms=forms, failed=failed), 400 if failed else 200


@bp.get("/hub/gaps")
@require(IsHubLead)
def hub_gaps():
    return _gaps_page()


@bp.post("/hub/gaps/<int:gap_id>")
@require(IsHubLead)
def respond_gap(gap_id: int):
    form = row_form(GapResponseForm, "g", gap_id)
    if submit(form, lambda: services.respond(current_user, gap_id, form.response.data)):
        flash("Response saved. The broker has been told.", "success")
        return redirect(url_for("needs.hub_gaps"))
    return _gaps_page(form, gap_id)
