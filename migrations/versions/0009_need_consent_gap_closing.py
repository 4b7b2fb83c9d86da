"""The person's consent to share a need's private details (once per need, withdrawable), and
gaps the hub lead closes with a response; the broker's reason for recommending an offer

Revision ID: 0009_need_consent_gap_closing
Revises: 0008_agreed_price
Create Date: 2026-12-02 04:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_need_consent_gap_closing'
down_revision = '0008_agreed_price'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sharing_consent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_needs_sharing_consent_id_consents', 'consents',
                                    ['sharing_consent_id'], ['id'])
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_reason', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('gaps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_gaps_closed_by_id_users', 'users', ['closed_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('gaps', schema=None) as batch_op:
        batch_op.drop_constraint('fk_gaps_closed_by_id_users', type_='foreignkey')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('closed_at')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_column('proposal_reason')
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_constraint('fk_needs_sharing_consent_id_consents', type_='foreignkey')
        batch_op.drop_column('sharing_consent_id')
