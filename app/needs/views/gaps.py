"""The broker's gaps: the ones they raised or were told about, with the hub's response, and
raising a gap that no posted need shows."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.permissions import IsBroker, require
from app.engagements import services as engagements
from app.needs import services
from app.needs.forms import RaiseGapForm
from app.needs.views import bp
from app.taxonomy.services import choices as category_choices


@bp.get("/broker/gaps")
@require(IsBroker)
def broker_gaps():
    return render_template("needs/broker_gaps.html", gaps=services.broker_gaps(current_user))


def _raise_form() -> RaiseGapForm:
    form = RaiseGapForm() if request.method == "POST" else RaiseGapForm(formdata=None)
    form.engagement_id.choices = [("", "Not about one client")] + [
        (engagement.id, engagement.holder.name) for engagement in engagements.broker_clients(current_user)]
    form.category_id.choices = [("", "Choose the kind of service")] + category_choices()
    return form


def _details(form: RaiseGapForm) -> services.GapDetails:
    return services.GapDetails(category_id=form.category_id.data, district=form.district.data or "",
                               needed=form.needed.data or "", happened=form.happened.data or "",
                               engagement_id=form.engagement_id.data)


@bp.route("/broker/gaps/new", methods=["GET", "POST"])
@require(IsBroker)
def new_gap():
    form = _raise_form()
    if submit(form, lambda: services.raise_gap_on_its_own(current_user, _details(form))):
        flash("Recorded as a gap. Your hub lead has been told, and you will hear what they do about it.", "success")
        return redirect(url_for("needs.broker_gaps"))
    return form_page("needs/broker_gap_new.html", form)
