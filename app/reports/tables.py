"""A report table, made once and shown two ways: as an HTML table (each number a link to the
list behind it) and as a CSV download with the same rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None  # the list behind the number
    raw: Any = None  # what the CSV holds (the text when None): 5.5 rather than "5.5 hours"
    flag: str | None = None  # a warning said in words ("No response after 14 days"), shown as a tag

    @property
    def csv_value(self) -> Any:
        return self.text if self.raw is None else self.raw


def cell(value: Any, href: str | None = None, raw: Any = None, flag: str | None = None) -> Cell:
    return Cell("" if value is None else str(value), href, raw, flag)


@dataclass(frozen=True)
class Table:
    key: str  # names the CSV download: ?table=key
    caption: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = "Nothing to show for this period."
    csv_headers: list[str] | None = None  # when the CSV's columns need units the page says in words

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.csv_headers or self.headers)
        for row in self.rows:
            writer.writerow([_safe(c.csv_value) for c in row])
        return out.getvalue()


def _safe(value: Any) -> Any:
    """A spreadsheet must not run a cell as a formula (CSV injection): text starting =, +, - or @
    is prefixed with an apostrophe. Numbers are left alone."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
