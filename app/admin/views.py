"""Platform admin pages: overview, audit log, invitations, funding bodies."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.forms import AuditFilterForm, FundingBodyForm
from app.core import audit
from app.core.errors import DomainError
from app.core.forms import EmptyForm, apply_errors
from app.core.pagination import page_number
from app.core.permissions import IsAdmin, require
from app.core.roles import Role
from app.core.timeutil import london_day_bounds, utcnow
from app.extensions import db
from app.funders import services as funders
from app.hubs.services import all_hubs
from app.invitations import services as invitations
from app.invitations.forms import AdminInvitationForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@require(IsAdmin)
def index():
    from app.search import index as search_index
    from app.search import queue

    return render_template("admin/index.html", search_health=search_index.health(), search_backlog=queue.backlog())


@bp.get("/search")
@require(IsAdmin)
def search_status():
    from app.search import index as search_index
    from app.search import queue

    listings = queue.listing_count()
    return render_template("admin/search.html", health=search_index.health(), backlog=queue.backlog(),
                           location=search_index.index_dir(), form=EmptyForm(), listings=listings,
                           can_rebuild_here=listings <= queue.WEB_REBUILD_LIMIT)


@bp.post("/search/rebuild")
@require(IsAdmin)
def search_rebuild():
    from app.search import index as search_index
    from app.search import queue

    if EmptyForm().validate_on_submit():
        if queue.listing_count() > queue.WEB_REBUILD_LIMIT:
            flash("The directory is too large to rebuild from this page: run `flask search reindex` on the "
                  "server.", "error")
            return redirect(url_for("admin.search_status"))
        try:
            count = queue.reindex()
        except search_index.LockError:
            flash("The search index is busy being updated. Try again in a minute.", "error")
        else:
            audit.record("search.rebuilt", actor=current_user, entries=count)
            db.session.commit()
            flash(f"Search index rebuilt: {count} entries.", "success")
    return redirect(url_for("admin.search_status"))


@bp.get("/audit")
@require(IsAdmin)
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = [("", "Any event")] + [(a, a) for a in audit.known_actions()]
    filters = audit.AuditFilter()
    if request.args and form.validate():
        filters = audit.AuditFilter(
            action=form.action.data or None,
            actor_email=form.actor_email.data or None,
            object_type=form.object_type.data or None,
            object_id=form.object_id.data or None,
            since=london_day_bounds(form.since.data)[0] if form.since.data else None,
            until=london_day_bounds(form.until.data)[1] if form.until.data else None,
        )
    pagination = audit.search(filters, page=page_number(request.args))
    args = {k: v for k, v in request.args.items(multi=False) if k != "page"}
    return render_template("admin/audit.html", form=form, pagination=pagination, args=args), (
        400 if form.errors else 200
    )


@bp.get("/invitations")
@require(IsAdmin)
def invitations_list():
    return render_template("admin/invitations.html", pagination=invitations.list_visible(current_user, page=page_number(request.args)),
                           now=utcnow(), form=EmptyForm())


@bp.route("/invitations/new", methods=["GET", "POST"])
@require(IsAdmin)
def invitation_new():
    form = AdminInvitationForm()
    form.hub_id.choices = [("", "Choose a hub")] + [(h.id, h.name) for h in all_hubs()]
    form.funding_body_id.choices = [("", "Choose a funding body")] + [(b.id, b.name) for b in funders.all_bodies()]
    if form.validate_on_submit():
        try:
            invitations.invite(current_user, invitations.NewInvitation(
                email=form.email.data, name=form.name.data, role=Role(form.role.data),
                hub_id=form.hub_id.data, funding_body_id=form.funding_body_id.data))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"We have sent an invitation to {form.email.data}.", "success")
            return redirect(url_for("admin.invitations_list"))
    return render_template("admin/invitation_new.html", form=form), 400 if form.errors else 200


@bp.get("/funding-bodies")
@require(IsAdmin)
def funding_bodies():
    return render_template("admin/funding_bodies.html", bodies=funders.all_bodies())


@bp.route("/funding-bodies/new", methods=["GET", "POST"])
@require(IsAdmin)
def funding_body_new():
    form = FundingBodyForm()
    if form.validate_on_submit():
        try:
            body = funders.create(current_user, form.name.data, form.kind.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{body.name} has been added.", "success")
            return redirect(url_for("admin.funding_bodies"))
    return render_template("admin/funding_body_new.html", form=form), 400 if form.errors else 200
