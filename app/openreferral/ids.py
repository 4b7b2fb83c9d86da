"""Open Referral ids: UUIDs that never change.

Community services, providers and brokers have stored public ids. Records we look up by id (a
provider's or broker's service, a service at a location) use the stored id with a fixed mask,
so the stored id can be recovered without a search; the rest (attributes, languages, taxonomy
terms...) use uuid5.
"""

from __future__ import annotations

import hashlib
import uuid

NAMESPACE = uuid.UUID("7d3c1a52-4b8e-4f0e-9a55-2f0c6c1e9b11")  # OurChoice's namespace for derived ids


def derived(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def _mask(purpose: str) -> int:
    """128 bits from the purpose, leaving the UUID's version and variant bits alone."""
    value = int.from_bytes(hashlib.sha256(purpose.encode()).digest()[:16], "big")
    version_bits = 0xF << 76
    variant_bits = 0x3 << 62
    return value & ~version_bits & ~variant_bits


def masked(public_id: str, purpose: str) -> str:
    """A stable id for something belonging to a record (reversible with `unmasked`)."""
    return str(uuid.UUID(int=uuid.UUID(public_id).int ^ _mask(purpose)))


def unmasked(some_id: str, purpose: str) -> str | None:
    try:
        return str(uuid.UUID(int=uuid.UUID(some_id).int ^ _mask(purpose)))
    except ValueError:
        return None
