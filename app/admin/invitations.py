"""The admin's invitations: every invitation sent, and inviting hub leads, funder officers,
brokers and other admins."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin import bp
from app.core.flows import form_page, submit
from app.core.forms import EmptyForm
from app.core.pagination import page_number
from app.core.permissions import IsAdmin, require
from app.core.roles import Role
from app.core.timeutil import utcnow
from app.funders import services as funders
from app.hubs import services as hubs
from app.invitations import services as invitations
from app.invitations.forms import AdminInvitationForm


@bp.get("/invitations")
@require(IsAdmin)
def invitations_list():
    pagination = invitations.list_visible(current_user, page=page_number(request.args))
    return render_template("admin/invitations.html", pagination=pagination, now=utcnow(), form=EmptyForm())


def _invitation(form: AdminInvitationForm) -> invitations.NewInvitation:
    return invitations.NewInvitation(email=form.email.data, name=form.name.data, role=Role(form.role.data),
                                     hub_id=form.hub_id.data, funding_body_id=form.funding_body_id.data)


@bp.route("/invitations/new", methods=["GET", "POST"])
@require(IsAdmin)
def invitation_new():
    form = AdminInvitationForm()
    form.hub_id.choices = [("", "Choose a hub")] + [(h.id, h.name) for h in hubs.all_hubs()]
    form.funding_body_id.choices = [("", "Choose a funding body")] + [(b.id, b.name) for b in funders.all_bodies()]
    if submit(form, lambda: invitations.invite(current_user, _invitation(form))):
        flash(f"We have sent an invitation to {form.email.data}.", "success")
        return redirect(url_for("admin.invitations_list"))
    return form_page("admin/invitation_new.html", form)
