"""Card and Direct Debit payments through Stripe Connect: payees' connected accounts
(payout_accounts), the Checkout Sessions people start (card_checkouts), every event Stripe sent
with its outcome (stripe_events, keyed by the event's id), and the session a payment settles
(payments.checkout_id, unique: one payment per session). The payments' method and status are
VARCHARs without a constraint, so their new values ("stripe", "refunded") need no change here.

Revision ID: 0012_card_payments_stripe
Revises: 0011_ledger_accounts_by_stream
Create Date: 2026-12-02 17:49:33.095515

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_card_payments_stripe'
down_revision = '0011_ledger_accounts_by_stream'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('payout_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('broker_id', sa.Integer(), nullable=True),
    sa.Column('stripe_account_id', sa.String(length=64), nullable=False),
    sa.Column('charges_enabled', sa.Boolean(), nullable=False),
    sa.Column('payouts_enabled', sa.Boolean(), nullable=False),
    sa.Column('details_submitted', sa.Boolean(), nullable=False),
    sa.Column('disabled_reason', sa.String(length=200), nullable=False),
    sa.Column('stripe_as_of', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(organisation_id IS NULL) <> (broker_id IS NULL)', name=op.f('ck_payout_accounts_one_payee')),
    sa.ForeignKeyConstraint(['broker_id'], ['broker_profiles.id'], name=op.f('fk_payout_accounts_broker_id_broker_profiles')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_payout_accounts_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['provider_organisations.id'], name=op.f('fk_payout_accounts_organisation_id_provider_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payout_accounts')),
    sa.UniqueConstraint('broker_id', name=op.f('uq_payout_accounts_broker_id')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_payout_accounts_organisation_id')),
    sa.UniqueConstraint('stripe_account_id', name=op.f('uq_payout_accounts_stripe_account_id'))
    )
    op.create_table('card_checkouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('payout_account_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(length=255), nullable=False),
    sa.Column('payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('platform_fee_pence', sa.BigInteger(), nullable=False),
    sa.Column('shares', sa.JSON(), nullable=False),
    sa.Column('over_allocation_reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('open', 'pending', 'paid', 'failed', 'expired', 'flagged', 'refunded', name='checkoutstate', native_enum=False, length=32), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('failure_reason', sa.Text(), nullable=False),
    sa.Column('flagged_reason', sa.Text(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount_pence > 0', name=op.f('ck_card_checkouts_amount_positive')),
    sa.CheckConstraint('platform_fee_pence >= 0 AND platform_fee_pence < amount_pence', name=op.f('ck_card_checkouts_fee_in_range')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_card_checkouts_company_id_companies')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_card_checkouts_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['users.id'], name=op.f('fk_card_checkouts_on_behalf_of_id_users')),
    sa.ForeignKeyConstraint(['payout_account_id'], ['payout_accounts.id'], name=op.f('fk_card_checkouts_payout_account_id_payout_accounts')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_card_checkouts_started_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_checkouts')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_card_checkouts_idempotency_key')),
    sa.UniqueConstraint('payment_intent_id', name=op.f('uq_card_checkouts_payment_intent_id')),
    sa.UniqueConstraint('session_id', name=op.f('uq_card_checkouts_session_id'))
    )
    with op.batch_alter_table('card_checkouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_checkouts_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_checkouts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_checkouts_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_checkouts_state'), ['state'], unique=False)

    op.create_table('stripe_events',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=80), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('stripe_created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('object_id', sa.String(length=255), nullable=False),
    sa.Column('payment_intent_id', sa.String(length=255), nullable=True),
    sa.Column('checkout_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('paid', 'pending', 'failed', 'expired', 'refunded', 'account', 'no_change', 'waiting', 'flagged', 'unknown', 'ignored', name='eventoutcome', native_enum=False, length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['checkout_id'], ['card_checkouts.id'], name=op.f('fk_stripe_events_checkout_id_card_checkouts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_events'))
    )
    with op.batch_alter_table('stripe_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stripe_events_checkout_id'), ['checkout_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stripe_events_object_id'), ['object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stripe_events_payment_intent_id'), ['payment_intent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stripe_events_received_at'), ['received_at'], unique=False)

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkout_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_payments_checkout_id'), ['checkout_id'])
        batch_op.create_foreign_key(batch_op.f('fk_payments_checkout_id_card_checkouts'), 'card_checkouts', ['checkout_id'], ['id'])



def downgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payments_checkout_id_card_checkouts'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_payments_checkout_id'), type_='unique')
        batch_op.drop_column('checkout_id')

    with op.batch_alter_table('stripe_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stripe_events_received_at'))
        batch_op.drop_index(batch_op.f('ix_stripe_events_payment_intent_id'))
        batch_op.drop_index(batch_op.f('ix_stripe_events_object_id'))
        batch_op.drop_index(batch_op.f('ix_stripe_events_checkout_id'))

    op.drop_table('stripe_events')
    with op.batch_alter_table('card_checkouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_checkouts_state'))
        batch_op.drop_index(batch_op.f('ix_card_checkouts_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_card_checkouts_created_at'))
        batch_op.drop_index(batch_op.f('ix_card_checkouts_company_id'))

    op.drop_table('card_checkouts')
    op.drop_table('payout_accounts')
