"""A budget holder's company, its funding streams and its double-entry ledger."""
