"""Seeing the money: each stream's figures and forecast, statements, the person's money page, the funder officer's overview, and a broker's view of a client's budget (with the person's consent)."""
