"""Words for numbers, so no page says "0 offer(s)"."""

from __future__ import annotations


def count_of(number: int, singular: str, plural: str | None = None, *, none: str = "no") -> str:
    """`count_of(0, "offer")` is "no offers", `count_of(1, "offer")` "1 offer", 3 gives "3 offers"."""
    word = singular if number == 1 else (plural or singular + "s")
    return f"{none if number == 0 else number} {word}"
