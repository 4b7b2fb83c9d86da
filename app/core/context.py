"""Per-request facts that infrastructure (the audit log) needs, without services reading
Flask's request object."""

from __future__ import annotations

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
