"""Request hooks: client address for the audit log, security headers, and sending the outbox
after a request in development."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from flask_login import current_user

from app.core import unit_of_work
from app.core.context import client_ip

log = logging.getLogger(__name__)

def content_security_policy(form_action: tuple[str, ...] = ()) -> str:
    """The pages' policy. `form_action`: other origins a form on the page may lead to (Chromium
    applies form-action to where the form's answer redirects: Stripe's hosted pages)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            " ".join(["form-action 'self'", *form_action]),
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()


def allow_form_action(response: Response, *origins: str) -> Response:
    """Let this page's forms lead to these origins as well as to OurChoice."""
    response.headers["Content-Security-Policy"] = content_security_policy(tuple(origins))
    return response


def register(app: Flask) -> None:
    unit_of_work.register(app)  # first, so it commits after every other after_request hook

    @app.before_request
    def remember_client_address():
        client_ip.set(request.remote_addr)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["HSTS"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        # Pages for a signed-in person may hold personal data: never keep them in a shared cache
        # or the browser's back-button cache on a shared computer.
        if current_user.is_authenticated and not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"
        return response

    @app.teardown_request
    def send_outbox(exc):
        if exc is not None or not app.config["OUTBOX_SEND_AFTER_REQUEST"]:
            return
        if request.method != "POST":
            return
        from app.core.notifications import send_pending

        try:
            send_pending()
        except Exception:  # the outbox is retried by `flask outbox send`; never fail a request
            log.exception("Sending the outbox after a request failed")
