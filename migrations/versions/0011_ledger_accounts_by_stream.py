"""Funds accounts found by their stream: an index on ledger_accounts.stream_id, so a stream's
totals and statement read its own entries rather than scanning every entry (measured in
bench/ledger_bench.py: 1,000,000 entries)

Revision ID: 0011_ledger_accounts_by_stream
Revises: 0010_companies_ledger_invoices
Create Date: 2026-12-02 14:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011_ledger_accounts_by_stream'
down_revision = '0010_companies_ledger_invoices'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_ledger_accounts_stream_id', 'ledger_accounts', ['stream_id'], unique=False)


def downgrade():
    op.drop_index('ix_ledger_accounts_stream_id', table_name='ledger_accounts')
