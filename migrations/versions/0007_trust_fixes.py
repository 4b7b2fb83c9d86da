"""Trust fixes: a handed-back offer leaves the accepted state (one accepted offer per need),
agreements that end early, moderated replies to reviews, provider services and districts
checked one by one, sign-in sessions kept on the server

Revision ID: 0007_trust_fixes
Revises: 0006_search_queue_no_id_reuse
Create Date: 2026-12-01 22:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007_trust_fixes'
down_revision = '0006_search_queue_no_id_reuse'
branch_labels = None
depends_on = None

ACCEPTED = sa.text("status = 'accepted'")
PENDING = sa.text("status = 'pending'")


def upgrade():
    # Offers accepted before this release whose agreement was handed back leave the accepted state.
    op.execute("UPDATE offers SET status = 'handed_back' WHERE status = 'accepted' AND id IN "
               "(SELECT offer_id FROM service_agreements WHERE status = 'handed_back')")
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index('uq_offers_one_accepted_per_need', ['need_id'], unique=True,
                              sqlite_where=ACCEPTED, postgresql_where=ACCEPTED)

    with op.batch_alter_table('service_agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_status', sa.Enum('pending', 'published', 'rejected', name='reviewstatus',
                                                              native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('reply_moderated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reply_moderated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reply_moderation_note', sa.Text(), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_reviews_reply_moderated_by_id_users'), 'users',
                                    ['reply_moderated_by_id'], ['id'])
    # Replies published before replies were moderated stay published.
    op.execute("UPDATE reviews SET reply_status = 'published' WHERE reply <> ''")

    # Only the newest of several band changes waiting at once stays waiting (there should be none).
    op.execute("UPDATE band_change_requests SET status = 'declined', decision_note = 'Sent twice.' "
               "WHERE status = 'pending' AND id NOT IN (SELECT MAX(id) FROM band_change_requests "
               "WHERE status = 'pending' GROUP BY engagement_id)")
    with op.batch_alter_table('band_change_requests', schema=None) as batch_op:
        batch_op.create_index('uq_band_change_requests_one_pending_per_engagement', ['engagement_id'], unique=True,
                              sqlite_where=PENDING, postgresql_where=PENDING)

    for table in ('provider_services', 'provider_districts'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('verified_by_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_verified_by_id_users'), 'users',
                                        ['verified_by_id'], ['id'])
        # What a verified provider listed before this release was checked with the provider.
        op.execute(f"UPDATE {table} SET verified_at = (SELECT o.verified_at FROM provider_organisations o "
                   f"WHERE o.id = {table}.organisation_id), verified_by_id = (SELECT o.verified_by_id FROM "
                   f"provider_organisations o WHERE o.id = {table}.organisation_id)")


    op.create_table('sign_in_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_sessions_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_sessions_token_hash'))
    )
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_sessions_user_id'), ['user_id'], unique=False)
    # Sessions now live on the server: everyone signs in again once after this release. A plain
    # DROP COLUMN (SQLite 3.35+), never a batch copy of `users`: with foreign keys on, dropping the
    # old table would cascade into every table that references users.
    op.execute("ALTER TABLE users DROP COLUMN session_token")


def downgrade():
    op.execute("ALTER TABLE users ADD COLUMN session_token VARCHAR(32) NOT NULL DEFAULT 'downgraded'")
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_sessions_user_id'))
    op.drop_table('sign_in_sessions')
    with op.batch_alter_table('band_change_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_band_change_requests_one_pending_per_engagement', sqlite_where=PENDING,
                            postgresql_where=PENDING)
    for table in ('provider_districts', 'provider_services'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_verified_by_id_users'), type_='foreignkey')
            batch_op.drop_column('verified_by_id')
            batch_op.drop_column('verified_at')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reviews_reply_moderated_by_id_users'), type_='foreignkey')
        batch_op.drop_column('reply_moderation_note')
        batch_op.drop_column('reply_moderated_by_id')
        batch_op.drop_column('reply_moderated_at')
        batch_op.drop_column('reply_status')
    with op.batch_alter_table('service_agreements', schema=None) as batch_op:
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_at')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index('uq_offers_one_accepted_per_need', sqlite_where=ACCEPTED, postgresql_where=ACCEPTED)
    op.execute("UPDATE offers SET status = 'accepted' WHERE status = 'handed_back'")
