"""The PostgreSQL backend's tables (migration 0015 builds them, on PostgreSQL only). They live
outside the models' metadata: SQLite has no such tables, and Alembic leaves them alone."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

TEXT_SEARCH_CONFIG = "ourchoice_english"  # English stemming without a stop list (migration 0015)
metadata = MetaData()

documents = Table(
    "search_documents", metadata,
    Column("id", BigInteger, primary_key=True),  # the document's number in every host's masks
    Column("doc_id", String(40), nullable=False, unique=True),
    Column("version", BigInteger, nullable=False),
    Column("gone", Boolean, nullable=False),
    Column("kind", String(20)), Column("name_exact", Text), Column("sort_name", Text),
    Column("categories", ARRAY(Text)), Column("districts", ARRAY(Text)), Column("languages", ARRAY(Text)),
    Column("accessibility", ARRAY(Text)), Column("free", Boolean), Column("located", Boolean),
    Column("rating", Integer), Column("verified_until", DateTime), Column("accepting_until", DateTime),
    Column("listed_until", DateTime), Column("vector", TSVECTOR),
)
displays = Table("search_displays", metadata, Column("id", BigInteger, primary_key=True), Column("display", JSONB))
words = Table("search_words", metadata, Column("word", Text, primary_key=True), Column("version", BigInteger))
state = Table("search_state", metadata, Column("backend", String(20), primary_key=True),
              Column("build_id", String(36)), Column("built_at", DateTime(timezone=True)))

NAMES = frozenset(metadata.tables)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's comparison: these PostgreSQL-only tables are the migrations' own, not models'."""
    return not (type_ == "table" and name in NAMES)
