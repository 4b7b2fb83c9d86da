"""The provider's side: a need (the private part only once shortlisted or chosen), making,
changing and withdrawing an offer, replying to the broker, offers and agreements."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.errors import DomainError
from app.core.forms import EmptyForm, apply_errors
from app.core.permissions import IsProviderStaff, require
from app.core.timeutil import utcnow
from app.needs import access, agreements, choosing, matching, offers
from app.needs.forms import HandBackForm, MessageForm, OfferForm
from app.needs.views import bp


def _offer_form(need, offer) -> OfferForm:
    if request.method == "POST":
        form = OfferForm()
    elif offer is not None:
        form = OfferForm(obj=offer)
        form.hourly_rate.data = offer.hourly_rate_pence
        form.worker_gender.data = offer.worker_gender or ""
    else:
        form = OfferForm()
    form.requirements_met.choices = list(matching.requirement_keys(need).items())
    return form


def _page(organisation_id: int, need_id: int, *, form=None, message_form=None, status=200):
    organisation, need, private = offers.view_as_provider(current_user, organisation_id, need_id)
    offer = access.offer_of(organisation, need)
    return render_template(
        "needs/provider_need.html", organisation=organisation, need=need, private=private, offer=offer,
        form=form or _offer_form(need, offer), message_form=message_form or MessageForm(formdata=None),
        open_for_offers=access.may_offer(organisation, need, offer), thread_open=access.offer_thread_open(offer),
        button_form=EmptyForm(), requirement_labels=matching.requirement_keys(need),
        fit=matching.board_fit(organisation, need), now=utcnow(),
    ), status


@bp.get("/providers/<int:organisation_id>/needs/<int:need_id>")
@require(IsProviderStaff)
def provider_need(organisation_id: int, need_id: int):
    return _page(organisation_id, need_id)


@bp.post("/providers/<int:organisation_id>/needs/<int:need_id>/offer")
@require(IsProviderStaff)
def save_offer(organisation_id: int, need_id: int):
    organisation, need, _ = offers.view_as_provider(current_user, organisation_id, need_id)
    form = _offer_form(need, access.offer_of(organisation, need))
    if form.validate_on_submit():
        try:
            offers.save_offer(current_user, organisation_id, need_id, offers.OfferDetails(
                hourly_rate_pence=form.hourly_rate.data, proposed_start=form.proposed_start.data,
                requirements_met=form.requirements_met.data or [], message=form.message.data,
                worker_languages=form.worker_languages.data or [], worker_gender=form.worker_gender.data or None))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Your offer has been sent. You can change or withdraw it until the deadline.", "success")
            return redirect(url_for("needs.provider_need", organisation_id=organisation_id, need_id=need_id))
    return _page(organisation_id, need_id, form=form, status=400)


@bp.post("/providers/<int:organisation_id>/needs/<int:need_id>/withdraw")
@require(IsProviderStaff)
def withdraw_offer(organisation_id: int, need_id: int):
    if EmptyForm().validate_on_submit():
        try:
            offers.withdraw_offer(current_user, organisation_id, need_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash("Your offer has been withdrawn.", "success")
    return redirect(url_for("needs.provider_need", organisation_id=organisation_id, need_id=need_id))


@bp.post("/providers/<int:organisation_id>/needs/<int:need_id>/messages")
@require(IsProviderStaff)
def provider_message(organisation_id: int, need_id: int):
    form = MessageForm()
    if form.validate_on_submit():
        try:
            choosing.provider_message(current_user, organisation_id, need_id, form.body.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Message sent to the broker.", "success")
            return redirect(url_for("needs.provider_need", organisation_id=organisation_id, need_id=need_id))
    return _page(organisation_id, need_id, message_form=form, status=400)


@bp.get("/providers/<int:organisation_id>/offers")
@require(IsProviderStaff)
def provider_offers(organisation_id: int):
    from app.providers.services import organisation_for

    return render_template("needs/provider_offers.html", organisation=organisation_for(current_user, organisation_id),
                           offers=offers.my_offers(current_user, organisation_id))


@bp.get("/providers/<int:organisation_id>/agreements")
@require(IsProviderStaff)
def provider_agreements(organisation_id: int):
    from app.providers.services import organisation_for

    return render_template("needs/provider_agreements.html",
                           organisation=organisation_for(current_user, organisation_id),
                           agreements=agreements.provider_agreements(current_user, organisation_id))


@bp.route("/providers/<int:organisation_id>/agreements/<int:agreement_id>", methods=["GET", "POST"])
@require(IsProviderStaff)
def provider_agreement(organisation_id: int, agreement_id: int):
    agreement = agreements.provider_agreement(current_user, organisation_id, agreement_id)
    form = HandBackForm()
    if form.validate_on_submit():
        try:
            agreements.hand_back(current_user, organisation_id, agreement_id, notice_ends_on=form.notice_ends_on.data,
                                 reason=form.reason.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("You have handed the support back. The person and their broker have been told.", "success")
            return redirect(url_for("needs.provider_agreements", organisation_id=organisation_id))
    return render_template("needs/provider_agreement.html", agreement=agreement, form=form,
                           organisation=agreement.organisation,
                           shows_private=access.agreement_shows_private(agreement)), 400 if form.errors else 200
