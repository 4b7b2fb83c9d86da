"""Redis for the tests that need it (127.0.0.1:6379): an emptied database, or a visible skip."""

from __future__ import annotations

import pytest
import redis


def fresh_redis(url: str, who: str) -> redis.Redis:
    """A client for this Redis database, emptied (no counts left from an earlier run); skips
    `who`'s tests, saying why, when Redis does not answer."""
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    except (redis.exceptions.RedisError, OSError) as exc:
        pytest.skip(f"{who} skipped: Redis does not answer at {url} ({type(exc).__name__})")
    client.flushdb()
    return client
