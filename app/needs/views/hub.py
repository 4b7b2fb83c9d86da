"""The hub lead's gaps: needs nobody could meet, the hub's response, and closing a gap."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.core.flows import row_form, row_forms, submit
from app.core.permissions import IsHubLead, require
from app.needs import services
from app.needs.forms import GapClosingForm
from app.needs.views import bp


def _gaps_page(failed: GapClosingForm | None = None, failed_gap_id: int | None = None):
    items = services.hub_gaps(current_user)
    forms = row_forms(GapClosingForm, "g", items, failed, failed_gap_id)
    return render_template("needs/hub_gaps.html", gaps=items, forms=forms, failed=failed), 400 if failed else 200


@bp.get("/hub/gaps")
@require(IsHubLead)
def hub_gaps():
    return _gaps_page()


@bp.post("/hub/gaps/<int:gap_id>")
@require(IsHubLead)
def respond_gap(gap_id: int):
    form = row_form(GapClosingForm, "g", gap_id)
    closing = bool(form.close.data)
    answer = services.close_gap if closing else services.respond
    if submit(form, lambda: answer(current_user, gap_id, form.response.data or "")):
        flash("Gap closed. The broker has been told what was done." if closing
              else "Response saved. The broker has been told.", "success")
        return redirect(url_for("needs.hub_gaps"))
    return _gaps_page(form, gap_id)
