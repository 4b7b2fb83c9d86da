"""Reference codes people type (postcode districts, company, CQC and DBS numbers): read in
capitals and without white space, then checked against the code's pattern."""

from __future__ import annotations

import re


def compact(value: str | None) -> str:
    """What was typed, in capitals and without white space: ' sc 123 456' -> 'SC123456'."""
    return re.sub(r"\s+", "", (value or "").upper())


def is_code(pattern: re.Pattern[str], value: str | None) -> bool:
    """Whether what was typed, compacted, has the code's pattern."""
    return bool(pattern.match(compact(value)))
