"""Site-wide pages: health check, accessibility statement, privacy notice, and the
notification list. (Each role's home page is in `app/home`.)"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from app.core import notifications
from app.core.forms import EmptyForm
from app.core.pagination import page_number
from app.core.permissions import IsSignedIn, require
from app.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200


@bp.get("/accessibility")
def accessibility():
    return render_template("core/accessibility.html")


@bp.get("/privacy")
def privacy():
    return render_template("core/privacy.html")


@bp.get("/notifications")
@require(IsSignedIn)
def notifications_list():
    pagination = notifications.list_for(current_user, page=page_number(request.args))
    return render_template("core/notifications.html", pagination=pagination, form=EmptyForm())


@bp.post("/notifications/<int:notification_id>/read")
@require(IsSignedIn)
def notification_read(notification_id: int):
    form = EmptyForm()
    if form.validate_on_submit():
        notifications.mark_read(current_user, notification_id)
    return redirect(url_for("core.notifications_list"))


@bp.post("/notifications/read-all")
@require(IsSignedIn)
def notifications_read_all():
    form = EmptyForm()
    if form.validate_on_submit():
        count = notifications.mark_read(current_user)
        flash(f"Marked {count} notification{'s' if count != 1 else ''} as read.", "success")
    return redirect(url_for("core.notifications_list"))
