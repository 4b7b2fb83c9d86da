"""Reading `?page=` and paging a query: a page that is not a plain number shows the first
page, one past the end (however large) shows the last, so no page number reaches the database
as an offset it cannot hold."""

from __future__ import annotations

from collections.abc import Mapping

from app.core.converters import MAX_ID, is_ascii_digits, parse_whole_number
from app.extensions import db


def page_number(args: Mapping, name: str = "page") -> int:
    """The page asked for in the query string: 1 when missing, 0 or not ASCII digits ('²',
    '-1', 'abc'); at most 2**31 - 1 (a longer number means "the last page", which `paginate`
    and the search give)."""
    raw = args.get(name)
    if not is_ascii_digits(raw):
        return 1
    page = parse_whole_number(raw, minimum=0)
    if page is None:
        return MAX_ID
    return max(page, 1)


def paginate(query, *, page: int, per_page: int):
    """`db.paginate` of `query`, showing the last page when `page` is past it."""
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    if page > 1 and page > pagination.pages:
        pagination = db.paginate(query, page=max(pagination.pages, 1), per_page=per_page, error_out=False)
    return pagination
