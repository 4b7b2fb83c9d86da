"""The reports' arithmetic, on numbers worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from app.reports.fees import FeesDue, months_beginning
from app.reports.period import Period, month_after, months_back
from app.reports.stats import format_hours, median, percentile, share
from app.reports.tables import Table, cell


def test_median_is_the_middle_or_the_mean_of_the_two_middles():
    assert median([]) is None
    assert median([7]) == 7
    assert median([9, 1, 5]) == 5
    assert median([4, 1, 3, 2]) == 2.5


@pytest.mark.parametrize(("values", "expected"), [
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9),  # rank ceil(9.0) = 9
    ([10, 20, 30], 30),  # rank ceil(2.7) = 3
    ([5, 1, 4, 2], 5),  # rank ceil(3.6) = 4
    ([3], 3),
    ([], None),
])
def test_the_90th_percentile_is_by_nearest_rank(values, expected):
    assert percentile(values, 90) == expected


def test_shares_round_half_up_and_have_no_value_without_a_count():
    assert share(1, 3) == 33 and share(2, 3) == 67 and share(1, 8) == 13 and share(0, 5) == 0
    assert share(0, 0) is None


def test_hours_are_said_as_a_person_would():
    assert format_hours(None) == "None yet"
    assert format_hours(0.5) == "30 minutes"
    assert format_hours(1) == "1 hour"
    assert format_hours(22.5) == "22.5 hours"
    assert format_hours(47.9) == "47.9 hours"
    assert format_hours(120) == "5 days"
    assert format_hours(80) == "3.3 days"


def test_months_and_periods():
    assert months_back(3, date(2026, 2, 10)) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert month_after(date(2026, 12, 1)) == date(2027, 1, 1)
    assert months_beginning(date(2026, 1, 1), date(2026, 1, 31)) == 1
    assert months_beginning(date(2026, 1, 2), date(2026, 3, 1)) == 2  # 1 February and 1 March
    assert months_beginning(date(2026, 1, 2), date(2026, 1, 31)) == 0
    period = Period(date(2026, 3, 29), date(2026, 3, 29))  # the clocks go forward: a 23-hour day
    assert (period.end - period.start).total_seconds() == 23 * 3600
    assert period.args() == {"start": ["29", "3", "2026"], "end": ["29", "3", "2026"]}


def test_fees_add_up_in_pence():
    assert FeesDue(months=3, monthly_fee_pence=12345, new_clients=2, fee_per_new_client_pence=999).total_pence == 39033


def test_a_downloaded_table_never_starts_a_cell_with_a_formula():
    table = Table("t", "T", ["Name", "Number"], [[cell("=HYPERLINK(\"x\")"), cell("5", raw=5)],
                                                [cell("-1 day"), cell("x", raw=-3)]])
    assert table.to_csv().splitlines() == ["Name,Number", '"\'=HYPERLINK(""x"")",5', "'-1 day,-3"]


def test_postgresql_statements_are_planned_for_their_parameters():
    from app.config import engine_options

    assert engine_options("postgresql+psycopg://db/oc")["connect_args"] == {"prepare_threshold": None}
    assert "connect_args" not in engine_options("sqlite:///x.sqlite3")
