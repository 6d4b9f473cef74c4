"""indicators: the catalogue (seeded), monthly figures, goals pointing at an indicator with a
direction, and why a deployment paused or ended

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

The seeded indicators get stable ids from their keys (app.core.indicators.SEEDED), as methods
and instruments do, so the central office adds one indicator up across all coordinators.
Existing goals get direction "higher": what their progress meant until now.
"""

import sqlalchemy as sa
from alembic import op

import app.models.base  # noqa: F401 - UTCDateTime in the columns
from app.store.seeds import seed_indicators

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _sync_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('created_at', app.models.base.UTCDateTime(), nullable=False),
        sa.Column('updated_at', app.models.base.UTCDateTime(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('indicators',
    sa.Column('key', sa.String(length=64), nullable=True),
    sa.Column('name_fi', sa.String(length=200), nullable=False),
    sa.Column('name_sv', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('measure', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('additive', sa.Boolean(), nullable=False),
    sa.Column('per_method', sa.Boolean(), nullable=False),
    sa.Column('takes_days', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('retired', sa.Boolean(), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('key', name=op.f('uq_indicators_key'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_updated_at'), ['updated_at'], unique=False)

    op.create_table('monthly_figures',
    sa.Column('indicator_id', sa.String(length=36), nullable=False),
    sa.Column('unit_id', sa.String(length=36), nullable=False),
    sa.Column('method_id', sa.String(length=36), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('value_milli', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=True),
    *_sync_columns(),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_monthly_figures_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['method_id'], ['methods.id'], name=op.f('fk_monthly_figures_method_id_methods')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_monthly_figures_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_figures'))
    )
    with op.batch_alter_table('monthly_figures', schema=None) as batch_op:
        batch_op.create_index('ix_monthly_figures_indicator_month_live', ['indicator_id', 'month', 'deleted'], unique=False)
        batch_op.create_index('ix_monthly_figures_unit_month_live', ['unit_id', 'month', 'deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_monthly_figures_method_id'), ['method_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monthly_figures_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('indicator_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('direction', sa.String(length=8), server_default='higher', nullable=False))
        batch_op.add_column(sa.Column('days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('counted_from', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_goals_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_goals_indicator_id_indicators'), 'indicators', ['indicator_id'], ['id'])

    with op.batch_alter_table('deployment_phases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reason_text', sa.Text(), server_default='', nullable=False))

    seed_indicators(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('deployment_phases', schema=None) as batch_op:
        batch_op.drop_column('reason_text')
        batch_op.drop_column('reason')

    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_goals_indicator_id_indicators'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_goals_indicator_id'))
        batch_op.drop_column('counted_from')
        batch_op.drop_column('days')
        batch_op.drop_column('direction')
        batch_op.drop_column('indicator_id')

    with op.batch_alter_table('monthly_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monthly_figures_updated_at'))
        batch_op.drop_index(batch_op.f('ix_monthly_figures_method_id'))
        batch_op.drop_index('ix_monthly_figures_unit_month_live')
        batch_op.drop_index('ix_monthly_figures_indicator_month_live')
    op.drop_table('monthly_figures')

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_updated_at'))
    op.drop_table('indicators')
