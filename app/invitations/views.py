"""Invitation pages: accepting an invitation, and sending them (hub leads; admins in admin/)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.session import sign_in_browser
from app.core.errors import DomainError
from app.core.forms import EmptyForm, apply_errors
from app.core.pagination import page_number
from app.core.permissions import CanInviteBrokers, IsHubLead, require
from app.core.roles import Role
from app.core.timeutil import utcnow
from app.invitations import services
from app.invitations.forms import AcceptWithAccountForm, BrokerInvitationForm

bp = Blueprint("invitations", __name__)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept(token: str):
    try:
        invitation = services.find_valid(token)
    except services.InvitationInvalid as error:
        return render_template("invitations/problem.html", message=error.message), 400

    if current_user.is_authenticated:
        form = EmptyForm()
        if form.validate_on_submit():
            try:
                services.accept_as(token, current_user._get_current_object())
            except services.InvitationInvalid as error:
                return render_template("invitations/problem.html", message=error.message), 400
            flash(f"You are now {invitation.role.label.lower()} ({invitation.where}).", "success")
            return redirect(url_for("core.home"))
        return render_template("invitations/accept_signed_in.html", invitation=invitation, form=form)

    from app.accounts.services import find_by_email

    if find_by_email(invitation.email) is not None:
        return render_template("invitations/accept_sign_in.html", invitation=invitation,
                               sign_in_url=url_for("accounts.sign_in", next=request.path))

    form = AcceptWithAccountForm(name=invitation.name) if request.method == "GET" else AcceptWithAccountForm()
    if form.validate_on_submit():
        try:
            user = services.accept_with_new_account(token, form.name.data, form.password.data)
        except services.InvitationInvalid as error:
            return render_template("invitations/problem.html", message=error.message), 400
        except DomainError as error:
            apply_errors(form, error)
        else:
            sign_in_browser(user)
            flash(f"Your account is ready. You are now {invitation.role.label.lower()} ({invitation.where}).", "success")
            return redirect(url_for("core.home"))
    return render_template("invitations/accept_new.html", invitation=invitation, form=form), 400 if form.errors else 200


@bp.get("/hub/invitations")
@require(IsHubLead)
def hub_list():
    pagination = services.list_visible(current_user, page=page_number(request.args))
    return render_template("invitations/hub_list.html", pagination=pagination, now=utcnow(), form=EmptyForm())


@bp.route("/hub/invitations/new", methods=["GET", "POST"])
@require(IsHubLead)
def hub_new():
    form = BrokerInvitationForm()
    hubs = current_user.led_hubs
    form.hub_id.choices = [(h.id, h.name) for h in hubs]
    if len(hubs) == 1 and request.method == "GET":
        form.hub_id.data = hubs[0].id
    if form.validate_on_submit():
        try:
            services.invite(current_user, services.NewInvitation(
                email=form.email.data, name=form.name.data, role=Role.BROKER, hub_id=form.hub_id.data))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"We have sent an invitation to {form.email.data}.", "success")
            return redirect(url_for("invitations.hub_list"))
    return render_template("invitations/hub_new.html", form=form), 400 if form.errors else 200


@bp.post("/invitations/<int:invitation_id>/withdraw")
@require(CanInviteBrokers)
def withdraw(invitation_id: int):
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            invitation = services.revoke(current_user, invitation_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(f"The invitation to {invitation.email} has been withdrawn.", "success")
    target = "admin.invitations_list" if current_user.is_platform_admin else "invitations.hub_list"
    return redirect(url_for(target))
