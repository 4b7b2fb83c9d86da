"""Invitation pages: accepting an invitation, and sending them (hub leads; admins in admin/)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.services import find_by_email, sign_in_browser
from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.pagination import page_number
from app.core.permissions import CanInviteBrokers, IsHubLead, require
from app.core.roles import Role
from app.core.timeutil import utcnow
from app.hubs.policies import hubs_led_by
from app.invitations import services
from app.invitations.forms import AcceptWithAccountForm, BrokerInvitationForm

bp = Blueprint("invitations", __name__)


@bp.errorhandler(services.InvitationInvalid)
def invitation_problem(error: services.InvitationInvalid):
    """A link that cannot be used has a page of its own (and nothing it started is kept)."""
    return render_template("invitations/problem.html", message=error.message), 400


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept(token: str):
    invitation = services.find_valid(token)
    if current_user.is_authenticated:
        return _accept_signed_in(token, invitation)
    if find_by_email(invitation.email) is not None:
        return render_template("invitations/accept_sign_in.html", invitation=invitation,
                               sign_in_url=url_for("accounts.sign_in", next=request.path))
    return _accept_with_new_account(token, invitation)


def _accept_signed_in(token: str, invitation):
    form = EmptyForm()
    if press(form, lambda: services.accept_as(token, current_user._get_current_object())):
        flash(f"You are now {invitation.role.label.lower()} ({invitation.where}).", "success")
        return redirect(url_for("home.index"))
    return render_template("invitations/accept_signed_in.html", invitation=invitation, form=form)


def _accept_with_new_account(token: str, invitation):
    form = AcceptWithAccountForm(name=invitation.name) if request.method == "GET" else AcceptWithAccountForm()
    done = submit(form, lambda: services.accept_with_new_account(token, form.name.data, form.password.data))
    if done:
        sign_in_browser(done.value)
        flash(f"Your account is ready. You are now {invitation.role.label.lower()} ({invitation.where}).", "success")
        return redirect(url_for("home.index"))
    return form_page("invitations/accept_new.html", form, invitation=invitation)


@bp.get("/hub/invitations")
@require(IsHubLead)
def hub_list():
    pagination = services.list_visible(current_user, page=page_number(request.args))
    return render_template("invitations/hub_list.html", pagination=pagination, now=utcnow(), form=EmptyForm())


@bp.route("/hub/invitations/new", methods=["GET", "POST"])
@require(IsHubLead)
def hub_new():
    form = BrokerInvitationForm()
    hubs = hubs_led_by(current_user)
    form.hub_id.choices = [(h.id, h.name) for h in hubs]
    if len(hubs) == 1 and request.method == "GET":
        form.hub_id.data = hubs[0].id
    if submit(form, lambda: services.invite(current_user, services.NewInvitation(
            email=form.email.data, name=form.name.data, role=Role.BROKER, hub_id=form.hub_id.data))):
        flash(f"We have sent an invitation to {form.email.data}.", "success")
        return redirect(url_for("invitations.hub_list"))
    return form_page("invitations/hub_new.html", form)


@bp.post("/invitations/<int:invitation_id>/withdraw")
@require(CanInviteBrokers)
def withdraw(invitation_id: int):
    done = press(EmptyForm(), lambda: services.revoke(current_user, invitation_id))
    if done:
        flash(f"The invitation to {done.value.email} has been withdrawn.", "success")
    target = "admin.invitations_list" if current_user.is_platform_admin else "invitations.hub_list"
    return redirect(url_for(target))
