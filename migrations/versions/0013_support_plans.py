"""Support plans: the working plan (support_plans, plan_lines, plan_edits), the versions submitted
(plan_versions, with the SHA-256 of their canonical JSON), the funder's change requests, the two
signatures of a version (one per side), the reviews booked and done (one open at a time), the
thread (plan_messages) and the funders' indicative budgets. Amounts are integer pence with their
rules as check constraints.

Revision ID: 0013_support_plans
Revises: 0012_card_payments_stripe
Create Date: 2026-12-04 01:09:34.165369

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_support_plans'
down_revision = '0012_card_payments_stripe'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicative_budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('funding_body_id', sa.Integer(), nullable=False),
    sa.Column('amount_pence', sa.BigInteger(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_pence > 0', name=op.f('ck_indicative_budgets_indicative_budget_positive')),
    sa.ForeignKeyConstraint(['funding_body_id'], ['funding_bodies.id'], name=op.f('fk_indicative_budgets_funding_body_id_funding_bodies')),
    sa.ForeignKeyConstraint(['holder_id'], ['budget_holders.id'], name=op.f('fk_indicative_budgets_holder_id_budget_holders')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_indicative_budgets_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicative_budgets')),
    sa.UniqueConstraint('holder_id', 'funding_body_id', name='uq_indicative_budgets_one_per_funder')
    )
    with op.batch_alter_table('indicative_budgets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicative_budgets_funding_body_id'), ['funding_body_id'], unique=False)

    op.create_table('support_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('funding_body_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'changes_requested', 'approved', 'signed', 'active', 'review_due', 'reviewed', name='planstatus', native_enum=False, length=32), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('money_arrangement', sa.Enum('direct_payment', 'managed_account', 'my_company', name='moneyarrangement', native_enum=False, length=32), nullable=True),
    sa.Column('services_start_on', sa.Date(), nullable=True),
    sa.Column('review_weeks', sa.Integer(), nullable=False),
    sa.Column('over_budget_explanation', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('review_weeks BETWEEN 6 AND 8', name=op.f('ck_support_plans_review_weeks_6_to_8')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_support_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['funding_body_id'], ['funding_bodies.id'], name=op.f('fk_support_plans_funding_body_id_funding_bodies')),
    sa.ForeignKeyConstraint(['holder_id'], ['budget_holders.id'], name=op.f('fk_support_plans_holder_id_budget_holders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plans')),
    sa.UniqueConstraint('holder_id', 'funding_body_id', name='uq_support_plans_one_per_funder')
    )
    with op.batch_alter_table('support_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plans_funding_body_id'), ['funding_body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_plans_holder_id'), ['holder_id'], unique=False)

    op.create_table('plan_edits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['users.id'], name=op.f('fk_plan_edits_on_behalf_of_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plans.id'], name=op.f('fk_plan_edits_plan_id_support_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_plan_edits_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_edits'))
    )
    with op.batch_alter_table('plan_edits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_edits_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('author_role', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('is_event', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_plan_messages_author_id_users')),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['users.id'], name=op.f('fk_plan_messages_on_behalf_of_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plans.id'], name=op.f('fk_plan_messages_plan_id_support_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_messages'))
    )
    with op.batch_alter_table('plan_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_messages_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('number >= 1', name=op.f('ck_plan_versions_version_number_positive')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_plan_versions_approved_by_id_users')),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['users.id'], name=op.f('fk_plan_versions_on_behalf_of_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plans.id'], name=op.f('fk_plan_versions_plan_id_support_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_plan_versions_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_versions')),
    sa.UniqueConstraint('plan_id', 'number', name='uq_plan_versions_number')
    )
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_versions_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_change_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(reason) > 0', name=op.f('ck_plan_change_requests_change_request_has_reason')),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_plan_change_requests_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_plan_change_requests_version_id_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_change_requests'))
    )
    with op.batch_alter_table('plan_change_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_change_requests_version_id'), ['version_id'], unique=False)

    op.create_table('plan_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('first', 'annual', 'early', name='reviewkind', native_enum=False, length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_plan_reviews_done_by_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plans.id'], name=op.f('fk_plan_reviews_plan_id_support_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_plan_reviews_requested_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_plan_reviews_version_id_plan_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_reviews'))
    )
    with op.batch_alter_table('plan_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_reviews_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_reviews_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('uq_plan_reviews_one_open', ['plan_id'], unique=True, sqlite_where=sa.text('done_at IS NULL AND replaced_at IS NULL'), postgresql_where=sa.text('done_at IS NULL AND replaced_at IS NULL'))

    op.create_table('plan_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint("role IN ('holder', 'funder')", name=op.f('ck_plan_signatures_signature_role_known')),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['users.id'], name=op.f('fk_plan_signatures_on_behalf_of_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_plan_signatures_user_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_plan_signatures_version_id_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_signatures')),
    sa.UniqueConstraint('version_id', 'role', name='uq_plan_signatures_one_per_side')
    )
    with op.batch_alter_table('plan_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_signatures_version_id'), ['version_id'], unique=False)

    op.create_table('plan_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('need', sa.Text(), nullable=False),
    sa.Column('support', sa.Text(), nullable=False),
    sa.Column('given_by', sa.Enum('service_agreement', 'provider', 'family', 'community', 'equipment', name='givenby', native_enum=False, length=32), nullable=False),
    sa.Column('given_by_name', sa.String(length=160), nullable=False),
    sa.Column('quantity', sa.String(length=160), nullable=False),
    sa.Column('cost_pence', sa.BigInteger(), nullable=False),
    sa.Column('paid_by', sa.Enum('stream', 'indicative', 'unpaid', name='paidby', native_enum=False, length=32), nullable=False),
    sa.Column('funding_stream_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(paid_by = 'stream') = (funding_stream_id IS NOT NULL)", name=op.f('ck_plan_lines_stream_line_names_stream')),
    sa.CheckConstraint("paid_by <> 'unpaid' OR cost_pence = 0", name=op.f('ck_plan_lines_unpaid_line_costs_nothing')),
    sa.CheckConstraint("paid_by = 'unpaid' OR cost_pence > 0", name=op.f('ck_plan_lines_paid_line_has_a_cost')),
    sa.CheckConstraint('cost_pence >= 0', name=op.f('ck_plan_lines_line_cost_not_negative')),
    sa.ForeignKeyConstraint(['funding_stream_id'], ['funding_streams.id'], name=op.f('fk_plan_lines_funding_stream_id_funding_streams')),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plans.id'], name=op.f('fk_plan_lines_plan_id_support_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_lines'))
    )
    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_lines_plan_id'), ['plan_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_lines_plan_id'))

    op.drop_table('plan_lines')
    with op.batch_alter_table('plan_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_signatures_version_id'))

    op.drop_table('plan_signatures')
    with op.batch_alter_table('plan_reviews', schema=None) as batch_op:
        batch_op.drop_index('uq_plan_reviews_one_open', sqlite_where=sa.text('done_at IS NULL AND replaced_at IS NULL'), postgresql_where=sa.text('done_at IS NULL AND replaced_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_plan_reviews_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_reviews_due_on'))

    op.drop_table('plan_reviews')
    with op.batch_alter_table('plan_change_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_change_requests_version_id'))

    op.drop_table('plan_change_requests')
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_versions_plan_id'))

    op.drop_table('plan_versions')
    with op.batch_alter_table('plan_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_messages_plan_id'))

    op.drop_table('plan_messages')
    with op.batch_alter_table('plan_edits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_edits_plan_id'))

    op.drop_table('plan_edits')
    with op.batch_alter_table('support_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plans_holder_id'))
        batch_op.drop_index(batch_op.f('ix_support_plans_funding_body_id'))

    op.drop_table('support_plans')
    with op.batch_alter_table('indicative_budgets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicative_budgets_funding_body_id'))

    op.drop_table('indicative_budgets')
