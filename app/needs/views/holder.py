"""The budget holder's side (or someone acting for them): every need posted for them, the
offers, and accepting or turning down the one their broker proposes."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.core.flows import press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.holders import services as holders
from app.needs import services
from app.needs.forms import DeclineProposalForm
from app.needs.views import bp


@bp.get("/people/<int:holder_id>/needs")
@require(IsSignedIn)
def holder_needs(holder_id: int):
    acting = holders.access(current_user, holder_id)
    return render_template("needs/holder_list.html", acting=acting, needs=services.holder_needs(holder_id),
                           agreements=services.holder_agreements(holder_id))


def _page(acting, need_id: int, decline_form=None, status: int = 200):
    need = services.holder_view(acting, need_id)
    return render_template("needs/holder_need.html", acting=acting, need=need, ranked=services.rank(need.offers_made),
                           proposed=need.proposed_offer, accept_form=EmptyForm(),
                           form=decline_form or DeclineProposalForm(formdata=None),
                           requirement_labels=services.requirement_keys(need)), status


def _to_need(holder_id: int, need_id: int):
    return redirect(url_for("needs.holder_need", holder_id=holder_id, need_id=need_id))


@bp.get("/people/<int:holder_id>/needs/<int:need_id>")
@require(IsSignedIn)
def holder_need(holder_id: int, need_id: int):
    return _page(holders.access(current_user, holder_id), need_id)


@bp.post("/people/<int:holder_id>/needs/<int:need_id>/offers/<int:offer_id>/accept")
@require(IsSignedIn)
def accept_offer(holder_id: int, need_id: int, offer_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    done = press(EmptyForm(), lambda: services.accept(acting, need_id, offer_id))
    if done:
        flash(f"You have accepted {done.value.organisation.name}. Your support agreement has started.", "success")
    return _to_need(holder_id, need_id)


@bp.post("/people/<int:holder_id>/needs/<int:need_id>/offers/<int:offer_id>/decline")
@require(IsSignedIn)
def decline_offer(holder_id: int, need_id: int, offer_id: int):
    acting = holders.access(current_user, holder_id, act=True)
    form = DeclineProposalForm()
    if submit(form, lambda: services.decline_proposal(acting, need_id, offer_id, form.note.data)):
        flash("Your broker has been told you would like something different.", "success")
        return _to_need(holder_id, need_id)
    return _page(acting, need_id, form, 400)
