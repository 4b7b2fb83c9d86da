"""The admin's funding bodies: councils and health bodies whose officers use OurChoice."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.admin import bp
from app.admin.forms import FundingBodyForm
from app.core.flows import form_page, submit
from app.core.permissions import IsAdmin, require
from app.funders import services as funders


@bp.get("/funding-bodies")
@require(IsAdmin)
def funding_bodies():
    return render_template("admin/funding_bodies.html", bodies=funders.all_bodies())


@bp.route("/funding-bodies/new", methods=["GET", "POST"])
@require(IsAdmin)
def funding_body_new():
    form = FundingBodyForm()
    done = submit(form, lambda: funders.create(current_user, form.name.data, form.kind.data))
    if done:
        flash(f"{done.value.name} has been added.", "success")
        return redirect(url_for("admin.funding_bodies"))
    return form_page("admin/funding_body_new.html", form)
