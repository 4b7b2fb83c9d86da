"""Reading plans: the list, one plan in full with its thread, the easy-read summary, the print
view, one version, and two versions compared."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.errors import PermissionDenied
from app.core.flows import form_page, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.core.timeutil import today_in_london
from app.funders.services import all_bodies
from app.plans import services
from app.plans.forms import MessageForm, NewPlanForm
from app.plans.models import PlanStatus
from app.plans.policies import actions, writes_plans
from app.plans.sections import SECTIONS
from app.plans.views import bp


def to_plan(plan):
    return redirect(url_for("plans.show", holder_id=plan.holder_id, plan_id=plan.id))


@bp.get("/people/<int:holder_id>/plans")
@require(IsSignedIn)
def index(holder_id: int):
    access, plans = services.plans_for(current_user, holder_id, viewing="plan list")
    return render_template("plans/index.html", access=access, plans=plans)


@bp.route("/people/<int:holder_id>/plans/new", methods=["GET", "POST"])
@require(IsSignedIn)
def new(holder_id: int):
    access, plans = services.plans_for(current_user, holder_id)
    if not writes_plans(access):
        raise PermissionDenied("Only the person, someone who can act for them, or their broker starts a plan.")
    form = NewPlanForm()
    taken = {plan.funding_body_id for plan in plans}
    form.funding_body.choices = [(str(b.id), b.name) for b in all_bodies() if b.id not in taken]
    done = submit(form, lambda: services.create_plan(access, int(form.funding_body.data)))
    if done:
        flash(f"Plan for {done.value.funding_body.name} started. Fill in each part, then submit it.", "success")
        return to_plan(done.value)
    return form_page("plans/new.html", form, access=access)


def plan_context(access, plan, **extra) -> dict:
    content = services.shown_content(access, plan)
    latest = plan.latest_version
    change_requests = latest.change_requests if latest and plan.status == PlanStatus.CHANGES_REQUESTED else []
    asked = {key: request for request in change_requests for key in request.sections}
    budget = services.budget_check(plan, content, funder_view=access.role == "funder")
    return dict(access=access, plan=plan, content=content, can=actions(access, plan), budget=budget,
                edits=services.last_edits(plan), asked=asked,
                change_requests=change_requests, sections=SECTIONS, button_form=EmptyForm(), today=today_in_london(),
                **extra)


@bp.get("/people/<int:holder_id>/plans/<int:plan_id>")
@require(IsSignedIn)
def show(holder_id: int, plan_id: int, message_form: MessageForm | None = None):
    access, plan = services.open_plan(current_user, holder_id, plan_id, viewing="plan")
    context = plan_context(access, plan, messages=services.visible_messages(access, plan),
                           message_form=message_form or MessageForm(formdata=None))
    return render_template("plans/show.html", **context), 400 if message_form else 200


@bp.post("/people/<int:holder_id>/plans/<int:plan_id>/messages")
@require(IsSignedIn)
def message(holder_id: int, plan_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id)
    form = MessageForm()
    if submit(form, lambda: services.post(access, plan, form.body.data)):
        flash("Message sent.", "success")
        return redirect(url_for("plans.show", holder_id=holder_id, plan_id=plan_id, _anchor="thread"))
    return show(holder_id, plan_id, message_form=form)


@bp.get("/people/<int:holder_id>/plans/<int:plan_id>/easy-read")
@require(IsSignedIn)
def easy_read(holder_id: int, plan_id: int):
    access, plan = services.open_plan(current_user, holder_id, plan_id, viewing="easy read")
    return render_template("plans/easy_read.html", **plan_context(access, plan))


@bp.get("/people/<int:holder_id>/plans/<int:plan_id>/print")
@require(IsSignedIn)
def print_view(holder_id: int, plan_id: int):
    access, plan = services.open_plan(current_user, holder_id, plan_id, viewing="print")
    return render_template("plans/print.html", **plan_context(access, plan))


@bp.get("/people/<int:holder_id>/plans/<int:plan_id>/versions/<int:number>")
@require(IsSignedIn)
def version(holder_id: int, plan_id: int, number: int):
    access, plan = services.open_plan(current_user, holder_id, plan_id, viewing=f"version {number}")
    chosen = services.version_of(plan, number)
    return render_template("plans/version.html", access=access, plan=plan, version=chosen, sections=SECTIONS,
                           content=services.PlanContent(chosen.content))


@bp.get("/people/<int:holder_id>/plans/<int:plan_id>/compare")
@require(IsSignedIn)
def compare(holder_id: int, plan_id: int):
    access, plan = services.open_plan(current_user, holder_id, plan_id, viewing="versions compared")
    numbers = [v.number for v in plan.versions]
    first = request.args.get("a", type=int) or (numbers[-2] if len(numbers) > 1 else None)
    second = request.args.get("b", type=int) or (numbers[-1] if numbers else None)
    if first is None or second is None or first == second:
        return render_template("plans/compare.html", access=access, plan=plan, changes=None, a=first, b=second)
    a, b = services.version_of(plan, first), services.version_of(plan, second)
    return render_template("plans/compare.html", access=access, plan=plan, changes=services.compare(a, b),
                           a=first, b=second)
