"""Seeing the money, front door: figures and forecasts, statements, the money pages' readings."""

from __future__ import annotations

from app.money.figures import MoneyWarning, StreamFigures, figures_for, future_cost, paying_stream
from app.money.overview import (
    SHARE_BUDGET,
    MoneyPage,
    StreamPage,
    broker_budget,
    current_budget_consent,
    funder_statement_stream,
    funder_stream_figures,
    funder_streams,
    holder_statement_stream,
    money_page,
    share_budget_with_broker,
    stop_sharing_budget,
    stream_page,
)
from app.money.statements import Period, Statement, period_of, periods_of, statement, statement_csv

__all__ = [
    "SHARE_BUDGET", "MoneyPage", "MoneyWarning", "Period", "Statement", "StreamFigures", "StreamPage", "broker_budget",
    "current_budget_consent", "figures_for", "funder_statement_stream", "funder_stream_figures", "holder_statement_stream", "funder_streams", "future_cost", "money_page",
    "paying_stream", "period_of", "periods_of", "share_budget_with_broker", "statement", "statement_csv",
    "stop_sharing_budget", "stream_page",
]
