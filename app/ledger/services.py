"""The ledger's front door: the person's company and funding streams, money received, the funder's
confirmation, and the books' own check. See `posting` for how money moves."""

from __future__ import annotations

from app.ledger.companies import (
    FUNDING_NEWS,
    MONEY_NEWS,
    CompanyDetails,
    StreamDetails,
    add_stream,
    change_stream,
    company_of,
    funder_sets,
    holder_stream,
    officer_stream,
    required_company,
    set_up_company,
    update_company,
)
from app.ledger.receipts import holder_receipt, receipts_of, record_receipt, reverse_receipt
from app.ledger.verify import Report, verify

__all__ = [
    "FUNDING_NEWS", "MONEY_NEWS", "CompanyDetails", "Report", "StreamDetails", "add_stream", "change_stream",
    "company_of", "funder_sets", "holder_receipt", "holder_stream", "officer_stream", "receipts_of", "record_receipt",
    "required_company", "reverse_receipt", "set_up_company", "update_company", "verify",
]
