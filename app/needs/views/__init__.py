"""Needs pages: the /needs board, brokers posting and choosing, providers applying, budget
holders accepting, hub leads' gaps, and the admin's service categories."""

from flask import Blueprint

bp = Blueprint("needs", __name__)

from app.needs.views import admin, agreements, board, broker, gaps, holder, hub, provider  # noqa: E402,F401
