"""Broker pages: the public list and profiles, applying, the hub lead's checks, and the admin's
courses and standards. One blueprint, one module per audience."""

from flask import Blueprint

bp = Blueprint("brokers", __name__)

from app.brokers.views import admin, apply, hub, public  # noqa: E402,F401
