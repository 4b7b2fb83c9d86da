"""The hub report on PostgreSQL: the database works out the hours between timestamps there
(EXTRACT(EPOCH ...)) rather than with SQLite's Julian days, so the hand-built history must give
the same numbers on both."""

from __future__ import annotations

from datetime import timedelta

from app.reports import services
from app.reports.period import Period
from tests.history_helpers import build_history


def test_the_hand_built_history_gives_the_same_numbers_on_postgresql(pg_app):
    history = build_history()
    report = services.hub_report(history.lead, None, Period(history.today - timedelta(days=89), history.today))
    needs = report.needs
    assert (needs.posted, needs.open, needs.filled, needs.withdrawn) == (5, 1, 3, 1)
    assert (needs.first_offer_median, needs.first_offer_p90, needs.filled_median, needs.filled_p90) == (10, 20, 120, 960)
    assert (needs.filled_in_30_days, needs.told_in_4_hours) == (67, 40)
    lines = {p.name: (p.told, p.offers, p.offered_on, p.median_response, p.accepted, p.handed_back)
             for p in report.providers}
    assert lines == {"P1 Care": (4, 1, 1, 9, 1, 0), "P2 Care": (1, 2, 2, 22.5, 1, 0),
                     "P3 Care": (1, 1, 1, 0.5, 1, 0), "P4 Care": (1, 0, 0, None, 0, 0)}
    assert (report.gaps.count, len(report.gaps.overdue), report.listed_brokers) == (3, 2, 1)
