"""Can an address be probed by timing? Registration and password-reset requests timed for an
address that has an account and for one that does not, through the real views (test client,
CSRF off, rate limits off), on a temporary SQLite database built by the migrations.

Run:  .venv/bin/python bench/account_timing.py [--rounds 40]

Prints the median and 95th-percentile time of each kind of request; the two rows of a pair
should be close (docs/benchmarks.md has the figures measured here).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["OURCHOICE_ENV"] = "testing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app
    from app.accounts.models import User
    from app.accounts.passwords import hash_password
    from app.config import TestingConfig
    from app.core.timeutil import utcnow
    from app.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="oc-timing-"))

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder / 'bench.sqlite3'}"
        MAIL_FILE_DIR = str(folder / "mail")
        SEARCH_INDEX_DIR = str(folder / "search")
        WTF_CSRF_ENABLED = False
        RATELIMIT_ENABLED = False
        ARGON2_TIME_COST, ARGON2_MEMORY_COST = 3, 64 * 1024  # production's password hashing

    app = create_app(Config)
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
        # One account per round: the per-address email limit (10 an hour) would otherwise answer early.
        taken_hash = hash_password("x" * 20)
        db.session.add_all(User(email=f"taken{n}@example.org", name="Taken", password_hash=taken_hash,
                                email_verified_at=utcnow()) for n in range(args.rounds))
        db.session.commit()
    client = app.test_client()
    password = "marmalade orbit lantern quietly"  # noqa: S105 - a made-up password for the timing runs

    def time_it(post) -> list[float]:
        times = []
        for n in range(args.rounds):
            start = time.perf_counter()
            response = post(n)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code in (200, 302), response.status_code
        return times

    rows = {
        "register, new address": time_it(lambda n: client.post("/register/budget_holder", data={
            "name": "New Person", "email": f"new{n}@example.org", "password": password,
            "confirm_password": password, "agree": "y"})),
        "register, address with an account": time_it(lambda n: client.post("/register/budget_holder", data={
            "name": "New Person", "email": f"taken{n}@example.org", "password": password,
            "confirm_password": password, "agree": "y"})),
        "reset, address with an account": time_it(lambda n: client.post("/forgot-password", data={
            "email": f"taken{n}@example.org"})),
        "reset, unknown address": time_it(lambda n: client.post("/forgot-password", data={
            "email": f"nobody{n}@example.org"})),
    }
    print(f"{'request':40} {'median ms':>10} {'p95 ms':>10}")
    for name, times in rows.items():
        times.sort()
        print(f"{name:40} {statistics.median(times):10.1f} {times[int(len(times) * 0.95) - 1]:10.1f}")


if __name__ == "__main__":
    main()
