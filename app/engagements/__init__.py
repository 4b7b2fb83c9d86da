"""Brokerage: a budget holder asks a broker to work with them; the engagement, its band and
logged hours, band changes, and the review at the end."""
