"""The budget holder's side (or someone acting for them): every need posted for them, agreeing to
what is shared, the offers, choosing any offer on the shortlist (after checking what they agree
to), and turning down the one their broker recommends."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.engagements import services as engagements
from app.holders import services as holders
from app.needs import services
from app.needs.choosing_forms import AcceptForm, SharingForm
from app.needs.forms import DeclineProposalForm
from app.needs.views import bp


@bp.get("/people/<int:holder_id>/needs")
@require(IsSignedIn)
def holder_needs(holder_id: int):
    acting = holders.access(current_user, holder_id)
    return render_template("needs/holder_list.html", acting=acting, needs=services.holder_needs(holder_id),
                           agreements=services.holder_agreements(holder_id),
                           to_agree=services.needs_to_agree(holder_id), gaps=services.holder_gaps(holder_id))


def _page(acting, need_id: int, decline_form=None, status: int = 200):
    need = services.holder_view(acting, need_id)
    return render_template("needs/holder_need.html", acting=acting, need=need, ranked=services.rank(need.offers_made),
                           proposed=need.proposed_offer, shortlist=need.shortlist,
                           form=decline_form or DeclineProposalForm(formdata=None),
                           requirement_labels=services.requirement_keys(need),
                           met_requirements=services.met_requirements, terms_of=services.terms_of,
                           broker=engagements.current_broker_of(acting.holder)), status


def _to_need(holder_id: int, need_id: int):
    return redirect(url_for("needs.holder_need", holder_id=holder_id, need_id=need_id))


@bp.get("/people/<int:holder_id>/needs/<int:need_id>")
@require(IsSignedIn)
def holder_need(holder_id: int, need_id: int):
    return _page(holders.access(current_user, holder_id), need_id)


@bp.route("/people/<int:holder_id>/needs/<int:need_id>/offers/<int:offer_id>/accept", methods=["GET", "POST"])
@require(IsSignedIn)
def accept_offer(holder_id: int, need_id: int, offer_id: int):
    """Check your answers (provider, rate, hours, start), then accept."""
    acting = holders.access(current_user, holder_id, act=True)
    form = AcceptForm()
    if request.method == "POST":  # the service refuses in words (pressed twice, or the offer changed)
        done = press(form, lambda: services.accept(acting, need_id, offer_id, seen_terms=form.terms.data or None))
        if done:
            flash(f"You have accepted {done.value.organisation.name}. Your support agreement has started.", "success")
        return _to_need(holder_id, need_id)
    terms = services.check_acceptance(acting, need_id, offer_id)
    form.terms.data = terms.fingerprint
    return render_template("needs/holder_accept.html", acting=acting, need=terms.offer.need, terms=terms, form=form)


@bp.route("/people/<int:holder_id>/needs/<int:need_id>/sharing", methods=["GET", "POST"])
@require(IsSignedIn)
def holder_sharing(holder_id: int, need_id: int):
    """What will be shared with whom, and agreeing to it (once per need)."""
    acting = holders.access(current_user, holder_id)
    need = services.need_for_sharing(acting, need_id)
    form = SharingForm()
    if request.method == "POST":
        acting = holders.access(current_user, holder_id, act=True)
        if submit(form, lambda: services.agree_to_sharing(acting, need_id, bool(form.confirm.data),
                                                          shown=form.shown.data or None)):
            flash("Thank you. Your broker can now send your need to providers.", "success")
            return redirect(url_for("needs.holder_sharing", holder_id=holder_id, need_id=need_id))
    form.shown.data = form.shown.data or services.sharing_fingerprint(need)
    return form_page("needs/holder_sharing.html", form, acting=acting, need=need, shared=services.what_is_shared(need),
                     button_form=EmptyForm(), requirement_labels=services.requirement_keys(need),
                     broker=engagements.current_broker_of(acting.holder))


@bp.post("/people/<int:holder_id>/needs/<int:need_id>/sharing/withdraw")
@require(IsSignedIn)
def withdraw_sharing(holder_id: int, need_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    if press(EmptyForm(), lambda: services.withdraw_sharing(acting, need_id)):
        flash("You have stopped sharing. Your broker has been told.", "success")
    return redirect(url_for("needs.holder_sharing", holder_id=holder_id, need_id=need_id))


@bp.post("/people/<int:holder_id>/needs/<int:need_id>/offers/<int:offer_id>/decline")
@require(IsSignedIn)
def decline_offer(holder_id: int, need_id: int, offer_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    form = DeclineProposalForm()
    if submit(form, lambda: services.decline_proposal(acting, need_id, offer_id, form.note.data)):
        flash("Your broker has been told you would like something different.", "success")
        return _to_need(holder_id, need_id)
    return _page(acting, need_id, form, 400)
