"""The person's support plans at /people/<holder id>/plans: reading (full, easy-read, print,
versions and their comparison), writing, the workflow's moves, reviews and the thread; and the
funder officer's indicative budgets."""

from flask import Blueprint

bp = Blueprint("plans", __name__)

from app.plans.views import deciding, funder, reading, writing  # noqa: E402,F401
