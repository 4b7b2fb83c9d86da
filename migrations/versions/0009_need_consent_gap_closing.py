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
    _needs_already_published_keep_sharing()
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_reason', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('gaps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_gaps_closed_by_id_users', 'users', ['closed_by_id'], ['id'])


def _needs_already_published_keep_sharing():
    """Needs published before this step were shared as the rules then allowed: each gets a
    consent row saying so (method "earlier"), so shortlisted providers keep what they see and the
    broker can still shortlist; the person can withdraw it like any other."""
    bind = op.get_bind()
    needs = bind.execute(sa.text(
        "SELECT id, holder_id, posted_by_id, published_at FROM needs "
        "WHERE published_at IS NOT NULL AND status IN ('open', 'closed', 'filled')")).fetchall()
    for need_id, holder_id, posted_by_id, published_at in needs:
        bind.execute(sa.text(
            "INSERT INTO consents (holder_id, purpose, method, note, given_at, recorded_by_id) "
            "VALUES (:holder_id, 'share_need_details', 'earlier', :note, :given_at, :recorded_by_id)"),
            {"holder_id": holder_id, "given_at": published_at, "recorded_by_id": posted_by_id,
             "note": "This need was published before OurChoice asked for agreement need by need."})
        consent_id = bind.execute(sa.text(
            "SELECT max(id) FROM consents WHERE holder_id = :holder_id AND purpose = 'share_need_details'"),
            {"holder_id": holder_id}).scalar()
        bind.execute(sa.text("UPDATE needs SET sharing_consent_id = :consent_id WHERE id = :need_id"),
                     {"consent_id": consent_id, "need_id": need_id})


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
