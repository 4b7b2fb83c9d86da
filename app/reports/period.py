"""The period a report covers: whole London days, from a first day to a last day (both
included); by default the last 90 days up to today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.core.timeutil import format_date, london_day_bounds, today_in_london

DEFAULT_DAYS = 90
LONGEST = timedelta(days=3 * 366)


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date

    @property
    def start(self) -> datetime:
        """The UTC instant the first day starts."""
        return london_day_bounds(self.first_day)[0]

    @property
    def end(self) -> datetime:
        """The UTC instant the last day ends (not included)."""
        return london_day_bounds(self.last_day)[1]

    @property
    def label(self) -> str:
        return f"{format_date(self.first_day)} to {format_date(self.last_day)}"

    @property
    def slug(self) -> str:
        """For a download's file name: 2026-09-06-to-2026-12-04."""
        return f"{self.first_day.isoformat()}-to-{self.last_day.isoformat()}"

    def args(self) -> dict[str, list[str]]:
        """The query arguments that choose this period (the date boxes' day, month and year)."""
        return {name: [str(day.day), str(day.month), str(day.year)]
                for name, day in (("start", self.first_day), ("end", self.last_day))}


def default_period(today: date | None = None) -> Period:
    today = today or today_in_london()
    return Period(today - timedelta(days=DEFAULT_DAYS - 1), today)


def months_back(count: int, today: date | None = None) -> list[date]:
    """The first days of the last `count` calendar months, oldest first, this month last."""
    today = today or today_in_london()
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def month_after(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)
