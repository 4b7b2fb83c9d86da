"""Site-wide pages: home (one per role), health check, accessibility statement, privacy
notice, and the notification list."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from app.core import notifications
from app.core.forms import EmptyForm
from app.core.pagination import page_number
from app.core.permissions import IsSignedIn, require
from app.core.roles import Role
from app.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("core/landing.html")
    return render_template("core/home.html", roles=current_user.roles, Role=Role, home=home_summary(current_user))


def home_summary(user) -> dict:
    """What each role's card on the home page needs to say."""
    from app.brokers import rules
    from app.engagements import reviews
    from app.engagements import services as engagements
    from app.engagements.models import RequestStatus

    summary: dict = {}
    holder = user.budget_holder
    if holder is not None and holder.closed_at is None:
        summary.update(engagement=engagements.active_engagement(holder), waiting=engagements.pending_request(holder),
                       to_review=reviews.awaiting_review(holder.id))
    broker = user.broker_profile
    if broker is not None:
        summary["pending_requests"] = sum(
            1 for r in engagements.broker_requests(user) if r.status == RequestStatus.PENDING)
        if broker.status.value == "approved":
            summary["broker_availability"] = rules.availability(broker)
    return summary


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
        db.session.commit()
    return redirect(url_for("core.notifications_list"))


@bp.post("/notifications/read-all")
@require(IsSignedIn)
def notifications_read_all():
    form = EmptyForm()
    if form.validate_on_submit():
        count = notifications.mark_read(current_user)
        db.session.commit()
        flash(f"Marked {count} notification{'s' if count != 1 else ''} as read.", "success")
    return redirect(url_for("core.notifications_list"))
