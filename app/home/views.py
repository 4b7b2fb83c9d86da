"""The home page: for someone signed in, a card per role saying what is waiting for them."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.core.roles import Role
from app.home import bp
from app.home.summary import home_summary


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    return render_template("home/index.html", roles=current_user.roles, Role=Role, home=home_summary(current_user))
