"""The broker's own pages: the application task list and its parts, standards, availability."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.brokers import application, rules, standards
from app.brokers.forms import (
    AccreditationForm,
    AvailabilityForm,
    BusinessForm,
    ConflictForm,
    DBSForm,
    HubChoiceForm,
    InsuranceForm,
    NoConflictsForm,
    ProfileForm,
)
from app.brokers.models import BrokerStatus, VerificationKind
from app.brokers.views import bp
from app.core.errors import DomainError
from app.core.fields import PoundsField
from app.core.forms import EmptyForm, apply_errors
from app.core.permissions import IsBroker, require
from app.engagements.services import active_bands
from app.hubs.services import active_hubs


def _broker():
    return application.broker_of(current_user)


def _part_page(template: str, form, kind: VerificationKind, status: int | None = None, **context):
    broker = _broker()
    state = next(p for p in application.parts(broker) if p.kind == kind)
    return render_template(template, form=form, broker=broker, state=state, kind=kind, **context), (
        status or (400 if form.errors else 200))


def _saved(kind: VerificationKind):
    broker = _broker()
    if broker.status == BrokerStatus.DRAFT:
        flash(f"{kind.label} saved.", "success")
    else:
        flash(f"{kind.label} sent to your hub lead to check.", "success")
    return redirect(url_for("brokers.application"))


@bp.get("/broker/application", endpoint="application")
@require(IsBroker)
def application_overview():
    broker = _broker()
    return render_template("brokers/apply/overview.html", broker=broker, parts=application.parts(broker),
                           ready=application.ready_to_submit(broker), form=EmptyForm(),
                           availability=rules.availability(broker) if broker.status == BrokerStatus.APPROVED else None)


@bp.route("/broker/application/hub", methods=["GET", "POST"])
@require(IsBroker)
def apply_hub():
    broker = _broker()
    form = HubChoiceForm(hub_id=broker.hub_id) if request.method == "GET" else HubChoiceForm()
    hubs = active_hubs()
    form.hub_id.choices = [(h.id, f"{h.name} ({', '.join(h.district_codes)})") for h in hubs]
    if form.validate_on_submit():
        try:
            application.choose_hub(current_user, form.hub_id.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Hub saved.", "success")
            return redirect(url_for("brokers.application"))
    return render_template("brokers/apply/hub.html", form=form, broker=broker, hubs=hubs), 400 if form.errors else 200


@bp.route("/broker/application/business", methods=["GET", "POST"])
@require(IsBroker)
def apply_business():
    broker = _broker()
    form = BusinessForm(obj=broker) if request.method == "GET" else BusinessForm()
    if request.method == "GET" and broker.business_type:
        form.business_type.data = broker.business_type.value
    if form.validate_on_submit():
        try:
            application.save_business(current_user, application.Business(
                form.trading_name.data, form.business_type.data, form.company_number.data or ""))
        except DomainError as error:
            apply_errors(form, error)
        else:
            return _saved(VerificationKind.BUSINESS)
    return _part_page("brokers/apply/business.html", form, VerificationKind.BUSINESS)


@bp.route("/broker/application/accreditation", methods=["GET", "POST"])
@require(IsBroker)
def apply_accreditation():
    broker = _broker()
    latest = rules.latest(broker, VerificationKind.ACCREDITATION)
    form = AccreditationForm()
    if request.method == "GET" and latest:
        form.course_id.data, form.certificate_number.data, form.awarded_on.data = (
            latest.course_id, latest.reference, latest.issued_on)
    form.course_id.choices = [("", "Choose your course")] + [(c.id, c.label) for c in application.active_courses()]
    if form.validate_on_submit():
        try:
            application.save_accreditation(current_user, course_id=form.course_id.data,
                                           certificate_number=form.certificate_number.data,
                                           awarded_on=form.awarded_on.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            return _saved(VerificationKind.ACCREDITATION)
    return _part_page("brokers/apply/accreditation.html", form, VerificationKind.ACCREDITATION)


@bp.route("/broker/application/dbs", methods=["GET", "POST"])
@require(IsBroker)
def apply_dbs():
    broker = _broker()
    latest = rules.latest(broker, VerificationKind.DBS)
    form = DBSForm()
    if request.method == "GET" and latest:
        form.certificate_number.data, form.issued_on.data = latest.reference, latest.issued_on
    if form.validate_on_submit():
        try:
            application.save_dbs(current_user, certificate_number=form.certificate_number.data,
                                 issued_on=form.issued_on.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            return _saved(VerificationKind.DBS)
    return _part_page("brokers/apply/dbs.html", form, VerificationKind.DBS)


@bp.route("/broker/application/insurance", methods=["GET", "POST"])
@require(IsBroker)
def apply_insurance():
    broker = _broker()
    latest = rules.latest(broker, VerificationKind.INSURANCE)
    form = InsuranceForm()
    if request.method == "GET" and latest:
        form.insurer.data, form.policy_number.data, form.expires_on.data = (
            latest.provider_name, latest.reference, latest.expires_on)
    if form.validate_on_submit():
        try:
            application.save_insurance(current_user, insurer=form.insurer.data, policy_number=form.policy_number.data,
                                       expires_on=form.expires_on.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            return _saved(VerificationKind.INSURANCE)
    return _part_page("brokers/apply/insurance.html", form, VerificationKind.INSURANCE)


@bp.route("/broker/application/conflicts", methods=["GET", "POST"])
@require(IsBroker)
def apply_conflicts():
    form = ConflictForm()
    if form.validate_on_submit():
        try:
            application.add_conflict(current_user, application.Conflict(
                form.organisation.data, form.kind.data, form.relationship_type.data, form.details.data or ""))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"Link with {form.organisation.data} added.", "success")
            return redirect(url_for("brokers.apply_conflicts"))
    return _part_page("brokers/apply/conflicts.html", form, VerificationKind.CONFLICTS,
                      none_form=NoConflictsForm(), remove_form=EmptyForm())


@bp.post("/broker/application/conflicts/none")
@require(IsBroker)
def no_conflicts():
    form = NoConflictsForm()
    if form.validate_on_submit():
        try:
            application.declare_no_conflicts(current_user)
        except DomainError as error:
            apply_errors(form, error)
        else:
            return _saved(VerificationKind.CONFLICTS)
    return _part_page("brokers/apply/conflicts.html", ConflictForm(formdata=None), VerificationKind.CONFLICTS,
                      status=400, none_form=form, remove_form=EmptyForm())


@bp.post("/broker/application/conflicts/<int:conflict_id>/remove")
@require(IsBroker)
def remove_conflict(conflict_id: int):
    if EmptyForm().validate_on_submit():
        try:
            application.remove_conflict(current_user, conflict_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash("Link removed.", "success")
    return redirect(url_for("brokers.apply_conflicts"))


def _profile_form(bands):
    """The profile form, with one fee box per current brokerage band."""

    class Form(ProfileForm):
        pass

    for band in bands:
        setattr(Form, f"fee_band_{band.id}", PoundsField(f"Fee for {band.label}, in pounds (optional)"))
    return Form


@bp.route("/broker/application/profile", methods=["GET", "POST"])
@require(IsBroker)
def apply_profile():
    broker = _broker()
    if broker.hub is None:
        flash("Choose the hub you are applying to first.", "info")
        return redirect(url_for("brokers.apply_hub"))
    bands = active_bands()
    form_class = _profile_form(bands)
    form = form_class(obj=broker) if request.method == "GET" else form_class()
    form.districts.choices = [(d, d) for d in broker.hub.district_codes]
    if request.method == "GET":
        form.districts.data = broker.district_codes
        form.hourly_fee.data = broker.hourly_fee_pence
        for band in bands:
            getattr(form, f"fee_band_{band.id}").data = broker.fee_for_band(band.id)
    if form.validate_on_submit():
        fees = {band.id: getattr(form, f"fee_band_{band.id}").data for band in bands}
        try:
            application.save_profile(current_user, application.Profile(
                specialisms=form.specialisms.data, languages=form.languages.data, districts=form.districts.data,
                profile_text=form.profile_text.data, lived_experience=form.lived_experience.data or "",
                hourly_fee_pence=form.hourly_fee.data, band_fees={k: v for k, v in fees.items() if v is not None}))
        except DomainError as error:
            apply_errors(form, error)
        else:
            return _saved(VerificationKind.PROFILE)
    fee_fields = [getattr(form, f"fee_band_{band.id}") for band in bands]
    return _part_page("brokers/apply/profile.html", form, VerificationKind.PROFILE, fee_fields=fee_fields)


@bp.post("/broker/application/submit")
@require(IsBroker)
def submit_application():
    if EmptyForm().validate_on_submit():
        try:
            application.submit(current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
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
    if form.validate_on_submit():
        try:
            application.update_availability(current_user, accepting=form.accepting.data == "yes",
                                            max_clients=form.max_clients.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Your availability has been saved.", "success")
            return redirect(url_for("brokers.application"))
    return render_template("brokers/apply/availability.html", form=form, broker=broker,
                           active_clients=rules.active_client_count(broker)), 400 if form.errors else 200


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
    if EmptyForm().validate_on_submit():
        try:
            acceptance = standards.accept_current(current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"You have accepted version {acceptance.version.number} of the broker standards.", "success")
    return redirect(url_for("brokers.standards"))
