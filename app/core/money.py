"""Money: integer pence everywhere; pounds only at the edges (forms and display)."""

from __future__ import annotations

import re

# The largest amounts a form accepts, in pence: an hourly rate or fee, and any other amount.
HOURLY_MAXIMUM_PENCE = 1_000_000  # £10,000 an hour
MAXIMUM_PENCE = 100_000_000  # £1,000,000 (pence columns are 32-bit integers: up to about £21 million)

_AMOUNT = re.compile(r"(?P<sign>-)?(?P<pounds>[0-9]*)(?:\.(?P<pence>[0-9]*))?", re.ASCII)


class MoneyError(ValueError):
    """A pounds amount that cannot be read."""


def format_pence(pence: int | None, *, show_pence: bool = True) -> str:
    """12345 -> '£123.45'; -500 -> '-£5.00'."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(int(pence)), 100)
    if not show_pence and rest == 0:
        return f"{sign}£{pounds:,}"
    return f"{sign}£{pounds:,}.{rest:02d}"


def parse_pounds(text: str, *, maximum: int = MAXIMUM_PENCE) -> int:
    """'£1,234.5' -> 123450 pence. Refuses more than two decimal places, anything but plain
    ASCII digits (no '1e30', 'NaN', 'inf' or '٣'), and amounts above `maximum` pence, so no
    amount is too large for the database or for sense."""
    cleaned = (text or "").strip().replace("£", "").replace(",", "").strip()
    match = _AMOUNT.fullmatch(cleaned)
    if not match or not (match["pounds"] or match["pence"]):
        raise MoneyError("Enter an amount in pounds, like 25 or 25.50")
    if len(match["pence"] or "") > 2:
        raise MoneyError("Amounts can only have up to 2 decimal places, like 25.50")
    pounds = (match["pounds"] or "0").lstrip("0") or "0"
    if len(pounds) > len(str(maximum)):  # before int(): a 5,000-digit number is refused here
        raise MoneyError(too_large_message(maximum))
    pence = int(pounds) * 100 + int((match["pence"] or "").ljust(2, "0"))
    if pence > maximum:
        raise MoneyError(too_large_message(maximum))
    return -pence if match["sign"] else pence


def too_large_message(maximum: int) -> str:
    return f"Enter an amount of {format_pence(maximum, show_pence=False)} or less"


def pence_to_pounds_text(pence: int | None) -> str:
    """Value shown back in a pounds input: 2550 -> '25.50'."""
    if pence is None:
        return ""
    pounds, rest = divmod(int(pence), 100)
    return f"{pounds}.{rest:02d}"
