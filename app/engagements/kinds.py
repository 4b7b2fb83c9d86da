"""The kinds of notification the engagements feature sends (each person chooses, kind by kind,
whether they are emailed too)."""

from __future__ import annotations

from app.core.notifications import register_kind

REQUESTS = register_kind("broker_requests", "Requests to work with a broker, and their answers")
ENGAGEMENTS = register_kind("engagements", "Your work with your broker: band changes, endings and reviews")
