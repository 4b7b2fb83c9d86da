"""Money: integer pence everywhere; pounds only at the edges (forms and display).

`Money` is an amount of pence that adds, subtracts, multiplies by a quantity and splits without
ever touching a float. Its one rounding rule: a result that falls between two pence is rounded
to the nearer, and an exact half penny away from zero (as on an invoice). Amounts the ledger
keeps are stored in `MoneyColumn` (a 64-bit integer of pence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import BigInteger

# The largest amounts a form accepts, in pence: an hourly rate or fee, and any other amount.
HOURLY_MAXIMUM_PENCE = 1_000_000  # £10,000 an hour
MAXIMUM_PENCE = 100_000_000  # £1,000,000 (pence columns are 32-bit integers: up to about £21 million)

# The column type of every amount a ledger, an invoice or an agreed price keeps: whole pence in
# a 64-bit integer (32 bits would stop at about £21 million across a ledger's lifetime).
MoneyColumn = BigInteger

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
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(int(pence)), 100)
    return f"{sign}{pounds}.{rest:02d}"


def round_pence(value: Fraction | int) -> int:
    """The rounding rule: to the nearest penny, an exact half away from zero."""
    value = Fraction(value)
    whole, rest = divmod(abs(value.numerator), value.denominator)
    if rest * 2 >= value.denominator:
        whole += 1
    return whole if value >= 0 else -whole


@dataclass(frozen=True, order=True)
class Money:
    """An amount of money in pence. `Money(2550)` is £25.50."""

    pence: int

    def __post_init__(self) -> None:
        if isinstance(self.pence, bool) or not isinstance(self.pence, int):
            raise TypeError("Money holds whole pence (an int); convert pounds with Money.from_pounds")

    @classmethod
    def from_pounds(cls, text: str, *, maximum: int = MAXIMUM_PENCE) -> Money:
        return cls(parse_pounds(text, maximum=maximum))

    def __add__(self, other: Money) -> Money:
        return Money(self.pence + _pence_of(other))

    def __sub__(self, other: Money) -> Money:
        return Money(self.pence - _pence_of(other))

    def __neg__(self) -> Money:
        return Money(-self.pence)

    def __bool__(self) -> bool:
        return self.pence != 0

    def times(self, quantity: Fraction | int) -> Money:
        """This amount multiplied by an exact quantity (`Fraction(90, 60)` for 90 minutes of an
        hourly rate), rounded once by the rounding rule."""
        if isinstance(quantity, float):
            raise TypeError("Multiply money by an int or a Fraction, never a float")
        return Money(round_pence(self.pence * Fraction(quantity)))

    def for_minutes(self, minutes: int) -> Money:
        """The cost of `minutes` at this hourly rate."""
        return self.times(Fraction(minutes, 60))

    def split(self, weights: list[int]) -> list[Money]:
        """Share this amount in proportion to `weights`; the parts add up to exactly this amount
        (left-over pence go to the largest remainders, first ones first on a tie)."""
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise ValueError("Split needs one or more weights, none negative, not all zero")
        total = sum(weights)
        sign = -1 if self.pence < 0 else 1
        exact = [Fraction(abs(self.pence) * w, total) for w in weights]
        parts = [int(x) for x in exact]
        left = abs(self.pence) - sum(parts)
        by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
        for i in by_remainder[:left]:
            parts[i] += 1
        return [Money(sign * p) for p in parts]

    def __str__(self) -> str:
        return format_pence(self.pence)


def _pence_of(other: Money) -> int:
    if not isinstance(other, Money):
        raise TypeError("Add or subtract Money to Money (wrap pence in Money first)")
    return other.pence
