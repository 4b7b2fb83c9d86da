"""The directory page's address: which parts of a query string are the directory's own (carried
to an entry's page so "Back to the directory" returns to the same search, and nothing else:
the way back is always built here, never taken from the address), and the chosen filters as
links that each take one away."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from app.core.districts import is_valid_district, normalise_district

# The form's fields, in the order the page shows them; `as_typed` is "Search instead for ...".
SEARCH_KEYS = ("q", "kind", "free", "accepting", "verified", "district", "category", "language", "access", "sort",
               "near", "page", "as_typed")
FLAGS = ("free", "accepting", "verified")
MAX_VALUES = 60  # more options than any filter has
MAX_LENGTH = 200  # as long as the search box allows

Args = dict[str, list[str]]


def search_args(args: MultiDict) -> Args:
    """The directory's own parts of a query string, each value cut to a sensible length."""
    kept: Args = {}
    for key in SEARCH_KEYS:
        values = [value[:MAX_LENGTH] for value in args.getlist(key) if value.strip()][:MAX_VALUES]
        if values:
            kept[key] = values
    return kept


def query_string(args: Args) -> str:
    """'q=lunch&language=arabic', for the links from the results to each entry."""
    return urlencode([(key, value) for key, values in args.items() for value in values])


def directory_url(args: MultiDict) -> str:
    """The directory page for the search an entry was opened from (the plain directory if none)."""
    return url_for("directory.index", **search_args(args))


@dataclass(frozen=True)
class Chosen:
    label: str
    remove_url: str  # the same search without this option


@dataclass(frozen=True)
class ChosenGroup:
    label: str  # the filter's name: "Language"
    options: list[Chosen]


def _same(key: str, typed: str, value: str) -> bool:
    if key == "district":
        return is_valid_district(typed) and normalise_district(typed) == value
    return typed == value


def _without(args: Args, key: str, value: str | None = None) -> str:
    kept = {k: v for k, v in args.items() if k not in ("page", key)}
    if value is not None:
        rest = [typed for typed in args.get(key, []) if not _same(key, typed, value)]
        if rest:
            kept[key] = rest
    return url_for("directory.index", **kept)


def chosen_filters(form, chosen: dict[str, list[str]], args: Args) -> list[ChosenGroup]:
    """Each filter in use, with a link for each chosen option that takes just that one away.
    `chosen`: the options the search used, by form field name (flags as ["y"])."""
    groups = []
    for key in SEARCH_KEYS:
        values = chosen.get(key)
        if not values:
            continue
        field = getattr(form, key)
        if key in FLAGS:
            groups.append(ChosenGroup("Show only", [Chosen(field.label.text, _without(args, key))]))
            continue
        labels = dict(field.choices)
        groups.append(ChosenGroup(field.label.text, [Chosen(labels.get(value, value), _without(args, key, value))
                                                     for value in values]))
    return _merge_flags(groups)


def _merge_flags(groups: list[ChosenGroup]) -> list[ChosenGroup]:
    """The "Show only" options in one group."""
    merged: list[ChosenGroup] = []
    for group in groups:
        if merged and group.label == "Show only" and merged[-1].label == "Show only":
            merged[-1] = ChosenGroup("Show only", [*merged[-1].options, *group.options])
        else:
            merged.append(group)
    return merged


def clear_filters_url(args: Args) -> str:
    """The same words (and order), with no filters."""
    return url_for("directory.index", **{k: v for k, v in args.items() if k in ("q", "sort", "near", "as_typed")})
