"""Platform admin: the accredited course list and the broker standards."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.brokers import rules, standards
from app.brokers.forms import CourseForm, StandardsForm
from app.brokers.views import bp
from app.core.errors import DomainError
from app.core.forms import EmptyForm, apply_errors
from app.core.permissions import IsAdmin, require


@bp.get("/admin/courses")
@require(IsAdmin)
def admin_courses():
    return render_template("brokers/admin/courses.html", courses=standards.all_courses(), form=EmptyForm())


@bp.route("/admin/courses/new", methods=["GET", "POST"])
@require(IsAdmin)
def admin_course_new():
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = standards.add_course(current_user, title=form.title.data, awarding_body=form.awarding_body.data,
                                          level=form.level.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{course.label} added.", "success")
            return redirect(url_for("brokers.admin_courses"))
    return render_template("brokers/admin/course_new.html", form=form), 400 if form.errors else 200


@bp.post("/admin/courses/<int:course_id>/active")
@require(IsAdmin)
def admin_course_toggle(course_id: int):
    if EmptyForm().validate_on_submit():
        course = standards.toggle_course(current_user, course_id)
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
    if form.validate_on_submit():
        try:
            version = standards.publish(current_user, text=form.text.data,
                                        summary_of_changes=form.summary_of_changes.data or "")
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"Version {version.number} published. Every broker has been asked to accept it.", "success")
            return redirect(url_for("brokers.admin_standards"))
    return render_template("brokers/admin/standards_new.html", form=form, current=current), (
        400 if form.errors else 200)
