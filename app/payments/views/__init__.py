"""Invoices and payments: providers and brokers sending invoices, the person approving, querying
and paying them."""

from flask import Blueprint

from app.payments import stripe_gateway
from app.payments.models import EVENT_LABELS

bp = Blueprint("payments", __name__)
bp.add_app_template_global(EVENT_LABELS, "invoice_event_labels")
bp.add_app_template_global(stripe_gateway.configured, "card_payments_switched_on")

from app.payments.views import broker, card, holder, payouts, provider  # noqa: E402,F401
