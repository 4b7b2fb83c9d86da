"""Writing a plan: one part at a time (its words; how the money is managed; when support starts)
and its costed lines."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsSignedIn, require
from app.ledger import services as ledger
from app.plans import services
from app.plans.forms import LineForm, MoneyForm, SectionForm, StartForm, paid_by_choices
from app.plans.sections import BY_KEY
from app.plans.views import bp
from app.plans.views.reading import to_plan


def _editing(holder_id: int, plan_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id, viewing="editing")
    if not services.actions_for(access, plan)["edit"]:
        flash(f"This plan is {plan.status.label.lower()}, so it cannot be changed now.", "error")
        return access, plan, to_plan(plan)
    return access, plan, None


def _section_form(plan, key: str):
    sections = plan.sections or {}
    if key == "money":
        arrangement = plan.money_arrangement.value if plan.money_arrangement else None
        return MoneyForm(data={"arrangement": arrangement, "text": sections.get("money", "")})
    if key == "start":
        return StartForm(data={"starts_on": plan.services_start_on, "review_weeks": plan.review_weeks})
    return SectionForm(data={"text": sections.get(key, "")})


def _save(access, plan, key: str, form):
    if key == "money":
        return services.save_money(access, plan, form.arrangement.data, form.text.data)
    if key == "start":
        return services.save_start(access, plan, form.starts_on.data, form.review_weeks.data)
    return services.save_section(access, plan, key, form.text.data)


@bp.route("/people/<int:holder_id>/plans/<int:plan_id>/sections/<key>", methods=["GET", "POST"])
@require(IsSignedIn)
def section(holder_id: int, plan_id: int, key: str):
    part = BY_KEY.get(key)
    if part is None or key == "needs":
        abort(404)
    access, plan, refused = _editing(holder_id, plan_id)
    if refused:
        return refused
    form = _section_form(plan, key)
    if submit(form, lambda: _save(access, plan, key, form)):
        flash(f"{part.heading} saved.", "success")
        return redirect(url_for("plans.show", holder_id=holder_id, plan_id=plan_id, _anchor=f"part-{key}"))
    return form_page("plans/section_form.html", form, access=access, plan=plan, part=part)


def _line_form(access, line=None) -> LineForm:
    data = None
    if line is not None:
        paid = f"stream-{line.funding_stream_id}" if line.funding_stream_id else line.paid_by.value
        data = {"need": line.need, "support": line.support, "given_by": line.given_by.value,
                "given_by_name": line.given_by_name, "quantity": line.quantity,
                "cost": line.cost_pence or None, "paid_by": paid}
    form = LineForm(data=data)
    company = ledger.company_of(access.holder)
    form.paid_by.choices = paid_by_choices(company.streams if company else [])
    return form


@bp.route("/people/<int:holder_id>/plans/<int:plan_id>/lines/new", methods=["GET", "POST"])
@require(IsSignedIn)
def new_line(holder_id: int, plan_id: int):
    access, plan, refused = _editing(holder_id, plan_id)
    if refused:
        return refused
    form = _line_form(access)
    if submit(form, lambda: services.add_line(access, plan, form.details())):
        flash("Support added to the plan.", "success")
        return redirect(url_for("plans.show", holder_id=holder_id, plan_id=plan_id, _anchor="part-needs"))
    return form_page("plans/line_form.html", form, access=access, plan=plan, line=None)


@bp.route("/people/<int:holder_id>/plans/<int:plan_id>/lines/<int:line_id>", methods=["GET", "POST"])
@require(IsSignedIn)
def edit_line(holder_id: int, plan_id: int, line_id: int):
    access, plan, refused = _editing(holder_id, plan_id)
    if refused:
        return refused
    line = services.plan_line(plan, line_id)
    form = _line_form(access, line)
    if submit(form, lambda: services.change_line(access, plan, line.id, form.details())):
        flash("Support changed.", "success")
        return redirect(url_for("plans.show", holder_id=holder_id, plan_id=plan_id, _anchor="part-needs"))
    return form_page("plans/line_form.html", form, access=access, plan=plan, line=line, remove_form=EmptyForm())


@bp.post("/people/<int:holder_id>/plans/<int:plan_id>/lines/<int:line_id>/remove")
@require(IsSignedIn)
def remove_line(holder_id: int, plan_id: int, line_id: int):
    access, plan = services.acting_on(current_user, holder_id, plan_id)
    services.plan_line(plan, line_id)
    if press(EmptyForm(), lambda: services.remove_line(access, plan, line_id)):
        flash("Support removed from the plan.", "success")
    return redirect(url_for("plans.show", holder_id=holder_id, plan_id=plan_id, _anchor="part-needs"))
