"""Checks on what every request sends, before any view reads it.

- `<int:...>` in routes is `IdConverter` (ASCII digits, 1 to 2**31 - 1): must be set before
  the blueprints add their rules.
- A NUL character can never be stored (PostgreSQL refuses it in text) and no real address or
  search has one: in the path it answers 404, in the query string 400 with a page that says
  why. In a form, the field says so (see `app.core.forms.BaseForm`).
"""

from __future__ import annotations

from flask import Flask, request

from app.core.converters import IdConverter

NUL = "\x00"
QUERY_MESSAGE = ("The address of this page contains a character that cannot be used (a NUL character). "
                 "Check the address, or go back and search again.")


def register_converters(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter


def register(app: Flask) -> None:
    @app.before_request
    def refuse_nul_in_address():
        from app.core.error_pages import render_error

        if NUL in request.path:
            return render_error(404)
        if any(NUL in key or NUL in value for key, value in request.args.items(multi=True)):
            return render_error(400, message=QUERY_MESSAGE)
        return None
