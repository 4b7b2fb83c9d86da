"""A funding stream remembers the one-off key of the form that added it (the same form sent twice
adds one stream); funds accounts found by their stream (an index on ledger_accounts.stream_id), and each account's
part of its balance that payments put there (payments_pence, kept with the balance and filled in
from the entries here), so a stream's figures need not read every entry (measured in
bench/ledger_bench.py: 1,000,000 entries)

Revision ID: 0011_ledger_accounts_by_stream
Revises: 0010_companies_ledger_invoices
Create Date: 2026-12-02 14:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011_ledger_accounts_by_stream'
down_revision = '0010_companies_ledger_invoices'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_ledger_accounts_stream_id', 'ledger_accounts', ['stream_id'], unique=False)
    with op.batch_alter_table('ledger_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payments_pence', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute(
        "UPDATE ledger_accounts SET payments_pence = ("
        " SELECT coalesce(sum(e.amount_pence), 0) FROM ledger_entries e"
        " JOIN ledger_transactions t ON t.id = e.transaction_id"
        " LEFT JOIN ledger_transactions o ON o.id = t.reverses_id"
        " WHERE e.account_id = ledger_accounts.id AND coalesce(o.source, t.source) = 'payment')")
    with op.batch_alter_table('funding_streams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_funding_streams_company_form_key', ['company_id', 'form_key'])


def downgrade():
    with op.batch_alter_table('funding_streams', schema=None) as batch_op:
        batch_op.drop_constraint('uq_funding_streams_company_form_key', type_='unique')
        batch_op.drop_column('form_key')
    with op.batch_alter_table('ledger_accounts', schema=None) as batch_op:
        batch_op.drop_column('payments_pence')
    op.drop_index('ix_ledger_accounts_stream_id', table_name='ledger_accounts')
