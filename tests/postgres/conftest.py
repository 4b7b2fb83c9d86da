"""The PostgreSQL tests (their fixtures, `pg_app` and `pg_engine_options`, are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import mark_folder


def pytest_collection_modifyitems(items):
    mark_folder(items, "tests/postgres/", pytest.mark.postgres)
