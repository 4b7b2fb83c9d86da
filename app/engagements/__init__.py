"""Engagements (brokerage work): a budget holder asks a broker to work with them; the engagement,
its band, agreed price and logged hours, band changes, and the review at the end. Other features
call `app.engagements.services`."""
