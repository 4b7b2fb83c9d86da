"""Money: integer pence everywhere; pounds only at the edges (forms and display)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


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


def parse_pounds(text: str) -> int:
    """'£1,234.5' -> 123450 pence. Refuses more than two decimal places and non-numbers."""
    cleaned = (text or "").strip().replace("£", "").replace(",", "").strip()
    if not cleaned:
        raise MoneyError("Enter an amount in pounds, like 25 or 25.50")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise MoneyError("Enter an amount in pounds, like 25 or 25.50") from exc
    if not amount.is_finite():
        raise MoneyError("Enter an amount in pounds, like 25 or 25.50")
    if amount.as_tuple().exponent < -2:
        raise MoneyError("Amounts can only have up to 2 decimal places, like 25.50")
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def pence_to_pounds_text(pence: int | None) -> str:
    """Value shown back in a pounds input: 2550 -> '25.50'."""
    if pence is None:
        return ""
    pounds, rest = divmod(int(pence), 100)
    return f"{pounds}.{rest:02d}"
