"""The broker's side: requests, clients (each view audited), time, band changes, ending,
records for people without a login, and replies to reviews."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.brokers import services as brokers
from app.core.errors import DomainError
from app.core.flows import form_page, press, row_form, row_forms, run, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsBroker, require
from app.core.reference import BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS, LANGUAGES
from app.engagements import services
from app.engagements.forms import (
    BandChangeForm,
    BrokerEndForm,
    ClaimInviteForm,
    DeclineForm,
    NewClientForm,
    ReplyForm,
    TimeEntryForm,
)
from app.engagements.views import bp


def _availability():
    return brokers.availability(brokers.broker_of(current_user))


def _client(engagement_id: int):
    """One of this broker's engagements, for a page that changes it (not audited as a view)."""
    return services.broker_engagement(current_user, engagement_id, audit_view=False)


def _to_client(engagement_id: int):
    return redirect(url_for("engagements.broker_client", engagement_id=engagement_id))


@bp.get("/broker/requests")
@require(IsBroker)
def broker_requests():
    return render_template("engagements/broker_requests.html", requests=services.broker_requests(current_user))


@bp.get("/broker/requests/<int:request_id>")
@require(IsBroker)
def broker_request(request_id: int):
    return _request_page(services.broker_request(current_user, request_id), DeclineForm(formdata=None))


def _request_page(broker_request_, decline_form, status: int = 200):
    return render_template("engagements/broker_request.html", req=broker_request_, accept_form=EmptyForm(),
                           form=decline_form, availability=_availability(),
                           BROKERAGE_FUNCTIONS=BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS=COMMUNICATION_NEEDS,
                           LANGUAGES=LANGUAGES), status


@bp.post("/broker/requests/<int:request_id>/accept")
@require(IsBroker)
def accept_request(request_id: int):
    done = press(EmptyForm(), lambda: services.accept_request(current_user, request_id))
    if not done:
        return redirect(url_for("engagements.broker_request", request_id=request_id))
    flash(f"You are now working with {done.value.holder.name}.", "success")
    return _to_client(done.value.id)


@bp.post("/broker/requests/<int:request_id>/decline")
@require(IsBroker)
def decline_request(request_id: int):
    form = DeclineForm()
    if submit(form, lambda: services.decline_request(current_user, request_id, form.reason.data)):
        flash("You have declined the request. The person has been told your reason.", "success")
        return redirect(url_for("engagements.broker_requests"))
    return _request_page(services.broker_request(current_user, request_id), form, 400)


@bp.get("/broker/clients")
@require(IsBroker)
def broker_clients():
    engagements = services.broker_clients(current_user, include_ended=True)
    return render_template("engagements/broker_clients.html", active=[e for e in engagements if e.is_active],
                           ended=[e for e in engagements if not e.is_active],
                           can_take=_availability().can_take_new_clients)


@bp.get("/broker/clients/<int:engagement_id>")
@require(IsBroker)
def broker_client(engagement_id: int):
    engagement = services.broker_engagement(current_user, engagement_id)
    return render_template("engagements/broker_client.html", engagement=engagement, holder=engagement.holder,
                           use=services.band_use(engagement), needs=services.client_needs(current_user, engagement),
                           BROKERAGE_FUNCTIONS=BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS=COMMUNICATION_NEEDS,
                           LANGUAGES=LANGUAGES, claim_form=ClaimInviteForm(formdata=None))


def _log(engagement, form):
    """Log the time; the service's word on the minutes belongs beside the hours box."""
    try:
        return services.log_time(current_user, engagement.id, worked_on=form.worked_on.data,
                                 minutes=form.total_minutes(), function=form.function.data, note=form.note.data or "")
    except DomainError as error:
        if error.field == "minutes":
            error.field = "hours"
        raise


@bp.route("/broker/clients/<int:engagement_id>/time", methods=["GET", "POST"])
@require(IsBroker)
def log_time(engagement_id: int):
    engagement = _client(engagement_id)
    form = TimeEntryForm()
    if submit(form, lambda: _log(engagement, form)):
        use = services.band_use(engagement)
        flash(f"Time logged. {use.after_logging}." if use.is_over else "Time logged.", "info" if use.is_over else "success")
        return _to_client(engagement.id)
    return form_page("engagements/log_time.html", form, engagement=engagement, use=services.band_use(engagement))


@bp.route("/broker/clients/<int:engagement_id>/band", methods=["GET", "POST"])
@require(IsBroker)
def band_change(engagement_id: int):
    engagement = _client(engagement_id)
    form = BandChangeForm()
    higher = services.higher_bands(engagement)
    form.to_band_id.choices = [(b.id, b.label) for b in higher]
    if submit(form, lambda: services.request_band_change(current_user, engagement.id, form.to_band_id.data,
                                                         form.reason.data)):
        flash("Your request for a higher band has been sent to your hub lead.", "success")
        return _to_client(engagement.id)
    return form_page("engagements/band_change.html", form, engagement=engagement, higher=higher)


@bp.route("/broker/clients/<int:engagement_id>/end", methods=["GET", "POST"])
@require(IsBroker)
def broker_end(engagement_id: int):
    engagement = _client(engagement_id)
    form = BrokerEndForm()
    if submit(form, lambda: services.end_by_broker(current_user, engagement.id, form.reason.data)):
        flash(f"Your work with {engagement.holder.name} has ended. They will be asked to review it.", "success")
        return redirect(url_for("engagements.broker_clients"))
    return form_page("engagements/broker_end.html", form, engagement=engagement)


def _new_client(form) -> services.NewClient:
    return services.NewClient(name=form.name.data, district=form.district.data or "", email=form.email.data or "",
                              consent_method=form.consent_method.data, consent_note=form.consent_note.data)


@bp.route("/broker/clients/new", methods=["GET", "POST"])
@require(IsBroker)
def new_client():
    form = NewClientForm()
    availability = _availability()
    done = submit(form, lambda: services.create_client_record(current_user, _new_client(form)))
    if done:
        message = f"A record for {done.value.holder.name} has been created and you are working with them."
        if form.email.data:
            message += f" We have emailed {form.email.data} a link to claim it."
        flash(message, "success")
        return _to_client(done.value.id)
    return form_page("engagements/new_client.html", form, availability=availability)


@bp.post("/broker/clients/<int:engagement_id>/invite")
@require(IsBroker)
def invite_claim(engagement_id: int):
    _client(engagement_id)  # someone else's: 404
    form = ClaimInviteForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(errors[0], "error")
    elif run(lambda: services.invite_client_to_claim(current_user, engagement_id, form.email.data)):
        flash(f"We have emailed {form.email.data} a link to claim their record.", "success")
    return _to_client(engagement_id)


def _reply_forms(items, failed=None, failed_id=None) -> dict:
    return row_forms(ReplyForm, "r", [r for r in items if r.can_reply], failed, failed_id)


@bp.get("/broker/reviews")
@require(IsBroker)
def broker_reviews():
    items = services.broker_reviews(current_user)
    return render_template("engagements/broker_reviews.html", reviews=items, forms=_reply_forms(items))


@bp.post("/broker/reviews/<int:review_id>/reply")
@require(IsBroker)
def reply_review(review_id: int):
    form = row_form(ReplyForm, "r", review_id)
    if submit(form, lambda: services.reply(current_user, review_id, form.reply.data)):
        flash("Your reply has been sent to your hub lead, who checks it before it is shown under the review.", "success")
        return redirect(url_for("engagements.broker_reviews"))
    items = services.broker_reviews(current_user)
    return render_template("engagements/broker_reviews.html", reviews=items, forms=_reply_forms(items, form, review_id),
                           failed=form), 400
