"""Gaps on their own and the hub's fees.

A gap now carries its hub, broker, person, service category and district (copied from its need
for the gaps already recorded), so a broker can raise one when nothing could even be posted and
the reports group gaps without going through needs. Needs are indexed by when they were first
published, which is how the reports choose them. Hubs gain the agreement's end date and its
fees to the centre: a fee for each month, and for each new client.

Revision ID: 0014_gaps_and_hub_fees
Revises: 0013_support_plans
Create Date: 2026-12-04 18:52:07.214219

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_gaps_and_hub_fees'
down_revision = '0013_support_plans'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('gaps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hub_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('broker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('holder_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('category_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('district', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('needed', sa.Text(), server_default='', nullable=False))

    # The gaps already recorded take what they need from their need and its posting broker.
    for column, source in (("broker_id", "needs.broker_id"), ("holder_id", "needs.holder_id"),
                           ("category_id", "needs.category_id"), ("district", "needs.district")):
        op.execute(f"UPDATE gaps SET {column} = (SELECT {source} FROM needs WHERE needs.id = gaps.need_id)")
    op.execute("UPDATE gaps SET hub_id = (SELECT broker_profiles.hub_id FROM broker_profiles "
               "WHERE broker_profiles.id = gaps.broker_id)")
    op.execute("UPDATE gaps SET needed = (SELECT needs.public_description FROM needs WHERE needs.id = gaps.need_id)")
    # A gap's broker always belongs to a hub (only accredited brokers of a hub post needs); one
    # that somehow does not has no hub to report to, and cannot be kept without one.
    op.execute("DELETE FROM gaps WHERE hub_id IS NULL")

    with op.batch_alter_table('gaps', schema=None) as batch_op:
        for column in ('hub_id', 'broker_id', 'category_id'):
            batch_op.alter_column(column, existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('district', existing_type=sa.String(length=8), nullable=False)
        batch_op.alter_column('need_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(batch_op.f('ix_gaps_broker_id'), ['broker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gaps_flagged_at'), ['flagged_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_gaps_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gaps_hub_id'), ['hub_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_gaps_holder_id_budget_holders'), 'budget_holders', ['holder_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_gaps_hub_id_hubs'), 'hubs', ['hub_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_gaps_category_id_service_categories'), 'service_categories', ['category_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_gaps_broker_id_broker_profiles'), 'broker_profiles', ['broker_id'], ['id'])

    # Plain ALTER TABLE ... ADD COLUMN: on SQLite a batch rebuild of `hubs` would drop a table
    # that other rows point at, which foreign keys forbid once the portal holds data. The fees'
    # CHECK is PostgreSQL's; SQLite cannot add one to an existing table (the services and the
    # form refuse a negative fee on both).
    op.add_column('hubs', sa.Column('agreement_end', sa.Date(), nullable=True))
    op.add_column('hubs', sa.Column('monthly_fee_pence', sa.BigInteger(), server_default='0', nullable=False))
    op.add_column('hubs', sa.Column('fee_per_new_client_pence', sa.BigInteger(), server_default='0', nullable=False))
    if op.get_context().dialect.name != "sqlite":
        op.create_check_constraint(op.f('ck_hubs_fees_not_negative'), 'hubs',
                                   'monthly_fee_pence >= 0 AND fee_per_new_client_pence >= 0')

    # The hub reports choose needs by when they were first published, and time the 4-hour
    # standard from when the first provider was told (kept on the need from now on).
    op.create_index(op.f('ix_needs_published_at'), 'needs', ['published_at'], unique=False)
    op.add_column('needs', sa.Column('first_told_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE needs SET first_told_at = (SELECT min(need_recipients.notified_at) FROM need_recipients "
               "WHERE need_recipients.need_id = needs.id)")


def downgrade():
    op.drop_column('needs', 'first_told_at')
    op.drop_index(op.f('ix_needs_published_at'), table_name='needs')
    if op.get_context().dialect.name != "sqlite":
        op.drop_constraint(op.f('ck_hubs_fees_not_negative'), 'hubs', type_='check')
    for column in ('fee_per_new_client_pence', 'monthly_fee_pence', 'agreement_end'):
        op.drop_column('hubs', column)  # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later)

    op.execute("DELETE FROM gaps WHERE need_id IS NULL")  # gaps raised on their own have nowhere to go
    with op.batch_alter_table('gaps', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_gaps_broker_id_broker_profiles'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_gaps_category_id_service_categories'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_gaps_hub_id_hubs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_gaps_holder_id_budget_holders'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_gaps_hub_id'))
        batch_op.drop_index(batch_op.f('ix_gaps_holder_id'))
        batch_op.drop_index(batch_op.f('ix_gaps_flagged_at'))
        batch_op.drop_index(batch_op.f('ix_gaps_broker_id'))
        batch_op.alter_column('need_id', existing_type=sa.INTEGER(), nullable=False)
        for column in ('needed', 'district', 'category_id', 'holder_id', 'broker_id', 'hub_id'):
            batch_op.drop_column(column)
