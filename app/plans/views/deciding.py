"""The workflow's moves on one plan: submitting (the person agrees), the funder asking for changes
or approving, signing, starting a new version, asking for an early review and recording one."""

from __future__ import annotations

from flask import flash, request
from flask_login import current_user

from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.plans import services
from app.plans.forms import ChangesForm, EarlyReviewForm, SignForm, SubmitForm, VersionForm, review_form
from app.plans.views import bp
from app.plans.views.reading import plan_context, to_plan


@bp.route("/people/<int:holder_id>/plans/<int:plan_id>/submit", methods=["GET", "POST"])
@require(IsSignedIn)
def submit_plan(holder_id: int, plan_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id, viewing="submit")
    if not _offered(access, plan, "submit", f"This plan is {plan.status.label.lower()}: there is nothing to submit now."):
        return to_plan(plan)
    form = SubmitForm(data={"explanation": plan.over_budget_explanation})
    done = submit(form, lambda: services.submit(access, plan, agreed=bool(form.agree.data),
                                                explanation=form.explanation.data or ""))
    if done:
        flash(f"Version {done.value.number} sent to {plan.funding_body.name}. You will be told when they answer.",
              "success")
        return to_plan(plan)
    return form_page("plans/submit.html", form, **plan_context(access, plan))


@bp.route("/people/<int:holder_id>/plans/<int:plan_id>/changes", methods=["GET", "POST"])
@require(IsSignedIn)
def ask_for_changes(holder_id: int, plan_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id, viewing="asking for changes")
    if not _offered(access, plan, "decide", "This plan is not waiting for your answer now."):
        return to_plan(plan)
    form = ChangesForm()
    if submit(form, lambda: services.ask_for_changes(access, plan, form.sections.data or [], form.reason.data)):
        flash("The plan has been sent back with your request. Everyone working on it has been told.", "success")
        return to_plan(plan)
    return form_page("plans/changes.html", form, access=access, plan=plan)


@bp.post("/people/<int:holder_id>/plans/<int:plan_id>/approve")
@require(IsSignedIn)
def approve(holder_id: int, plan_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id)
    form = VersionForm()
    if press(form, lambda: services.approve(access, plan, version_number=form.version.data)):
        flash("Plan approved. It now needs signing by the person and by you.", "success")
    return to_plan(plan)


@bp.route("/people/<int:holder_id>/plans/<int:plan_id>/sign", methods=["GET", "POST"])
@require(IsSignedIn)
def sign(holder_id: int, plan_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id, viewing="signing")
    if not _offered(access, plan, "sign", "There is no version of this plan for you to sign now.") \
            or plan.latest_version is None:
        return to_plan(plan)
    form = SignForm(data={"version": plan.latest_version.number})
    if submit(form, lambda: services.sign(access, plan, confirmed=bool(form.confirm.data),
                                          version_number=form.version.data)):
        flash(f"You signed version {plan.latest_version.number}.", "success")
        return to_plan(plan)
    return form_page("plans/sign.html", form, version_content=services.PlanContent(plan.latest_version.content),
                     **plan_context(access, plan))


@bp.route("/people/<int:holder_id>/plans/<int:plan_id>/new-version", methods=["GET", "POST"])
@require(IsSignedIn)
def new_version(holder_id: int, plan_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id)
    if not _offered(access, plan, "new_version", "This plan cannot be changed now."):
        return to_plan(plan)
    in_force = plan.in_force_version
    form = EmptyForm()
    if press(form, lambda: services.start_new_version(access, plan)):
        flash("You can now change the plan." + (f" Version {in_force.number} stays in force until the new one is "
                                                "signed." if in_force else ""), "success")
        return to_plan(plan)
    if request.method == "POST":  # refused: the reason is flashed on the plan
        return to_plan(plan)
    return form_page("plans/new_version.html", form, access=access, plan=plan, in_force=in_force)


def _offered(access, plan, action: str, message: str) -> bool:
    """A form page opened when its move is not open to this user now (a page left open, a link kept)
    goes back to the plan, saying so, rather than showing a form that can only be refused."""
    if request.method == "GET" and not services.actions_for(access, plan)[action]:
        flash(message, "info")
        return False
    return True


@bp.route("/people/<int:holder_id>/plans/<int:plan_id>/early-review", methods=["GET", "POST"])
@require(IsSignedIn)
def early_review(holder_id: int, plan_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id)
    if not _offered(access, plan, "early_review", "You can ask for an early review once the plan is in force."):
        return to_plan(plan)
    form = EarlyReviewForm()
    if submit(form, lambda: services.ask_early_review(access, plan, form.reason.data)):
        flash("An early review has been asked for. Everyone working on the plan has been told.", "success")
        return to_plan(plan)
    return form_page("plans/early_review.html", form, access=access, plan=plan)


@bp.route("/people/<int:holder_id>/plans/<int:plan_id>/review", methods=["GET", "POST"])
@require(IsSignedIn)
def review(holder_id: int, plan_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id, viewing="review")
    if not _offered(access, plan, "review", "There is no review of this plan for you to record now."):
        return to_plan(plan)
    outcomes = services.outcomes_to_rate(plan)
    form = review_form(outcomes)
    ratings = lambda: [field.data for field in form.outcome_fields]  # noqa: E731
    if submit(form, lambda: services.record_review(access, plan, form.notes.data, ratings())):
        flash("Review recorded. The next review is booked for a year from today.", "success")
        return to_plan(plan)
    return form_page("plans/review.html", form, access=access, plan=plan, outcomes=outcomes)
