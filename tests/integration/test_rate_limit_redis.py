"""With REDIS_URL set, failed sign-ins are counted in Redis, so every gunicorn worker (each a
separate process with its own memory) sees the same count."""

import hashlib

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from tests.conftest import FormClient, make_app
from tests.factories import PASSWORD
from tests.redis_db import fresh_redis

REDIS_URL = "redis://127.0.0.1:6379/15"
LIMIT = "3 per 15 minutes"


@pytest.fixture
def redis_db():
    client = fresh_redis(REDIS_URL, "Redis rate-limit test")
    yield client
    client.flushdb()


def test_failures_are_counted_in_redis(redis_db, app, holder, tmp_path):
    worker = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path,
                      RATELIMIT_STORAGE_URI=REDIS_URL, SIGN_IN_FAILURES_PER_ACCOUNT=LIMIT)
    worker.test_client_class = FormClient
    client = worker.test_client()
    for _ in range(3):
        client.submit("/sign-in", {"email": holder.email, "password": "wrong password!"})

    # Another process reading the same Redis (a fresh connection, nothing shared in memory)
    # sees the account is at its limit.
    other_process = FixedWindowRateLimiter(storage_from_string(REDIS_URL))
    key = hashlib.sha256(holder.email.encode()).hexdigest()[:32]
    assert not other_process.test(parse(LIMIT), "sign-in-account", key)
    assert client.submit("/sign-in", {"email": holder.email, "password": PASSWORD}).status_code == 429
    assert not [k for k in redis_db.scan_iter() if holder.email.encode() in k]  # only hashes are stored
