"""Brokerage pages: asking a broker (budget holders), requests and clients (brokers), band
changes, engagements and reviews (hub leads), and bands (platform admin)."""

from flask import Blueprint

bp = Blueprint("brokerage", __name__)

from app.brokerage.views import admin, broker, holder, hub  # noqa: E402,F401
