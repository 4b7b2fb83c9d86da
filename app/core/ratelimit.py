"""Counting failures against a limit, in Flask-Limiter's storage (memory, or Redis when
REDIS_URL is set, so all gunicorn workers share the counts)."""

from __future__ import annotations

import hashlib
import logging
import time

from flask import current_app
from limits import parse

from app.extensions import limiter

log = logging.getLogger(__name__)


def _key(value: str) -> str:
    # Hash identifiers so raw email addresses are never written to Redis.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def is_limited(limit: str, namespace: str, identifier: str) -> bool:
    if not _enabled():
        return False
    try:
        return not limiter.limiter.test(parse(limit), namespace, _key(identifier))
    except Exception:  # storage down: log loudly, do not lock everyone out
        log.exception("Rate-limit storage unavailable")
        return False


def hit(limit: str, namespace: str, identifier: str) -> None:
    if not _enabled():
        return
    try:
        limiter.limiter.hit(parse(limit), namespace, _key(identifier))
    except Exception:
        log.exception("Rate-limit storage unavailable")


def take(limit: str, namespace: str, identifier: str) -> bool:
    """Count one more against the limit and say yes, or say no (counting nothing) once it is reached."""
    if is_limited(limit, namespace, identifier):
        return False
    hit(limit, namespace, identifier)
    return True


def clear(limit: str, namespace: str, identifier: str) -> None:
    try:
        limiter.limiter.clear(parse(limit), namespace, _key(identifier))
    except Exception:
        log.exception("Rate-limit storage unavailable")


def minutes_until_reset(limit: str, namespace: str, identifier: str) -> int:
    try:
        stats = limiter.limiter.get_window_stats(parse(limit), namespace, _key(identifier))
        return max(1, int((stats.reset_time - time.time()) // 60) + 1)
    except Exception:
        return 15
