"""Platform admin: the accredited course list and the broker standards."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.brokers import rules, standards
from app.brokers.forms import CourseForm, StandardsForm
from app.brokers.views import bp
from app.core.flows import form_page, press, submit
from app.core.forms import EmptyForm
from app.core.permissions import IsAdmin, require


@bp.get("/admin/courses")
@require(IsAdmin)
def admin_courses():
    return render_template("brokers/admin/courses.html", courses=standards.all_courses(), form=EmptyForm())


@bp.route("/admin/courses/new", methods=["GET", "POST"])
@require(IsAdmin)
def admin_course_new():
    form = CourseForm()
    done = submit(form, lambda: standards.add_course(current_user, title=form.title.data,
                                                     awarding_body=form.awarding_body.data, level=form.level.data))
    if done:
        flash(f"{done.value.label} added.", "success")
        return redirect(url_for("brokers.admin_courses"))
    return form_page("brokers/admin/course_new.html", form)


@bp.post("/admin/courses/<int:course_id>/active")
@require(IsAdmin)
def admin_course_toggle(course_id: int):
    done = press(EmptyForm(), lambda: standards.toggle_course(current_user, course_id))
    if done:
        course = done.value
        flash(f"{course.label} is {'back on the list' if course.active else 'no longer offered to new applicants'}.",
              "success")
    return redirect(url_for("brokers.admin_courses"))


@bp.get("/admin/standards")
@require(IsAdmin)
def admin_standards():
    return render_template("brokers/admin/standards.html", versions=standards.versions())


@bp.route("/admin/standards/new", methods=["GET", "POST"])
@require(IsAdmin)
def admin_standards_new():
    current = rules.current_standards()
    form = StandardsForm(text=current.text if current else "")
    done = submit(form, lambda: standards.publish(current_user, text=form.text.data,
                                                  summary_of_changes=form.summary_of_changes.data or ""))
    if done:
        flash(f"Version {done.value.number} published. Every broker has been asked to accept it.", "success")
        return redirect(url_for("brokers.admin_standards"))
    return form_page("brokers/admin/standards_new.html", form, current=current)
