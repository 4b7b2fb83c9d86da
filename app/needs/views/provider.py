"""The provider's side: a need (the private part only once shortlisted or chosen), making,
changing and withdrawing an offer, replying to the broker, offers and agreements."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsProviderStaff, require
from app.needs import services
from app.needs.forms import HandBackForm, MessageForm, OfferForm
from app.needs.views import bp
from app.providers.services import organisation_for


def _offer_form(need, offer) -> OfferForm:
    if request.method == "GET" and offer is not None:
        form = OfferForm(obj=offer)
        form.hourly_rate.data = offer.hourly_rate_pence
        form.worker_gender.data = offer.worker_gender or ""
    else:
        form = OfferForm()
    form.requirements_met.choices = services.offer_choices(need)
    return form


def _offer_details(form: OfferForm) -> services.OfferDetails:
    return services.OfferDetails(
        hourly_rate_pence=form.hourly_rate.data, proposed_start=form.proposed_start.data,
        requirements_met=form.requirements_met.data or [], message=form.message.data,
        worker_languages=form.worker_languages.data or [], worker_gender=form.worker_gender.data or None,
        above_maximum_confirmed=bool(form.confirm_above_maximum.data))


def _page(organisation_id: int, need_id: int, *, form=None, message_form=None, status=200):
    view = services.view_as_provider(current_user, organisation_id, need_id)
    form = form or _offer_form(view.need, view.offer)
    return render_template(
        "needs/provider_need.html", view=view, organisation=view.organisation, need=view.need, offer=view.offer,
        form=form, message_form=message_form or MessageForm(formdata=None),
        button_form=EmptyForm(), requirement_labels=services.requirement_keys(view.need),
        fit=services.board_fit(view.organisation, view.need),
        met=services.met_requirements(view.offer) if view.offer else [],
        rate_above_maximum=(form.hourly_rate.data or 0) > view.need.max_hourly_rate_pence,
    ), status


def _to_need(organisation_id: int, need_id: int):
    return redirect(url_for("needs.provider_need", organisation_id=organisation_id, need_id=need_id))


@bp.get("/providers/<int:organisation_id>/needs/<int:need_id>")
@require(IsProviderStaff)
def provider_need(organisation_id: int, need_id: int):
    return _page(organisation_id, need_id)


@bp.post("/providers/<int:organisation_id>/needs/<int:need_id>/offer")
@require(IsProviderStaff)
def save_offer(organisation_id: int, need_id: int):
    view = services.provider_view(current_user, organisation_id, need_id)  # the page shown after is audited
    form = _offer_form(view.need, view.offer)
    if submit(form, lambda: services.save_offer(current_user, organisation_id, need_id, _offer_details(form))):
        flash("Your offer has been sent. You can change or withdraw it until the deadline.", "success")
        return _to_need(organisation_id, need_id)
    return _page(organisation_id, need_id, form=form, status=400)


@bp.route("/providers/<int:organisation_id>/needs/<int:need_id>/withdraw", methods=["GET", "POST"])
@require(IsProviderStaff)
def withdraw_offer(organisation_id: int, need_id: int):
    """GET asks first (a page of its own, so it works without JavaScript); POST withdraws."""
    if request.method == "GET":
        offer = services.offer_to_withdraw(current_user, organisation_id, need_id)
        return render_template("needs/provider_withdraw.html", offer=offer, need=offer.need,
                               organisation=offer.organisation, form=EmptyForm())
    if press(EmptyForm(), lambda: services.withdraw_offer(current_user, organisation_id, need_id)):
        flash("Your offer has been withdrawn.", "success")
    return _to_need(organisation_id, need_id)


@bp.post("/providers/<int:organisation_id>/needs/<int:need_id>/messages")
@require(IsProviderStaff)
def provider_message(organisation_id: int, need_id: int):
    form = MessageForm()
    if submit(form, lambda: services.provider_message(current_user, organisation_id, need_id, form.body.data)):
        flash("Message sent to the broker.", "success")
        return _to_need(organisation_id, need_id)
    return _page(organisation_id, need_id, message_form=form, status=400)


@bp.get("/providers/<int:organisation_id>/offers")
@require(IsProviderStaff)
def provider_offers(organisation_id: int):
    return render_template("needs/provider_offers.html", organisation=organisation_for(current_user, organisation_id),
                           offers=services.my_offers(current_user, organisation_id))


@bp.get("/providers/<int:organisation_id>/agreements")
@require(IsProviderStaff)
def provider_agreements(organisation_id: int):
    return render_template("needs/provider_agreements.html",
                           organisation=organisation_for(current_user, organisation_id),
                           agreements=services.provider_agreements(current_user, organisation_id))


@bp.route("/providers/<int:organisation_id>/agreements/<int:agreement_id>", methods=["GET", "POST"])
@require(IsProviderStaff)
def provider_agreement(organisation_id: int, agreement_id: int):
    page = services.provider_agreement(current_user, organisation_id, agreement_id)
    form = HandBackForm()
    if submit(form, lambda: services.hand_back(current_user, organisation_id, agreement_id,
                                               notice_ends_on=form.notice_ends_on.data, reason=form.reason.data)):
        flash("You have handed the support back. The person and their broker have been told.", "success")
        return redirect(url_for("needs.provider_agreements", organisation_id=organisation_id))
    return form_page("needs/provider_agreement.html", form, page=page, agreement=page.agreement,
                     organisation=page.agreement.organisation)
