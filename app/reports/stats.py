"""The arithmetic of the reports, on plain numbers, so each rule is written (and tested) once.

- The median is the middle value, or the mean of the two middle values when there is an even
  number of them.
- The 90th percentile is by nearest rank: sort the values and take the one at position
  ceil(0.9 x n), counting from 1 (of 10 values, the 9th; of 4, the 4th).
- A share is a whole percentage, rounded half up; it has no value when nothing was counted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], p: int) -> float | None:
    """The p-th percentile by nearest rank."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p * len(ordered) / 100))
    return ordered[rank - 1]


def share(part: int, whole: int) -> int | None:
    """part of whole as a whole percentage, rounded half up (None when whole is 0)."""
    if whole == 0:
        return None
    return (200 * part + whole) // (2 * whole)


def format_hours(value: float | None) -> str:
    """Hours, said the way a person would: "45 minutes", "5.5 hours", "3.2 days"."""
    if value is None:
        return "None yet"
    if value < 1:
        minutes = round(value * 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if value < 48:
        shown = f"{value:.1f}".rstrip("0").rstrip(".")
        return f"{shown} hour{'s' if shown != '1' else ''}"
    days = f"{value / 24:.1f}".rstrip("0").rstrip(".")
    return f"{days} days"


def format_share(value: int | None) -> str:
    return "None yet" if value is None else f"{value}%"
