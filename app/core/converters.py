"""One way to read a whole number someone sent: a record id in a URL, an id in the query string
or a form, a page number.

Only ASCII digits count ('²' and '٣' are digits to Python, and int('٣') is 3), and nothing
beyond the database's integer: PostgreSQL's `integer`, the smallest column we store ids in,
holds up to 2**31 - 1, and a larger number (or a 5,000-digit one, which `int()` refuses) would
otherwise reach the database and fail there. So odd input answers 404 or a message beside the
field, never a server error. The `int` URL converter is replaced by `IdConverter`, so every
`<int:...>` route gets this without asking.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1  # PostgreSQL integer


def parse_whole_number(text: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """'42' -> 42; None for anything else: not a string, not plain ASCII digits (so no sign,
    spaces, '²' or '٣'), or outside minimum..maximum (2**31, a 5,000-digit number)."""
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None
    value = int(digits)
    return value if minimum <= value <= maximum else None


def parse_id(text: object) -> int | None:
    """A record id sent by someone (1 to 2**31 - 1), or None."""
    return parse_whole_number(text, minimum=1)


def is_ascii_digits(text: object) -> bool:
    return isinstance(text, str) and text.isascii() and text.isdigit()


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits from 1 to 2**31 - 1, anything else is 404."""

    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        if self.fixed_digits and len(value) != self.fixed_digits:
            raise ValidationError()
        low = max(1, self.min) if self.min is not None else 1
        high = min(MAX_ID, self.max) if self.max is not None else MAX_ID
        number = parse_whole_number(value, minimum=low, maximum=high)
        if number is None:
            raise ValidationError()
        return number
