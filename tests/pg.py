"""PostgreSQL test helpers: TEST_DATABASE_URL, or a visible skip when there is none."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, text

from app.config import normalise_database_url

_status: dict[str, str] = {}


def database_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def availability() -> str | None:
    """None when PostgreSQL answers, else the reason the PostgreSQL tests are skipped."""
    if "reason" not in _status:
        url = database_url()
        if not url:
            _status["reason"] = "TEST_DATABASE_URL is not set"
        else:
            try:
                engine = create_engine(url, connect_args={"connect_timeout": 3})
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                engine.dispose()
                _status["reason"] = ""
            except Exception as exc:  # any failure to connect means: skip, and say why
                _status["reason"] = f"cannot connect to {redact(url)} ({type(exc).__name__})"
    return _status["reason"] or None


def require_postgres() -> str:
    reason = availability()
    if reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    return database_url()


def fresh_schema(schema: str) -> dict:
    """Drop and recreate a schema; returns engine options that make it the default."""
    url = require_postgres()
    engine = create_engine(url)
    with engine.begin() as connection:
        # The search backend's extensions, once per database, in a schema no test drops (a
        # schema dropped with CASCADE would take an extension and everything using it along).
        for extension in ("pg_trgm", "fuzzystrmatch"):
            connection.execute(text(f"CREATE EXTENSION IF NOT EXISTS {extension} SCHEMA public"))
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}}
