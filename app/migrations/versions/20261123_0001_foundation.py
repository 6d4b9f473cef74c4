"""foundation: settings and the coordinator profile

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def synced_columns():
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
    ]


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "coordinator_profile",
        *synced_columns(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("county", sa.String(32), nullable=False),
        sa.Column("central_office_email", sa.String(254), nullable=False),
    )
    op.create_index("ix_coordinator_profile_updated_at", "coordinator_profile", ["updated_at"])


def downgrade() -> None:
    op.drop_table("coordinator_profile")
    op.drop_table("settings")
