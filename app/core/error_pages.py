"""Friendly, accessible error pages. No stack traces; errors are logged; refusals audited."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core import audit, unit_of_work
from app.core.errors import NotFound, PermissionDenied
from app.extensions import db

log = logging.getLogger(__name__)

PAGES = {
    400: ("There is a problem with your request", "errors/400.html"),
    403: ("You cannot see this page", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("That action is not available here", "errors/405.html"),
    413: ("The file or form was too large", "errors/413.html"),
    429: ("Too many attempts", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
}


def render_error(status: int, **context):
    title, template = PAGES[status]
    return render_template(template, title=title, **context), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        log.info("CSRF failure on %s: %s", request.path, error.description)
        return render_template("errors/csrf.html", title="Your form could not be sent"), 400

    @app.errorhandler(PermissionDenied)
    def permission_denied(error):
        return forbidden(error)

    @app.errorhandler(NotFound)
    def domain_not_found(error):
        return render_error(404)

    def forbidden(error):
        unit_of_work.discard()  # the refused request's own work never lands; the refusal is kept
        audit.record(
            "permission.refused",
            actor=current_user if current_user.is_authenticated else None,
            path=request.path,
            method=request.method,
        )
        return render_error(403)

    app.register_error_handler(403, forbidden)

    for status in (400, 404, 413, 429):
        app.register_error_handler(status, lambda error, status=status: render_error(status))

    @app.errorhandler(405)
    def method_not_allowed(error):
        body, status = render_error(405)
        allowed = getattr(error, "valid_methods", None) or []
        return body, status, ({"Allow": ", ".join(allowed)} if allowed else {})

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        original = getattr(error, "original_exception", None)
        log.error("Unhandled error on %s %s", request.method, request.path, exc_info=original or error)
        return render_error(500)

    @app.errorhandler(HTTPException)
    def other_http_error(error):
        if error.code in PAGES:
            return render_error(error.code)
        return error
