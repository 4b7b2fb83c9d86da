"""The hub lead's side: engagements in the hub (each view audited), band changes, reviews."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.core.flows import row_form, row_forms, submit
from app.core.permissions import IsHubLead, require
from app.core.reference import BROKERAGE_FUNCTIONS, QUALITY_ANSWERS, QUALITY_QUESTIONS
from app.engagements import services
from app.engagements.forms import DecisionWithNoteForm, ModerationForm
from app.engagements.views import bp


@bp.get("/hub/engagements")
@require(IsHubLead)
def hub_engagements():
    return render_template("engagements/hub_engagements.html", engagements=services.hub_engagements(current_user))


@bp.get("/hub/engagements/<int:engagement_id>")
@require(IsHubLead)
def hub_engagement(engagement_id: int):
    engagement = services.hub_engagement(current_user, engagement_id)
    return render_template("engagements/hub_engagement.html", engagement=engagement,
                           BROKERAGE_FUNCTIONS=BROKERAGE_FUNCTIONS)


def _band_changes_page(failed=None, failed_id=None, status=200):
    changes = services.hub_band_changes(current_user)
    forms = row_forms(DecisionWithNoteForm, "c", changes, failed, failed_id)
    return render_template("engagements/hub_band_changes.html", changes=changes, forms=forms, failed=failed), status


@bp.get("/hub/band-changes")
@require(IsHubLead)
def hub_band_changes():
    return _band_changes_page()


@bp.post("/hub/band-changes/<int:change_id>")
@require(IsHubLead)
def decide_band_change(change_id: int):
    form = row_form(DecisionWithNoteForm, "c", change_id)
    if submit(form, lambda: services.decide_band_change(current_user, change_id, approve=form.decision.data == "approve",
                                                        note=form.note.data or "")):
        flash("Decision saved and the broker has been told.", "success")
        return redirect(url_for("engagements.hub_band_changes"))
    return _band_changes_page(form, change_id, 400)


@bp.get("/hub/reviews")
@require(IsHubLead)
def hub_reviews():
    return _reviews_page(services.hub_reviews(current_user))


def _reviews_page(items, failed=None, failed_key=None, status=200):
    kind, failed_id = failed_key or (None, None)
    forms = row_forms(ModerationForm, "r", items, failed if kind != "reply" else None, failed_id)
    reply_forms = row_forms(ModerationForm, "reply", items, failed if kind == "reply" else None, failed_id)
    return render_template("engagements/hub_reviews.html", reviews=items, forms=forms, reply_forms=reply_forms,
                           failed=failed, QUALITY_QUESTIONS=QUALITY_QUESTIONS, QUALITY_ANSWERS=QUALITY_ANSWERS), status


@bp.post("/hub/reviews/<int:review_id>")
@require(IsHubLead)
def moderate_review(review_id: int):
    return _decide("review", review_id, services.moderate, "Review checked.")


@bp.post("/hub/reviews/<int:review_id>/reply")
@require(IsHubLead)
def moderate_reply(review_id: int):
    return _decide("reply", review_id, services.moderate_reply, "Reply checked.")


def _decide(kind: str, review_id: int, decide, done: str):
    """A hub lead's decision on a review or on the broker's reply: the same form and flow."""
    form = row_form(ModerationForm, "r" if kind == "review" else "reply", review_id)
    if submit(form, lambda: decide(current_user, review_id, publish=form.decision.data == "publish",
                                   note=form.note.data or "")):
        flash(done, "success")
        return redirect(url_for("engagements.hub_reviews"))
    return _reviews_page(services.hub_reviews(current_user), form, (kind, review_id), 400)
