"""Hub performance and market intelligence: the hub lead's report of their hub, every hub side by
side for the platform admin, the lists behind every number, and their CSV downloads."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from app.reports import views  # noqa: E402,F401
