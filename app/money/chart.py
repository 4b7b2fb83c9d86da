"""The chart of a stream's spending over time, drawn on the server as SVG: money spent so far,
month by month, against an even pace through the period (allocation spread evenly over its
days). The page shows the same numbers in a table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from app.core.money import round_pence
from app.ledger.reading import spending_by_day

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 64, 36, 16


@dataclass(frozen=True)
class Month:
    label: str  # "April 2026"
    short: str  # "Apr"
    ends_on: date
    spent: int  # in the month
    spent_to_date: int  # by the month's end
    even_pace: int  # what an even pace would have spent by the month's end
    x: float
    y_spent: float
    y_pace: float


@dataclass(frozen=True)
class SpendingChart:
    months: list[Month]
    allocation: int
    top: int  # the value at the top of the chart
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = BOTTOM
    plot_top: int = TOP

    @property
    def spent_points(self) -> str:
        start = f"{self.left:.1f},{self.y_of(0):.1f}"
        return " ".join([start] + [f"{m.x:.1f},{m.y_spent:.1f}" for m in self.months])

    @property
    def pace_points(self) -> str:
        start = f"{self.left:.1f},{self.y_of(0):.1f}"
        return " ".join([start] + [f"{m.x:.1f},{m.y_pace:.1f}" for m in self.months])

    @property
    def allocation_y(self) -> float:
        return self.y_of(self.allocation)

    def y_of(self, value: int) -> float:
        plot = self.height - self.bottom - self.plot_top
        return self.height - self.bottom - (float(Fraction(value, self.top)) * plot if self.top else 0)


def _month_ends(start: date, end: date) -> list[date]:
    ends, month = [], start.replace(day=1)
    while month <= end:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        ends.append(min(following - timedelta(days=1), end))
        month = following
    return ends


def spending_chart(stream, today: date) -> SpendingChart:
    """Month by month up to today (or the period's end), for the stream."""
    last = min(today, stream.ends_on)
    daily = spending_by_day(stream.id, stream.starts_on, last)
    ends = [d for d in _month_ends(stream.starts_on, stream.ends_on) if d.replace(day=1) <= last]
    days = stream.days
    rows, running, index = [], 0, 0
    for month_end in ends:
        in_month = 0
        while index < len(daily) and daily[index][0] <= month_end:
            in_month += daily[index][1]
            index += 1
        running += in_month
        gone = (min(month_end, last) - stream.starts_on).days + 1
        pace = round_pence(Fraction(stream.allocation_pence * gone, days))
        rows.append((month_end, in_month, running, pace))
    top = max([stream.allocation_pence, 1] + [r[2] for r in rows])
    chart = SpendingChart([], stream.allocation_pence, top)
    span = WIDTH - LEFT - 16
    months = []
    for month_end, in_month, to_date, pace in rows:
        x = LEFT + span * float(Fraction((month_end - stream.starts_on).days + 1, days))
        months.append(Month(month_end.strftime("%B %Y"), month_end.strftime("%b"), month_end, in_month, to_date, pace,
                            x, chart.y_of(to_date), chart.y_of(pace)))
    return SpendingChart(months, stream.allocation_pence, top)
