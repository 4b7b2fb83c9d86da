"""The admin's page for finding a user: by part of their name or email address, with their roles
and the state of their account."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.admin import bp, people
from app.admin import services as admin
from app.admin.forms import UserSearchForm
from app.core.permissions import IsAdmin, require


@bp.get("/users")
@require(IsAdmin)
def users():
    form = UserSearchForm(request.args)
    found = admin.find_users(current_user, form.q.data) if "q" in request.args and form.validate() else None
    return render_template("admin/users.html", form=form, found=found, limit=people.USER_SEARCH_LIMIT), (
        400 if form.errors else 200
    )
