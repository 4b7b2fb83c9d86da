"""Bar charts drawn on the server as SVG: each bar's label, value and geometry, worked out here,
so the template only places them. The same numbers are always in a table beside the chart."""

from __future__ import annotations

from dataclasses import dataclass

LABEL_WIDTH = 38  # per cent of the width given to the labels
ROW_HEIGHT = 28


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as words: "12" or "80%"
    width: float  # per cent of the bar area
    y: int


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 8

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH


def bar_chart(title: str, description: str, items: list[tuple[str, float, str]],
              maximum: float | None = None) -> BarChart:
    """items: (label, value, value said in words). Bars are scaled to the largest value (or
    `maximum`, 100 for percentages)."""
    top = maximum or max((value for _, value, _ in items), default=0) or 1
    bars = [Bar(label, value, shown, round(100 * value / top, 2), 4 + i * ROW_HEIGHT)
            for i, (label, value, shown) in enumerate(items)]
    return BarChart(title, description, bars)
