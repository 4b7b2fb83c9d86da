"""Paging as the Open Referral specification types it: `page` and `per_page` in, a page of
`contents` out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from app.core.converters import MAX_ID, is_ascii_digits, parse_whole_number

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50


class BadRequest(Exception):
    """A query parameter the API cannot use; the message says which."""


@dataclass
class Paging:
    page: int
    per_page: int


def paging(args) -> Paging:
    """`page` and `per_page` as the specification types them: integers, in ASCII digits (not
    "+5", "1_0" or another script's digits, which Python's int() would take), else a 400. A page
    beyond 2**31 - 1 is refused too; a `per_page` above the maximum gets the maximum."""

    def whole(name: str, default: int) -> int | None:
        """The number sent (the default when none was), or None when it is beyond 2**31 - 1."""
        raw = args.get(name)
        if raw in (None, ""):
            return default
        if not is_ascii_digits(raw) or not raw.lstrip("0"):
            raise BadRequest(f"{name} must be a whole number, 1 or more")
        return parse_whole_number(raw, minimum=1)

    page = whole("page", 1)
    if page is None:
        raise BadRequest(f"page must be {MAX_ID} or less")
    per_page = whole("per_page", DEFAULT_PER_PAGE) or MAX_PER_PAGE
    return Paging(page=page, per_page=min(per_page, MAX_PER_PAGE))


def page_of(contents: list, total: int, paging_: Paging) -> dict[str, Any]:
    pages = max(1, math.ceil(total / paging_.per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging_.page,
        "size": len(contents),
        "first_page": paging_.page == 1,
        "last_page": paging_.page >= pages,
        "empty": total == 0,
        "contents": contents,
    }
