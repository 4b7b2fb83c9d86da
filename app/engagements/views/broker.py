"""The broker's side: requests, clients (each view audited), time, band changes, ending,
records for people without a login, and replies to reviews."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.brokers import rules
from app.core.errors import DomainError
from app.core.forms import EmptyForm, apply_errors
from app.core.permissions import IsBroker, require
from app.core.reference import BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS, LANGUAGES
from app.engagements import reviews, services
from app.engagements.forms import (
    BandChangeForm,
    BrokerEndForm,
    ClaimInviteForm,
    DeclineForm,
    NewClientForm,
    ReplyForm,
    TimeEntryForm,
)
from app.engagements.models import RequestStatus
from app.engagements.views import bp


@bp.get("/broker/requests")
@require(IsBroker)
def broker_requests():
    return render_template("engagements/broker_requests.html", requests=services.broker_requests(current_user),
                           RequestStatus=RequestStatus)


@bp.get("/broker/requests/<int:request_id>")
@require(IsBroker)
def broker_request(request_id: int):
    broker_request_ = services.broker_request(current_user, request_id)
    return _request_page(broker_request_, DeclineForm(formdata=None))


def _request_page(broker_request_, decline_form, status: int = 200):
    broker = current_user.broker_profile
    return render_template("engagements/broker_request.html", req=broker_request_, accept_form=EmptyForm(),
                           form=decline_form, availability=rules.availability(broker),
                           BROKERAGE_FUNCTIONS=BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS=COMMUNICATION_NEEDS,
                           LANGUAGES=LANGUAGES), status


@bp.post("/broker/requests/<int:request_id>/accept")
@require(IsBroker)
def accept_request(request_id: int):
    if EmptyForm().validate_on_submit():
        try:
            engagement = services.accept_request(current_user, request_id)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("engagements.broker_request", request_id=request_id))
        flash(f"You are now working with {engagement.holder.name}.", "success")
        return redirect(url_for("engagements.broker_client", engagement_id=engagement.id))
    return redirect(url_for("engagements.broker_request", request_id=request_id))


@bp.post("/broker/requests/<int:request_id>/decline")
@require(IsBroker)
def decline_request(request_id: int):
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline_request(current_user, request_id, form.reason.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("You have declined the request. The person has been told your reason.", "success")
            return redirect(url_for("engagements.broker_requests"))
    return _request_page(services.broker_request(current_user, request_id), form, 400)


@bp.get("/broker/clients")
@require(IsBroker)
def broker_clients():
    engagements = services.broker_clients(current_user, include_ended=True)
    return render_template("engagements/broker_clients.html", active=[e for e in engagements if e.is_active],
                           ended=[e for e in engagements if not e.is_active],
                           can_take=rules.availability(current_user.broker_profile).can_take_new_clients)


@bp.get("/broker/clients/<int:engagement_id>")
@require(IsBroker)
def broker_client(engagement_id: int):
    engagement = services.broker_engagement(current_user, engagement_id)
    return render_template("engagements/broker_client.html", engagement=engagement, holder=engagement.holder,
                           BROKERAGE_FUNCTIONS=BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS=COMMUNICATION_NEEDS,
                           LANGUAGES=LANGUAGES, claim_form=ClaimInviteForm(formdata=None))


@bp.route("/broker/clients/<int:engagement_id>/time", methods=["GET", "POST"])
@require(IsBroker)
def log_time(engagement_id: int):
    engagement = services.broker_engagement(current_user, engagement_id, audit_view=False)
    form = TimeEntryForm()
    if form.validate_on_submit():
        try:
            services.log_time(current_user, engagement.id, worked_on=form.worked_on.data,
                              minutes=form.total_minutes(), function=form.function.data, note=form.note.data or "")
        except DomainError as error:
            if error.field == "minutes":
                error.field = "hours"
            apply_errors(form, error)
        else:
            flash("Time logged.", "success")
            return redirect(url_for("engagements.broker_client", engagement_id=engagement.id))
    return render_template("engagements/log_time.html", form=form, engagement=engagement), 400 if form.errors else 200


@bp.route("/broker/clients/<int:engagement_id>/band", methods=["GET", "POST"])
@require(IsBroker)
def band_change(engagement_id: int):
    engagement = services.broker_engagement(current_user, engagement_id, audit_view=False)
    form = BandChangeForm()
    higher = [b for b in services.active_bands() if b.hours > engagement.band.hours]
    form.to_band_id.choices = [(b.id, b.label) for b in higher]
    if form.validate_on_submit():
        try:
            services.request_band_change(current_user, engagement.id, form.to_band_id.data, form.reason.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Your request for a higher band has been sent to your hub lead.", "success")
            return redirect(url_for("engagements.broker_client", engagement_id=engagement.id))
    return render_template("engagements/band_change.html", form=form, engagement=engagement, higher=higher), (
        400 if form.errors else 200)


@bp.route("/broker/clients/<int:engagement_id>/end", methods=["GET", "POST"])
@require(IsBroker)
def broker_end(engagement_id: int):
    engagement = services.broker_engagement(current_user, engagement_id, audit_view=False)
    form = BrokerEndForm()
    if form.validate_on_submit():
        try:
            services.end_by_broker(current_user, engagement.id, form.reason.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"Your work with {engagement.holder.name} has ended. They will be asked to review it.", "success")
            return redirect(url_for("engagements.broker_clients"))
    return render_template("engagements/broker_end.html", form=form, engagement=engagement), 400 if form.errors else 200


@bp.route("/broker/clients/new", methods=["GET", "POST"])
@require(IsBroker)
def new_client():
    form = NewClientForm()
    availability = rules.availability(current_user.broker_profile)
    if form.validate_on_submit():
        try:
            engagement = services.create_client_record(current_user, services.NewClient(
                name=form.name.data, district=form.district.data or "", email=form.email.data or "",
                consent_method=form.consent_method.data, consent_note=form.consent_note.data))
        except DomainError as error:
            apply_errors(form, error)
        else:
            message = f"A record for {engagement.holder.name} has been created and you are working with them."
            if form.email.data:
                message += f" We have emailed {form.email.data} a link to claim it."
            flash(message, "success")
            return redirect(url_for("engagements.broker_client", engagement_id=engagement.id))
    return render_template("engagements/new_client.html", form=form, availability=availability), (
        400 if form.errors else 200)


@bp.post("/broker/clients/<int:engagement_id>/invite")
@require(IsBroker)
def invite_claim(engagement_id: int):
    services.broker_engagement(current_user, engagement_id, audit_view=False)  # someone else's: 404
    form = ClaimInviteForm()
    if form.validate_on_submit():
        try:
            services.invite_client_to_claim(current_user, engagement_id, form.email.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"We have emailed {form.email.data} a link to claim their record.", "success")
    else:
        for errors in form.errors.values():
            flash(errors[0], "error")
    return redirect(url_for("engagements.broker_client", engagement_id=engagement_id))


@bp.get("/broker/reviews")
@require(IsBroker)
def broker_reviews():
    items = reviews.broker_reviews(current_user)
    return render_template("engagements/broker_reviews.html", reviews=items,
                           forms={r.id: ReplyForm(prefix=f"r{r.id}", formdata=None) for r in items if r.can_reply})


@bp.post("/broker/reviews/<int:review_id>/reply")
@require(IsBroker)
def reply_review(review_id: int):
    form = ReplyForm(prefix=f"r{review_id}")
    if form.validate_on_submit():
        try:
            reviews.reply(current_user, review_id, form.reply.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Your reply has been sent to your hub lead, who checks it before it is shown under the review.", "success")
            return redirect(url_for("engagements.broker_reviews"))
    items = reviews.broker_reviews(current_user)
    forms = {r.id: ReplyForm(prefix=f"r{r.id}", formdata=None) for r in items if r.can_reply}
    forms[review_id] = form
    return render_template("engagements/broker_reviews.html", reviews=items, forms=forms, failed=form), 400

