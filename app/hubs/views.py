"""Hub pages: the public list of hubs, and the platform admin's management of each hub.

Pages that read features above hubs live above them: a hub's public page (its brokers) and the
hub lead's dashboard in `app/home/`, creating a hub with its lead's invitation in `app/admin/`.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.permissions import IsAdmin, require
from app.hubs import services
from app.hubs.forms import HubForm, HubStatusForm
from app.hubs.models import HubStatus
from app.hubs.policies import hubs_led_by

bp = Blueprint("hubs", __name__)
bp.add_app_template_global(hubs_led_by, "hubs_led_by")  # templates ask the same one rule


@bp.get("/hubs")
def index():
    return render_template("hubs/index.html", hubs=services.public_hubs())


# --- Platform admin (creating a hub, which invites its lead, is in app/admin/hubs.py) ---------------


@bp.get("/admin/hubs")
@require(IsAdmin)
def admin_list():
    return render_template("hubs/admin/list.html", hubs=services.all_hubs())


@bp.get("/admin/hubs/<int:hub_id>")
@require(IsAdmin)
def admin_show(hub_id: int):
    hub = services.get_for_admin(current_user, hub_id)
    return render_template("hubs/admin/show.html", hub=hub, status_form=HubStatusForm(status=hub.status.value))


@bp.route("/admin/hubs/<int:hub_id>/edit", methods=["GET", "POST"])
@require(IsAdmin)
def admin_edit(hub_id: int):
    hub = services.get_for_admin(current_user, hub_id)
    form = HubForm(obj=hub) if request.method == "GET" else HubForm()
    if request.method == "GET":
        form.districts.data = ", ".join(hub.district_codes)
        form.monthly_fee.data, form.fee_per_new_client.data = hub.monthly_fee_pence, hub.fee_per_new_client_pence
    if submit(form, lambda: services.update_hub(current_user, hub.id, form.details())):
        flash("The hub's details have been saved.", "success")
        return redirect(url_for("hubs.admin_show", hub_id=hub.id))
    return form_page("hubs/admin/edit.html", form, hub=hub)


@bp.post("/admin/hubs/<int:hub_id>/status")
@require(IsAdmin)
def admin_status(hub_id: int):
    hub = services.get_for_admin(current_user, hub_id)
    form = HubStatusForm()
    if submit(form, lambda: services.change_status(current_user, hub.id, HubStatus(form.status.data),
                                                   form.reason.data or "")):
        flash(f"{hub.name} is now {hub.status.label.lower()}.", "success")
        return redirect(url_for("hubs.admin_show", hub_id=hub.id))
    return render_template("hubs/admin/show.html", hub=hub, status_form=form), 400
