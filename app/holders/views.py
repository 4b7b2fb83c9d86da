"""A budget holder's space, used by the person and by the people they allow to help:
overview, helpers (delegations), about me, and claiming a record a broker created."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.services import find_by_email
from app.accounts.session import sign_in_browser
from app.core.errors import DomainError
from app.core.forms import EmptyForm, apply_errors
from app.core.permissions import IsSignedIn, require
from app.core.reference import BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS, LANGUAGES
from app.engagements import reviews
from app.engagements import services as engagements
from app.holders import services
from app.holders.forms import AboutForm, HelperForm
from app.invitations.forms import AcceptWithAccountForm

bp = Blueprint("holders", __name__)


@bp.get("/people/<int:holder_id>")
@require(IsSignedIn)
def overview(holder_id: int):
    acting = services.access(current_user, holder_id)
    holder = acting.holder
    return render_template(
        "holders/overview.html", acting=acting, holder=holder,
        engagement=engagements.active_engagement(holder), waiting=engagements.pending_request(holder),
        requests=engagements.holder_requests(holder), engagements=engagements.holder_engagements(holder),
        to_review=reviews.awaiting_review(holder.id), form=EmptyForm(),
        BROKERAGE_FUNCTIONS=BROKERAGE_FUNCTIONS, COMMUNICATION_NEEDS=COMMUNICATION_NEEDS, LANGUAGES=LANGUAGES,
    )


@bp.route("/people/<int:holder_id>/about", methods=["GET", "POST"])
@require(IsSignedIn)
def about(holder_id: int):
    acting = services.access(current_user, holder_id, act=True)
    holder = acting.holder
    form = AboutForm(obj=holder) if request.method == "GET" else AboutForm()
    if form.validate_on_submit():
        try:
            services.update_about_me(acting, district=form.district.data or None,
                                     communication_needs=form.communication_needs.data or [],
                                     preferred_language=form.preferred_language.data or None)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Saved.", "success")
            return redirect(url_for("holders.overview", holder_id=holder.id))
    return render_template("holders/about.html", form=form, acting=acting), 400 if form.errors else 200


@bp.get("/people/<int:holder_id>/helpers")
@require(IsSignedIn)
def helpers(holder_id: int):
    acting = services.access(current_user, holder_id)
    return render_template("holders/helpers.html", acting=acting, delegations=acting.holder.delegations,
                           form=EmptyForm())


@bp.route("/people/<int:holder_id>/helpers/new", methods=["GET", "POST"])
@require(IsSignedIn)
def invite_helper(holder_id: int):
    acting = services.access(current_user, holder_id, act=True)
    if not acting.is_self:
        flash("Only the person themselves can choose who helps them.", "error")
        return redirect(url_for("holders.helpers", holder_id=holder_id))
    form = HelperForm()
    if form.validate_on_submit():
        try:
            services.invite_helper(acting, name=form.name.data, email=form.email.data,
                                   relationship=form.relationship.data or "", access_level=form.access.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"We have emailed an invitation to {form.email.data}.", "success")
            return redirect(url_for("holders.helpers", holder_id=holder_id))
    return render_template("holders/invite_helper.html", form=form, acting=acting), 400 if form.errors else 200


@bp.post("/people/<int:holder_id>/helpers/<int:delegation_id>/stop")
@require(IsSignedIn)
def revoke_helper(holder_id: int, delegation_id: int):
    acting = services.access(current_user, holder_id)
    if EmptyForm().validate_on_submit():
        try:
            delegation = services.revoke_helper(acting, delegation_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            if delegation.user_id == current_user.id and not acting.is_self:
                flash(f"You no longer help {acting.holder.name}.", "success")
                return redirect(url_for("core.home"))
            flash(f"{delegation.name} can no longer see or do anything for you.", "success")
    return redirect(url_for("holders.helpers", holder_id=holder_id))


@bp.route("/helpers/<token>", methods=["GET", "POST"])
def accept_helper(token: str):
    try:
        delegation = services.find_helper_invitation(token)
    except DomainError as error:
        return render_template("holders/link_problem.html", message=error.message), 400
    if current_user.is_authenticated:
        form = EmptyForm()
        if form.validate_on_submit():
            try:
                services.accept_helper_invitation(token, current_user._get_current_object())
            except DomainError as error:
                return render_template("holders/link_problem.html", message=error.message), 400
            flash(f"You can now help {delegation.holder.name}.", "success")
            return redirect(url_for("holders.overview", holder_id=delegation.holder_id))
        return render_template("holders/accept_helper.html", delegation=delegation, form=form)
    if find_by_email(delegation.email) is not None:
        return render_template("holders/accept_helper.html", delegation=delegation,
                               sign_in_url=url_for("accounts.sign_in", next=request.path))
    form = AcceptWithAccountForm(name=delegation.name) if request.method == "GET" else AcceptWithAccountForm()
    if form.validate_on_submit():
        try:
            user = services.accept_helper_with_new_account(token, form.name.data, form.password.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            sign_in_browser(user)
            flash(f"Your account is ready. You can now help {delegation.holder.name}.", "success")
            return redirect(url_for("holders.overview", holder_id=delegation.holder_id))
    return render_template("holders/accept_helper.html", delegation=delegation, form=form, new_account=True), (
        400 if form.errors else 200)


@bp.route("/claim/<token>", methods=["GET", "POST"])
def claim(token: str):
    try:
        claim_row = services.find_claim(token)
    except DomainError as error:
        return render_template("holders/link_problem.html", message=error.message), 400
    if current_user.is_authenticated:
        form = EmptyForm()
        if form.validate_on_submit():
            try:
                holder = services.claim_record(token, current_user._get_current_object())
            except DomainError as error:
                return render_template("holders/link_problem.html", message=error.message), 400
            flash("Your record is now yours. You can see your broker and everything arranged for you.", "success")
            return redirect(url_for("holders.overview", holder_id=holder.id))
        return render_template("holders/claim.html", claim=claim_row, form=form)
    if find_by_email(claim_row.email) is not None:
        return render_template("holders/claim.html", claim=claim_row,
                               sign_in_url=url_for("accounts.sign_in", next=request.path))
    form = AcceptWithAccountForm(name=claim_row.holder.name) if request.method == "GET" else AcceptWithAccountForm()
    if form.validate_on_submit():
        try:
            user = services.claim_with_new_account(token, form.name.data, form.password.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            sign_in_browser(user)
            flash("Your account is ready and your record is now yours.", "success")
            return redirect(url_for("holders.overview", holder_id=user.budget_holder.id))
    return render_template("holders/claim.html", claim=claim_row, form=form, new_account=True), (
        400 if form.errors else 200)
