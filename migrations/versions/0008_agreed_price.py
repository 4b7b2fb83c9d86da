"""The price agreed when an engagement starts, kept on the engagement for invoicing: the
broker's fee for the band and/or their hourly fee, in whole pence (64-bit)

Revision ID: 0008_agreed_price
Revises: 0007_trust_fixes
Create Date: 2026-12-02 01:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_agreed_price'
down_revision = '0007_trust_fixes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_band_fee_pence', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('agreed_hourly_fee_pence', sa.BigInteger(), nullable=True))
    # Work already under way was agreed at the broker's listed fees, which are still the ones in
    # force: copy them. Ended engagements keep no price (nothing is left to invoice, and today's
    # fees may not be the ones they were agreed at).
    op.execute("UPDATE engagements SET "
               "agreed_band_fee_pence = (SELECT f.pence FROM broker_fees f "
               "WHERE f.broker_id = engagements.broker_id AND f.band_id = engagements.band_id), "
               "agreed_hourly_fee_pence = (SELECT b.hourly_fee_pence FROM broker_profiles b "
               "WHERE b.id = engagements.broker_id) "
               "WHERE status = 'active'")


def downgrade():
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_column('agreed_hourly_fee_pence')
        batch_op.drop_column('agreed_band_fee_pence')
