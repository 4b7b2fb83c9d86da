"""Brokerage pages: asking a broker (budget holders), requests and clients (brokers), band
changes, engagements and reviews (hub leads), and bands (platform admin)."""

from flask import Blueprint

bp = Blueprint("engagements", __name__)

from app.engagements.views import admin, broker, holder, hub  # noqa: E402,F401
