"""PostgreSQL full-text search: the directory's search documents in the database every host
shares (PostgreSQL only; SQLite keeps the Whoosh index on disk).

- `search_documents`: one row per listing, written in the same transaction as the change that
  affects it. `vector` is a stored, weighted tsvector (name A, the entry's own tags B, its kinds
  of service C, description D; English stemming, `ourchoice_english`), computed as the row is
  written, with a GIN index; what a result shows is in `search_displays`, so these rows stay narrow. Rows are never deleted while
  the portal runs: a listing that leaves search is marked `gone`, so every host's filter masks
  learn of it by `version` (from one sequence, given out in commit order).
- `search_words`: every word listings use, with a trigram index, for "Did you mean".
- `search_state`: one row once `flask search reindex` has filled the table.

pg_trgm and fuzzystrmatch (both trusted extensions) are created if missing, in whichever schema
the database gives them; the trigram index names that schema.

Revision ID: 0015_postgresql_search
Revises: 0014_gaps_and_hub_fees
Create Date: 2026-12-06 21:10:00

"""
from alembic import op


revision = '0015_postgresql_search'
down_revision = '0014_gaps_and_hub_fees'
branch_labels = None
depends_on = None

def _extension_schema(name: str) -> str:
    op.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
    return op.get_bind().exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        f"WHERE e.extname = '{name}'").scalar_one()


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    trgm = _extension_schema("pg_trgm")
    _extension_schema("fuzzystrmatch")
    # English stemming without PostgreSQL's long list of stop words ("up", "over", "off" stay
    # searchable: "speaking up"); the search leaves out the same few words the Whoosh index does.
    op.execute("CREATE TEXT SEARCH DICTIONARY ourchoice_english_stem (TEMPLATE = snowball, Language = english)")
    op.execute("CREATE TEXT SEARCH CONFIGURATION ourchoice_english (COPY = english)")
    op.execute("ALTER TEXT SEARCH CONFIGURATION ourchoice_english ALTER MAPPING FOR asciiword, word, hword, "
               "hword_part, asciihword, hword_asciipart WITH ourchoice_english_stem")
    op.execute("CREATE SEQUENCE search_document_versions")
    op.execute("""
        CREATE TABLE search_documents (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            doc_id varchar(40) NOT NULL UNIQUE,
            version bigint NOT NULL DEFAULT nextval('search_document_versions'),
            gone boolean NOT NULL DEFAULT false,
            kind varchar(20) NOT NULL DEFAULT '',
            name_exact text NOT NULL DEFAULT '',
            sort_name text NOT NULL DEFAULT '',
            categories text[] NOT NULL DEFAULT '{}',
            districts text[] NOT NULL DEFAULT '{}',
            languages text[] NOT NULL DEFAULT '{}',
            accessibility text[] NOT NULL DEFAULT '{}',
            free boolean NOT NULL DEFAULT false,
            located boolean NOT NULL DEFAULT false,
            rating integer NOT NULL DEFAULT 0,
            verified_until timestamp,
            accepting_until timestamp,
            listed_until timestamp,
            vector tsvector NOT NULL
        )""")
    # What a result shows, apart: words are matched by reading every matching row, so the rows
    # searched are kept narrow (the vector and the filters only).
    op.execute("CREATE TABLE search_displays (id bigint PRIMARY KEY, display jsonb NOT NULL)")
    op.execute("CREATE INDEX ix_search_documents_vector ON search_documents USING gin (vector)")
    op.execute("CREATE INDEX ix_search_documents_version ON search_documents (version)")
    op.execute("CREATE INDEX ix_search_documents_name_exact ON search_documents (name_exact)")
    op.execute("CREATE TABLE search_words (word text PRIMARY KEY, "
               "version bigint NOT NULL DEFAULT nextval('search_document_versions'))")
    op.execute(f'CREATE INDEX ix_search_words_trigrams ON search_words USING gin (word "{trgm}".gin_trgm_ops)')
    op.execute("CREATE TABLE search_state (backend varchar(20) PRIMARY KEY, build_id varchar(36) NOT NULL, "
               "built_at timestamp with time zone NOT NULL)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE search_state")
    op.execute("DROP TABLE search_words")
    op.execute("DROP TABLE search_displays")
    op.execute("DROP TABLE search_documents")
    op.execute("DROP SEQUENCE search_document_versions")
    op.execute("DROP TEXT SEARCH CONFIGURATION ourchoice_english")
    op.execute("DROP TEXT SEARCH DICTIONARY ourchoice_english_stem")
