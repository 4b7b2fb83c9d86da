"""Bar charts drawn on the server as SVG: each bar's label, value and geometry, worked out here,
so the template only places them. The same numbers are always in a table beside the chart."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # the value as words: "12" or "80%"
    width: float  # per cent of the bar area


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]


def bar_chart(title: str, description: str, items: list[tuple[str, float, str]],
              maximum: float | None = None) -> BarChart:
    """items: (label, value, value said in words). Bars are scaled to the largest value (or
    `maximum`, 100 for percentages)."""
    top = maximum or max((value for _, value, _ in items), default=0) or 1
    bars = [Bar(label, shown, round(100 * value / top, 2)) for label, value, shown in items]
    return BarChart(title, description, bars)
