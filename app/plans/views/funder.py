"""The funder officer sets their body's indicative budget for a person it funds."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.money import format_pence
from app.core.permissions import IsFunderOfficer, require
from app.plans import services
from app.plans.forms import BudgetForm
from app.plans.views import bp


@bp.route("/funder/people/<int:holder_id>/bodies/<int:body_id>/budget", methods=["GET", "POST"])
@require(IsFunderOfficer)
def budget(holder_id: int, body_id: int):
    holder = services.funded_person(current_user, holder_id, body_id)
    current = services.indicative_budget(holder.id, body_id)
    form = BudgetForm(data={"amount": current.amount_pence if current else None})
    if submit(form, lambda: services.set_indicative_budget(current_user, holder.id, body_id, form.amount.data)):
        flash(f"{holder.name}'s indicative budget is now {format_pence(form.amount.data)} a year.", "success")
        return redirect(url_for("money.funder_home", _anchor="people"))
    return form_page("plans/budget.html", form, holder=holder, current=current)
