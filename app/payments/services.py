"""Invoices and payments, front door: sending invoices (providers and brokers), the person's
approval, query and standing approval, paying by hand, and paying by card or Direct Debit through
Stripe (payees' connected accounts, Checkout, the webhook and reconcile)."""

from __future__ import annotations

from app.payments.approvals import (
    answer,
    approve,
    approve_due,
    correct_broker_invoice,
    correct_provider_invoice,
    end_standing_approval,
    holder_invoice,
    invoices_of,
    payee_invoice,
    query,
    set_standing_approval,
    to_decide_or_pay,
)
from app.payments.card import CardPayment, card_refusal, holder_checkout, methods, start_checkout
from app.payments.invoicing import (
    ExtraLine,
    ProviderInvoiceDraft,
    agreed_minutes_for,
    send_broker_invoice,
    send_provider_invoice,
    standing_approval_for,
)
from app.payments.payee import (
    Allowance,
    BrokerWork,
    InvoicedSoFar,
    agreement_invoices,
    allowance,
    broker_invoice,
    broker_invoices,
    broker_work,
    invoiced_so_far,
    last_day,
    live_engagement_invoices,
    next_broker_period,
    next_period,
    organisation_invoice,
    organisation_invoices,
)
from app.payments.paying import (
    ManualPayment,
    PayChoice,
    Share,
    holder_payment,
    pay_choices,
    pay_manually,
    reverse_payment,
)
from app.payments.payouts import (
    Payee,
    broker_payee,
    check_with_stripe,
    connect,
    dashboard,
    organisation_payee,
    switched_on,
)
from app.payments.policies import pay_refusal
from app.payments.stripe_events import apply_waiting_refunds, receive, reconcile_one, record, to_reconcile
from app.payments.stripe_gateway import BadSignature, StripeUnavailable, hosted_origins
from app.payments.stripe_log import flagged_checkouts, stripe_event, stripe_events

__all__ = [
    "CardPayment", "Payee", "broker_payee", "dashboard", "card_refusal", "check_with_stripe", "connect", "holder_checkout",
    "methods", "organisation_payee", "receive", "reconcile_one", "record", "start_checkout", "switched_on",
    "to_reconcile", "apply_waiting_refunds", "BadSignature", "StripeUnavailable", "hosted_origins", "flagged_checkouts", "stripe_event",
    "stripe_events",
    "Allowance", "BrokerWork", "ExtraLine", "InvoicedSoFar", "ManualPayment", "PayChoice", "ProviderInvoiceDraft",
    "Share", "agreed_minutes_for", "agreement_invoices", "allowance", "answer", "approve", "approve_due",
    "broker_invoice", "broker_invoices", "broker_work", "correct_broker_invoice", "correct_provider_invoice",
    "end_standing_approval", "holder_invoice", "holder_payment", "invoiced_so_far", "invoices_of", "last_day",
    "live_engagement_invoices", "next_broker_period", "next_period", "organisation_invoice", "organisation_invoices",
    "pay_choices", "pay_manually", "pay_refusal", "payee_invoice", "query", "reverse_payment", "send_broker_invoice",
    "send_provider_invoice", "set_standing_approval", "standing_approval_for", "to_decide_or_pay",
]
