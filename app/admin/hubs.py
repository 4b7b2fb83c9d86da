"""Creating a hub, which invites its lead: two features' services in the request's one unit of
work, so it sits above both. The pages that manage an existing hub are in `app/hubs/views.py`."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from app.admin import bp
from app.admin import services as admin
from app.core.flows import form_page, submit
from app.core.permissions import IsAdmin, require
from app.hubs.forms import NewHubForm


@bp.route("/hubs/new", methods=["GET", "POST"])
@require(IsAdmin)
def hub_new():
    form = NewHubForm()
    done = submit(form, lambda: admin.create_hub_with_lead(current_user, form.details(), form.lead_name.data,
                                                           form.lead_email.data))
    if done:
        flash(f"{done.value.name} has been created and {form.lead_email.data} has been invited to lead it.", "success")
        return redirect(url_for("hubs.admin_show", hub_id=done.value.id))
    return form_page("admin/hub_new.html", form)
