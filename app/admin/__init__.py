"""Platform administration: overview, finding a user, audit log, search index, invitations, funding
bodies, and creating a hub with its lead's invitation (the pages that manage one hub are in `app/hubs/`)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import funders, hubs, invitations, search, users, views  # noqa: E402,F401 - routes
