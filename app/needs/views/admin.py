"""Platform admin: the service categories."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.errors import DomainError
from app.core.forms import apply_errors
from app.core.permissions import IsAdmin, require
from app.needs.forms import CategoryForm
from app.needs.views import bp
from app.taxonomy import services as taxonomy


@bp.get("/admin/categories")
@require(IsAdmin)
def admin_categories():
    return render_template("needs/admin_categories.html", categories=taxonomy.categories(active_only=False))


@bp.route("/admin/categories/new", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/admin/categories/<int:category_id>", methods=["GET", "POST"])
@require(IsAdmin)
def admin_category(category_id: int | None):
    category = taxonomy.get(category_id) if category_id else None
    form = CategoryForm(obj=category) if request.method == "GET" and category else CategoryForm()
    if request.method == "GET" and category:
        form.regulated.data = "yes" if category.regulated else "no"
        form.active.data = "yes" if category.active else "no"
    if form.validate_on_submit():
        try:
            saved = taxonomy.save(current_user, category, name=form.name.data, description=form.description.data or "",
                                  regulated=form.regulated.data == "yes", active=form.active.data == "yes")
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{saved.name} saved.", "success")
            return redirect(url_for("needs.admin_categories"))
    return render_template("needs/admin_category.html", form=form, category=category), 400 if form.errors else 200
