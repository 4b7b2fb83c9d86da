"""Invoices and payments, front door: sending invoices (providers and brokers), the person's
approval, query and standing approval, and paying by hand."""

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
from app.payments.policies import pay_refusal

__all__ = [
    "Allowance", "BrokerWork", "ExtraLine", "InvoicedSoFar", "ManualPayment", "PayChoice", "ProviderInvoiceDraft",
    "Share", "agreed_minutes_for", "agreement_invoices", "allowance", "answer", "approve", "approve_due",
    "broker_invoice", "broker_invoices", "broker_work", "correct_broker_invoice", "correct_provider_invoice",
    "end_standing_approval", "holder_invoice", "holder_payment", "invoiced_so_far", "invoices_of", "last_day",
    "live_engagement_invoices", "next_broker_period", "next_period", "organisation_invoice", "organisation_invoices",
    "pay_choices", "pay_manually", "pay_refusal", "payee_invoice", "query", "reverse_payment", "send_broker_invoice",
    "send_provider_invoice", "set_standing_approval", "standing_approval_for", "to_decide_or_pay",
]
