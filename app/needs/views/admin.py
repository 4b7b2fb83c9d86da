"""Platform admin: the service categories."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.flows import form_page, submit
from app.core.permissions import IsAdmin, require
from app.needs.forms import CategoryForm
from app.needs.views import bp
from app.taxonomy import services as taxonomy


def _category_form(category) -> CategoryForm:
    if request.method != "GET" or category is None:
        return CategoryForm()
    form = CategoryForm(obj=category)
    form.regulated.data = "yes" if category.regulated else "no"
    form.active.data = "yes" if category.active else "no"
    return form


@bp.get("/admin/categories")
@require(IsAdmin)
def admin_categories():
    return render_template("needs/admin_categories.html", categories=taxonomy.categories(active_only=False))


@bp.route("/admin/categories/new", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/admin/categories/<int:category_id>", methods=["GET", "POST"])
@require(IsAdmin)
def admin_category(category_id: int | None):
    category = taxonomy.get(category_id) if category_id else None
    form = _category_form(category)
    done = submit(form, lambda: taxonomy.save(
        current_user, category, name=form.name.data, description=form.description.data or "",
        regulated=form.regulated.data == "yes", active=form.active.data == "yes"))
    if done:
        flash(f"{done.value.name} saved.", "success")
        return redirect(url_for("needs.admin_categories"))
    return form_page("needs/admin_category.html", form, category=category)
