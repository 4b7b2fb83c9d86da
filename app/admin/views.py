"""Platform admin pages: the overview and the audit log. The other admin pages are beside this
module (search index, invitations, funding bodies, creating a hub); the blueprint is `app.admin.bp`."""

from __future__ import annotations

from flask import render_template, request

from app.admin import bp
from app.admin.forms import AuditFilterForm
from app.core import audit, audit_labels
from app.core.pagination import page_number
from app.core.permissions import IsAdmin, require
from app.core.timeutil import london_day_bounds
from app.search import services as search


@bp.get("/")
@require(IsAdmin)
def index():
    return render_template("admin/index.html", search_health=search.health(), search_backlog=search.backlog())


def _audit_filter(form: AuditFilterForm) -> audit.AuditFilter:
    if not (request.args and form.validate()):
        return audit.AuditFilter()
    return audit.AuditFilter(
        action=form.action.data or None,
        actor_email=form.actor_email.data or None,
        object_type=form.object_type.data or None,
        object_id=form.object_id.data or None,
        since=london_day_bounds(form.since.data)[0] if form.since.data else None,
        until=london_day_bounds(form.until.data)[1] if form.until.data else None,
    )


@bp.get("/audit")
@require(IsAdmin)
def audit_log():
    form = AuditFilterForm(request.args)
    known = sorted(audit.known_actions(), key=audit_labels.label)
    form.action.choices = [("", "Any event")] + [(action, audit_labels.label(action)) for action in known]
    pagination = audit.search(_audit_filter(form), page=page_number(request.args))
    args = {k: v for k, v in request.args.items(multi=False) if k != "page"}
    return render_template("admin/audit.html", form=form, pagination=pagination, args=args,
                           event_label=audit_labels.label), (
        400 if form.errors else 200
    )
