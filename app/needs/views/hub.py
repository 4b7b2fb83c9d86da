"""The hub lead's gaps: needs nobody could meet, and the hub's response."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.core.errors import DomainError
from app.core.permissions import IsHubLead, require
from app.needs import gaps
from app.needs.forms import GapResponseForm
from app.needs.views import bp


@bp.get("/hub/gaps")
@require(IsHubLead)
def hub_gaps():
    items = gaps.hub_gaps(current_user)
    return render_template("needs/hub_gaps.html", gaps=items,
                           forms={g.id: GapResponseForm(formdata=None, prefix=f"g{g.id}") for g in items})


@bp.post("/hub/gaps/<int:gap_id>")
@require(IsHubLead)
def respond_gap(gap_id: int):
    form = GapResponseForm(prefix=f"g{gap_id}")
    if form.validate_on_submit():
        try:
            gaps.respond(current_user, gap_id, form.response.data)
        except DomainError as error:
            form.response.errors = [error.message]
        else:
            flash("Response saved. The broker has been told.", "success")
            return redirect(url_for("needs.hub_gaps"))
    items = gaps.hub_gaps(current_user)
    forms = {g.id: GapResponseForm(formdata=None, prefix=f"g{g.id}") for g in items}
    forms[gap_id] = form
    return render_template("needs/hub_gaps.html", gaps=items, forms=forms, failed=form), 400
