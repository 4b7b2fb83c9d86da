"""Search queue ids are never reused (SQLite AUTOINCREMENT)

A writer deletes the queue rows it applied after letting the index lock go; with a reused id
it could delete a newer change.

Revision ID: 0006_search_queue_no_id_reuse
Revises: 0005_directory_and_search
Create Date: 2026-11-22 20:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006_search_queue_no_id_reuse'
down_revision = '0005_directory_and_search'
branch_labels = None
depends_on = None


def upgrade():
    # PostgreSQL's sequence never reuses an id: only SQLite's table needs rebuilding.
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("search_queue", recreate="always",
                                  table_kwargs={"sqlite_autoincrement": True}) as batch_op:
            batch_op.alter_column("id", autoincrement=True)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("search_queue", recreate="always",
                                  table_kwargs={"sqlite_autoincrement": False}):
            pass
