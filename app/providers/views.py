"""Provider pages: the organisation's profile, spare capacity and staff; a hub lead's list of
providers in the hub and their verification."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.grid import parse_slots, slot_value
from app.core.permissions import IsHubLead, IsProviderStaff, require
from app.core.timeutil import utcnow
from app.invitations import services as invitations
from app.providers import services
from app.providers.forms import CapacityForm, ProfileForm, StaffForm, VerifyForm
from app.taxonomy.services import choices as category_choices

bp = Blueprint("providers", __name__)


@bp.get("/providers/<int:organisation_id>")
@require(IsProviderStaff)
def overview(organisation_id: int):
    membership = services.membership(current_user, organisation_id)
    return render_template("providers/overview.html", organisation=membership.organisation, membership=membership,
                           stale=services.capacity_is_stale(membership.organisation))


def _profile_form(organisation):
    if request.method == "POST":
        form = ProfileForm()
    else:
        form = ProfileForm(obj=organisation)
        form.kind.data = organisation.kind.value
        form.regulated_personal_care.data = "yes" if organisation.regulated_personal_care else "no"
        form.double_up.data = "yes" if organisation.double_up else "no"
        form.drivers.data = "yes" if organisation.drivers else "no"
        form.category_ids.data = sorted(organisation.category_ids)
        form.districts.data = ", ".join(organisation.district_codes)
        form.rate_from.data, form.rate_to.data = organisation.rate_from_pence, organisation.rate_to_pence
    form.category_ids.choices = category_choices()
    return form


def _profile(form: ProfileForm) -> services.Profile:
    return services.Profile(
        name=form.name.data, kind=form.kind.data, description=form.description.data or "",
        regulated_personal_care=form.regulated_personal_care.data == "yes", cqc_number=form.cqc_number.data or "",
        category_ids=form.category_ids.data or [], districts=form.districts.data,
        languages=form.languages.data or [], skills=form.skills.data or [],
        worker_genders=form.worker_genders.data or [], double_up=form.double_up.data == "yes",
        drivers=form.drivers.data == "yes", rate_from_pence=form.rate_from.data, rate_to_pence=form.rate_to.data)


def _overview(organisation_id: int):
    return redirect(url_for("providers.overview", organisation_id=organisation_id))


@bp.route("/providers/<int:organisation_id>/profile", methods=["GET", "POST"])
@require(IsProviderStaff)
def profile(organisation_id: int):
    organisation = services.organisation_for(current_user, organisation_id)
    form = _profile_form(organisation)
    if submit(form, lambda: services.update_profile(current_user, organisation.id, _profile(form))):
        flash("Your organisation's profile has been saved.", "success")
        return _overview(organisation.id)
    return form_page("providers/profile.html", form, organisation=organisation)


@bp.route("/providers/<int:organisation_id>/capacity", methods=["GET", "POST"])
@require(IsProviderStaff)
def capacity(organisation_id: int):
    organisation = services.organisation_for(current_user, organisation_id)
    form = CapacityForm()
    if request.method == "GET":
        form.slots.data = [slot_value(day, part) for day, part in sorted(organisation.available_slots)]
    if submit(form, lambda: services.save_capacity(current_user, organisation.id, parse_slots(form.slots.data))):
        flash("Your spare capacity has been saved.", "success")
        return _overview(organisation.id)
    return form_page("providers/capacity.html", form, organisation=organisation,
                     stale=services.capacity_is_stale(organisation))


@bp.route("/providers/<int:organisation_id>/staff", methods=["GET", "POST"])
@require(IsProviderStaff)
def staff(organisation_id: int):
    membership = services.membership(current_user, organisation_id)
    form = StaffForm()
    if submit(form, lambda: services.invite_staff(current_user, organisation_id, name=form.name.data,
                                                  email=form.email.data)):
        flash(f"We have emailed an invitation to {form.email.data}.", "success")
        return redirect(url_for("providers.staff", organisation_id=organisation_id))
    return form_page("providers/staff.html", form, membership=membership, organisation=membership.organisation,
                     pending=invitations.for_organisation(organisation_id), now=utcnow(), button_form=EmptyForm())


@bp.post("/providers/<int:organisation_id>/staff/<int:staff_id>/remove")
@require(IsProviderStaff)
def remove_staff(organisation_id: int, staff_id: int):
    if press(EmptyForm(), lambda: services.remove_staff(current_user, organisation_id, staff_id)):
        flash("That person no longer has access.", "success")
    return redirect(url_for("providers.staff", organisation_id=organisation_id))


@bp.post("/providers/<int:organisation_id>/staff/invitations/<int:invitation_id>/withdraw")
@require(IsProviderStaff)
def withdraw_staff_invitation(organisation_id: int, invitation_id: int):
    services.membership(current_user, organisation_id)
    if press(EmptyForm(), lambda: invitations.revoke(current_user, invitation_id)):
        flash("The invitation has been withdrawn.", "success")
    return redirect(url_for("providers.staff", organisation_id=organisation_id))


# --- Hub lead -------------------------------------------------------------------------------------


@bp.get("/hub/providers")
@require(IsHubLead)
def hub_list():
    organisations = services.providers_for_lead(current_user)
    return render_template("providers/hub_list.html", organisations=organisations,
                           to_check=services.waiting_for_lead(current_user, organisations))


def _decide_verification(organisation, form: VerifyForm) -> str:
    """Do what the hub lead chose; returns what to tell them."""
    declined = form.decision.data == "decline_changes"
    if declined:
        services.decline_changes(current_user, organisation.id, form.note.data or "")
    else:
        services.set_verified(current_user, organisation.id, verified=form.decision.data == "verify",
                              note=form.note.data or "")
    told = " and has been told what you did not accept" if declined else ""
    return f"{organisation.name} is {'verified' if organisation.is_verified else 'not verified'}{told}."


@bp.route("/hub/providers/<int:organisation_id>", methods=["GET", "POST"])
@require(IsHubLead)
def hub_verify(organisation_id: int):
    organisation = services.provider_for_lead(current_user, organisation_id)
    form = VerifyForm()
    if organisation.id not in services.waiting_for_lead(current_user, [organisation]):
        form.decision.choices = [c for c in form.decision.choices if c[0] != "decline_changes"]
    done = submit(form, lambda: _decide_verification(organisation, form))
    if done:
        flash(done.value, "success")
        return redirect(url_for("providers.hub_list"))
    return form_page("providers/hub_verify.html", form, organisation=organisation,
                     stale=services.capacity_is_stale(organisation))
