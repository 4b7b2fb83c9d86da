"""Hub pages: public hub pages, the hub lead's dashboard, and the admin's hub management."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.brokers import application, listing
from app.core.errors import DomainError
from app.core.forms import apply_errors
from app.core.permissions import IsAdmin, IsHubLead, require
from app.engagements import reviews as review_service
from app.engagements import services as engagements
from app.hubs import services
from app.hubs.forms import HubForm, HubStatusForm, NewHubForm
from app.hubs.models import HubStatus

bp = Blueprint("hubs", __name__)


@bp.get("/hubs")
def index():
    return render_template("hubs/index.html", hubs=[h for h in services.all_hubs() if h.status != HubStatus.CLOSED])


@bp.get("/hubs/<slug>")
def show(slug: str):
    hub = services.hub_by_slug(slug)
    return render_template("hubs/show.html", hub=hub, cards=listing.hub_accredited(hub.id) if hub.is_active else [])


@bp.get("/hub")
@require(IsHubLead)
def dashboard():
    from app.brokers.models import BrokerStatus, VerificationStatus
    from app.directory import services as directory
    from app.engagements.models import BandChangeStatus, ReviewStatus

    brokers = application.hub_brokers(current_user)
    return render_template(
        "hubs/dashboard.html", hubs=current_user.led_hubs, brokers=brokers,
        to_check=[b for b in brokers if any(v.status == VerificationStatus.PENDING for v in b.verifications)],
        applying=[b for b in brokers if b.status == BrokerStatus.DRAFT],
        band_changes=[c for c in engagements.hub_band_changes(current_user) if c.status == BandChangeStatus.PENDING],
        reviews=[r for r in review_service.hub_reviews(current_user)
                 if ReviewStatus.PENDING in (r.status, r.reply_status)],
        engagements=[e for e in engagements.hub_engagements(current_user) if e.is_active],
        directory_waiting=len(directory.suggestions_for(current_user)),
    )


# --- Platform admin ---------------------------------------------------------------------------------


@bp.get("/admin/hubs")
@require(IsAdmin)
def admin_list():
    return render_template("hubs/admin/list.html", hubs=services.all_hubs())


def _details(form) -> services.HubDetails:
    return services.HubDetails(
        name=form.name.data, districts=form.districts.data, description=form.description.data or "",
        agreement_start=form.agreement_start.data, agreement_signed_on=form.agreement_signed_on.data,
        agreement_fee_arrangement=form.agreement_fee_arrangement.data or "",
        agreement_reference=form.agreement_reference.data or "",
    )


@bp.route("/admin/hubs/new", methods=["GET", "POST"])
@require(IsAdmin)
def admin_new():
    form = NewHubForm()
    if form.validate_on_submit():
        try:
            hub = services.create_hub(current_user, _details(form), form.lead_name.data, form.lead_email.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{hub.name} has been created and {form.lead_email.data} has been invited to lead it.", "success")
            return redirect(url_for("hubs.admin_show", hub_id=hub.id))
    return render_template("hubs/admin/new.html", form=form), 400 if form.errors else 200


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
    if form.validate_on_submit():
        try:
            services.update_hub(current_user, hub.id, _details(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("The hub's details have been saved.", "success")
            return redirect(url_for("hubs.admin_show", hub_id=hub.id))
    return render_template("hubs/admin/edit.html", form=form, hub=hub), 400 if form.errors else 200


@bp.post("/admin/hubs/<int:hub_id>/status")
@require(IsAdmin)
def admin_status(hub_id: int):
    hub = services.get_for_admin(current_user, hub_id)
    form = HubStatusForm()
    if form.validate_on_submit():
        try:
            services.change_status(current_user, hub.id, HubStatus(form.status.data), form.reason.data or "")
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{hub.name} is now {hub.status.label.lower()}.", "success")
            return redirect(url_for("hubs.admin_show", hub_id=hub.id))
    return render_template("hubs/admin/show.html", hub=hub, status_form=form), 400
