"""The broker's own pages: the application task list and its parts, standards, availability."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.brokers import application, parts, rules, standards
from app.brokers.bands import active_bands
from app.brokers.forms import (
    AccreditationForm,
    AvailabilityForm,
    BusinessForm,
    ConflictForm,
    DBSForm,
    HubChoiceForm,
    InsuranceForm,
    NoConflictsForm,
    profile_form_class,
)
from app.brokers.models import BrokerStatus, VerificationKind
from app.brokers.policies import broker_of
from app.brokers.views import bp
from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsBroker, require
from app.hubs.services import active_hubs


def _broker():
    return broker_of(current_user)


def _part_page(template: str, form, kind: VerificationKind, status: int | None = None, **context):
    broker = _broker()
    return form_page(template, form, status, broker=broker, state=parts.part_state(broker, kind), kind=kind,
                     **context)


def _saved(kind: VerificationKind):
    if _broker().is_draft:
        flash(f"{kind.label} saved.", "success")
    else:
        flash(f"{kind.label} sent to your hub lead to check.", "success")
    return redirect(url_for("brokers.application"))


def _latest(kind: VerificationKind):
    """The newest submission of a part, to fill its form in on a first visit (None on a POST)."""
    return rules.latest(_broker(), kind) if request.method == "GET" else None


@bp.get("/broker/application", endpoint="application")
@require(IsBroker)
def application_overview():
    broker = _broker()
    return render_template("brokers/apply/overview.html", broker=broker, parts=parts.parts(broker),
                           ready=parts.ready_to_submit(broker), form=EmptyForm(),
                           availability=rules.availability(broker) if broker.status == BrokerStatus.APPROVED else None)


@bp.route("/broker/application/hub", methods=["GET", "POST"])
@require(IsBroker)
def apply_hub():
    broker = _broker()
    form = HubChoiceForm(hub_id=broker.hub_id) if request.method == "GET" else HubChoiceForm()
    hubs = active_hubs()
    form.hub_id.choices = [(h.id, f"{h.name} ({', '.join(h.district_codes)})") for h in hubs]
    if submit(form, lambda: application.choose_hub(current_user, form.hub_id.data)):
        flash("Hub saved.", "success")
        return redirect(url_for("brokers.application"))
    return form_page("brokers/apply/hub.html", form, broker=broker, hubs=hubs)


@bp.route("/broker/application/business", methods=["GET", "POST"])
@require(IsBroker)
def apply_business():
    broker = _broker()
    form = BusinessForm(obj=broker) if request.method == "GET" else BusinessForm()
    if request.method == "GET" and broker.business_type:
        form.business_type.data = broker.business_type.value
    if submit(form, lambda: application.save_business(current_user, application.Business(
            form.trading_name.data, form.business_type.data, form.company_number.data or ""))):
        return _saved(VerificationKind.BUSINESS)
    return _part_page("brokers/apply/business.html", form, VerificationKind.BUSINESS)


@bp.route("/broker/application/accreditation", methods=["GET", "POST"])
@require(IsBroker)
def apply_accreditation():
    form = AccreditationForm()
    if latest := _latest(VerificationKind.ACCREDITATION):
        form.course_id.data, form.certificate_number.data, form.awarded_on.data = (
            latest.course_id, latest.reference, latest.issued_on)
    form.course_id.choices = [("", "Choose your course")] + [(c.id, c.label) for c in application.active_courses()]
    if submit(form, lambda: application.save_accreditation(
            current_user, course_id=form.course_id.data, certificate_number=form.certificate_number.data,
            awarded_on=form.awarded_on.data)):
        return _saved(VerificationKind.ACCREDITATION)
    return _part_page("brokers/apply/accreditation.html", form, VerificationKind.ACCREDITATION)


@bp.route("/broker/application/dbs", methods=["GET", "POST"])
@require(IsBroker)
def apply_dbs():
    form = DBSForm()
    if latest := _latest(VerificationKind.DBS):
        form.certificate_number.data, form.issued_on.data = latest.reference, latest.issued_on
    if submit(form, lambda: application.save_dbs(current_user, certificate_number=form.certificate_number.data,
                                                 issued_on=form.issued_on.data)):
        return _saved(VerificationKind.DBS)
    return _part_page("brokers/apply/dbs.html", form, VerificationKind.DBS)


@bp.route("/broker/application/insurance", methods=["GET", "POST"])
@require(IsBroker)
def apply_insurance():
    form = InsuranceForm()
    if latest := _latest(VerificationKind.INSURANCE):
        form.insurer.data, form.policy_number.data, form.expires_on.data = (
            latest.provider_name, latest.reference, latest.expires_on)
    if submit(form, lambda: application.save_insurance(
            current_user, insurer=form.insurer.data, policy_number=form.policy_number.data,
            expires_on=form.expires_on.data)):
        return _saved(VerificationKind.INSURANCE)
    return _part_page("brokers/apply/insurance.html", form, VerificationKind.INSURANCE)


@bp.route("/broker/application/conflicts", methods=["GET", "POST"])
@require(IsBroker)
def apply_conflicts():
    form = ConflictForm()
    if submit(form, lambda: application.add_conflict(current_user, application.Conflict(
            form.organisation.data, form.kind.data, form.relationship_type.data, form.details.data or ""))):
        flash(f"Link with {form.organisation.data} added.", "success")
        return redirect(url_for("brokers.apply_conflicts"))
    return _part_page("brokers/apply/conflicts.html", form, VerificationKind.CONFLICTS,
                      none_form=NoConflictsForm(), remove_form=EmptyForm())


@bp.post("/broker/application/conflicts/none")
@require(IsBroker)
def no_conflicts():
    form = NoConflictsForm()
    if submit(form, lambda: application.declare_no_conflicts(current_user)):
        return _saved(VerificationKind.CONFLICTS)
    return _part_page("brokers/apply/conflicts.html", ConflictForm(formdata=None), VerificationKind.CONFLICTS,
                      status=400, none_form=form, remove_form=EmptyForm())


@bp.post("/broker/application/conflicts/<int:conflict_id>/remove")
@require(IsBroker)
def remove_conflict(conflict_id: int):
    if press(EmptyForm(), lambda: application.remove_conflict(current_user, conflict_id)):
        flash("Link removed.", "success")
    return redirect(url_for("brokers.apply_conflicts"))


def _profile(form) -> application.Profile:
    return application.Profile(
        specialisms=form.specialisms.data, languages=form.languages.data, districts=form.districts.data,
        profile_text=form.profile_text.data, lived_experience=form.lived_experience.data or "",
        hourly_fee_pence=form.hourly_fee.data, band_fees=form.band_fees())


def _profile_form(broker, bands):
    form_class = profile_form_class(bands)
    form = form_class(obj=broker) if request.method == "GET" else form_class()
    form.districts.choices = [(d, d) for d in broker.hub.district_codes]
    if request.method == "GET":
        form.districts.data = broker.district_codes
        form.hourly_fee.data = broker.hourly_fee_pence
        for band in bands:
            getattr(form, f"fee_band_{band.id}").data = broker.fee_for_band(band.id)
    return form


@bp.route("/broker/application/profile", methods=["GET", "POST"])
@require(IsBroker)
def apply_profile():
    broker = _broker()
    if broker.hub is None:
        flash("Choose the hub you are applying to first.", "info")
        return redirect(url_for("brokers.apply_hub"))
    form = _profile_form(broker, active_bands())
    if submit(form, lambda: application.save_profile(current_user, _profile(form))):
        return _saved(VerificationKind.PROFILE)
    return _part_page("brokers/apply/profile.html", form, VerificationKind.PROFILE, fee_fields=form.fee_fields())


@bp.post("/broker/application/submit")
@require(IsBroker)
def submit_application():
    if press(EmptyForm(), lambda: application.submit(current_user)):
        flash("Your application has been sent to your hub lead. We will tell you as each part is checked.",
              "success")
    return redirect(url_for("brokers.application"))


@bp.route("/broker/availability", methods=["GET", "POST"])
@require(IsBroker)
def availability():
    broker = _broker()
    form = AvailabilityForm() if request.method == "POST" else AvailabilityForm(
        accepting="yes" if broker.accepting_new_clients else "no", max_clients=str(broker.max_clients))
    if request.method == "GET":
        form.max_clients.data = broker.max_clients
    if submit(form, lambda: application.update_availability(
            current_user, accepting=form.accepting.data == "yes", max_clients=form.max_clients.data)):
        flash("Your availability has been saved.", "success")
        return redirect(url_for("brokers.application"))
    return form_page("brokers/apply/availability.html", form, broker=broker,
                     active_clients=rules.active_client_count(broker))


@bp.get("/broker/standards", endpoint="standards")
@require(IsBroker)
def standards_page():
    broker = _broker()
    return render_template("brokers/standards.html", current=rules.current_standards(), broker=broker,
                           accepted=rules.has_accepted_current_standards(broker),
                           acceptances=broker.acceptances, form=EmptyForm())


@bp.post("/broker/standards/accept")
@require(IsBroker)
def accept_standards():
    done = press(EmptyForm(), lambda: standards.accept_current(current_user))
    if done:
        flash(f"You have accepted version {done.value.version.number} of the broker standards.", "success")
    return redirect(url_for("brokers.standards"))
