"""Invoices and payments: providers and brokers sending invoices, the person approving, querying
and paying them."""

from flask import Blueprint

from app.payments.models import EVENT_LABELS

bp = Blueprint("payments", __name__)
bp.add_app_template_global(EVENT_LABELS, "invoice_event_labels")

from app.payments.views import broker, holder, provider  # noqa: E402,F401
