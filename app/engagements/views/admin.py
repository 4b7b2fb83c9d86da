"""Platform admin: brokerage bands and their hours."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.permissions import IsAdmin, require
from app.engagements import bands
from app.engagements.forms import BandForm
from app.engagements.views import bp


@bp.get("/admin/bands")
@require(IsAdmin)
def admin_bands():
    return render_template("engagements/admin_bands.html", bands=bands.all_bands())


def _band_form(band) -> BandForm:
    if request.method != "GET" or band is None:
        return BandForm()
    form = BandForm(obj=band)
    form.active.data = "yes" if band.active else "no"
    form.hours.data = band.hours
    return form


@bp.route("/admin/bands/new", methods=["GET", "POST"], defaults={"band_id": None})
@bp.route("/admin/bands/<int:band_id>", methods=["GET", "POST"])
@require(IsAdmin)
def admin_band(band_id: int | None):
    band = bands.get(current_user, band_id) if band_id else None
    form = _band_form(band)
    done = submit(form, lambda: bands.save(current_user, band, code=form.code.data, name=form.name.data,
                                           hours=form.hours.data, description=form.description.data or "",
                                           active=form.active.data == "yes"))
    if done:
        flash(f"{done.value.label} saved.", "success")
        return redirect(url_for("engagements.admin_bands"))
    return form_page("engagements/admin_band.html", form, band=band)
