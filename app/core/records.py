"""Reading one record by its id: the 404 when there is none, and the row lock that makes two
requests at once see each other."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Integer, any_, literal, select
from sqlalchemy.dialects import postgresql

from app.core.errors import NotFound
from app.extensions import db

M = TypeVar("M")


def get_or_404(model: type[M], record_id: int) -> M:
    """The record with this id; NotFound (404) when there is none."""
    record = db.session.get(model, record_id)
    if record is None:
        raise NotFound()
    return record


def locked(model: type[M], record_id: int) -> M | None:
    """The record with this id (None when there is none), read again from the database with its
    row locked until the transaction ends."""
    return db.session.scalar(select(model).where(model.id == record_id)
                             .with_for_update().execution_options(populate_existing=True))


def among(column, ids):
    """`column IN (ids)` for a long list of ids: on PostgreSQL one array parameter
    (`= ANY(:ids)`), not one parameter per id (a thousand of which cost more to send than the
    query takes); elsewhere the plain IN."""
    ids = list(ids)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(ids, type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)
