"""Links that leave the site (emails): built from PUBLIC_BASE_URL, never from the request's
Host header, so a forged Host cannot poison a password-reset link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, **values) -> str:
    """The site-relative path of an endpoint, inside or outside a request."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return adapter.build(endpoint, values)


def external_url(endpoint: str, **values) -> str:
    return current_app.config["PUBLIC_BASE_URL"] + path_for(endpoint, **values)


def absolute(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"] + path


def is_safe_next(target: str | None) -> bool:
    """Only site-relative paths are accepted as a place to return to after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
