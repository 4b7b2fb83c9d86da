"""UK postcode districts ('outward codes' such as W9, NW8, SW1A): checking and sorting."""

from __future__ import annotations

import re

from app.core.codes import compact, is_code

DISTRICT_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")

normalise_district = compact  # 'nw 8' -> 'NW8'


def is_valid_district(value: str) -> bool:
    return is_code(DISTRICT_PATTERN, value)


def district_key(code: str) -> tuple:
    """Sort districts as people expect: W2 before W10, area by area."""
    match = re.match(r"([A-Z]+)(\d+)(.*)", code)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else (code, 0, "")
