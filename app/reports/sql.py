"""Expressions the reports' queries share."""

from __future__ import annotations

from sqlalchemy import Float, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.accounts.models import User
from app.brokers.models import BrokerProfile

# A broker's name as `BrokerProfile.display_name` says it (needs User joined).
broker_name = case((BrokerProfile.trading_name != "", BrokerProfile.trading_name), else_=User.name)


class seconds_between(FunctionElement):  # noqa: N801 - used like an SQL function
    """The seconds from one timestamp to another, worked out by the database (so a report reads
    plain numbers, not thousands of timestamps): PostgreSQL subtracts the timestamps, SQLite
    their Julian days. Round what it returns to the millisecond (SQLite's arithmetic is in
    floating point)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_postgresql(element, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


def hours_of(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3) / 3600


def median_rows(rows_query, partition_names: list[str], value_name: str):
    """From a query's rows, only the middle one or two by `value_name` in each partition:
    (partition..., value); the mean of what comes back is each partition's median. Both
    databases have window functions, so only those rows leave the database."""
    inner = rows_query.subquery()
    partition = [inner.c[name] for name in partition_names]
    position = func.row_number().over(partition_by=partition, order_by=inner.c[value_name])
    count = func.count().over(partition_by=partition)
    ranked = select(*partition, inner.c[value_name].label("value"), position.label("position"),
                    count.label("n")).subquery()
    return select(*[ranked.c[name] for name in partition_names], ranked.c.value).where(
        or_(ranked.c.position == (ranked.c.n + 1) // 2, ranked.c.position == (ranked.c.n + 2) // 2))
