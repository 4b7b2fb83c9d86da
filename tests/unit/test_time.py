from datetime import UTC, date, datetime, timedelta

import pytest

from app.core.timeutil import format_date, format_datetime, format_time_left, london_day_bounds, to_london


def test_summer_time_is_shown_in_london_time():
    # 12:30 UTC in July is 1:30pm in London (BST)
    assert format_datetime(datetime(2026, 7, 1, 12, 30, tzinfo=UTC)) == "1 July 2026 at 1:30pm"


def test_winter_time_is_gmt():
    assert format_datetime(datetime(2026, 11, 22, 16, 0, tzinfo=UTC)) == "22 November 2026 at 4pm"


def test_midnight_and_noon():
    assert format_datetime(datetime(2026, 1, 5, 0, 5, tzinfo=UTC)) == "5 January 2026 at 12:05am"
    assert format_datetime(datetime(2026, 1, 5, 12, 0, tzinfo=UTC)) == "5 January 2026 at 12pm"


def test_date_of_a_late_utc_time_is_the_london_date():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London
    assert format_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert format_date(date(2026, 3, 9)) == "9 March 2026"


def test_naive_datetimes_are_treated_as_utc():
    assert to_london(datetime(2026, 7, 1, 12, 0)).hour == 13


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=2, hours=3, minutes=10), "2 days 3 hours left"),
        (timedelta(hours=1, minutes=30), "1 hour 30 minutes left"),
        (timedelta(minutes=1), "1 minute left"),
        (timedelta(seconds=20), "less than a minute left"),
        (timedelta(days=1), "1 day left"),
        (timedelta(seconds=0), "closed"),
        (timedelta(minutes=-5), "closed"),
    ],
)
def test_time_left(delta, text):
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert format_time_left(now + delta, now) == text


def test_london_day_bounds_across_clock_change():
    # 29 March 2026: clocks go forward, the London day is 23 hours long
    start, end = london_day_bounds(date(2026, 3, 29))
    assert start == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 29, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(("minutes", "text"), [(0, "0 minutes"), (1, "1 minute"), (60, "1 hour"), (135, "2 hours 15 minutes"),
                                              (600, "10 hours"), (-30, "minus 30 minutes")])
def test_format_minutes(minutes, text):
    from app.core.timeutil import format_minutes

    assert format_minutes(minutes) == text


def test_working_days_skip_weekends_and_bank_holidays():
    from app.core.timeutil import add_working_days

    friday_3pm = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert add_working_days(friday_3pm, 5) == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    # Over Christmas 2026: 25 and 28 December are bank holidays
    holidays = frozenset({date(2026, 12, 25), date(2026, 12, 28)})
    wednesday = datetime(2026, 12, 23, 10, 0, tzinfo=UTC)
    assert add_working_days(wednesday, 3, holidays) == datetime(2026, 12, 30, 10, 0, tzinfo=UTC)


def test_working_days_keep_london_clock_time_across_clock_change():
    from app.core.timeutil import add_working_days

    # Friday 23 October 2026 at 9am BST (8am UTC); clocks go back on Sunday 25 October.
    start = datetime(2026, 10, 23, 8, 0, tzinfo=UTC)
    assert add_working_days(start, 1) == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)  # Monday 9am GMT


def test_working_days_skip_bank_holidays_of_any_year_from_the_holidays_package():
    from datetime import date

    from app.core.timeutil import add_working_days, bank_holidays, is_working_day

    # Christmas 2027 falls on a Saturday: the substitute days (27 and 28 December) are skipped.
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= bank_holidays(2027)
    assert add_working_days(datetime(2027, 12, 24, 10, 0, tzinfo=UTC), 1) == datetime(2027, 12, 29, 10, 0, tzinfo=UTC)
    # Years after any hand-written list would have ended: Good Friday and Easter Monday 2031.
    assert not is_working_day(date(2031, 4, 11)) and not is_working_day(date(2031, 4, 14))
    assert add_working_days(datetime(2031, 4, 10, 9, 0, tzinfo=UTC), 1) == datetime(2031, 4, 15, 9, 0, tzinfo=UTC)
