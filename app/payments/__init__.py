"""Invoices from providers and brokers, the person's approval, and payments."""
