"""Which search backend answers: "whoosh" (the embedded default: files on this host's disk) or
"postgresql" (a table in the database every host shares). The app's `SEARCH_BACKEND` setting
chooses (config.py settles the default); nothing outside `app.search` needs to know."""

from __future__ import annotations

from flask import current_app, has_app_context

WHOOSH, POSTGRESQL = "whoosh", "postgresql"


def active() -> str:
    if not has_app_context():
        return WHOOSH
    return current_app.config.get("SEARCH_BACKEND") or WHOOSH


def uses_postgresql() -> bool:
    return active() == POSTGRESQL
