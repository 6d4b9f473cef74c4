"""sync history: the exports made and the files imported on this install (local, never exported)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("since", UTCDateTime(), nullable=True),
        sa.Column("notes_included", sa.Boolean(), nullable=False),
        sa.Column("names_included", sa.Boolean(), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("export_id", sa.String(36), nullable=False),
        sa.Column("coordinator_id", sa.String(36), nullable=False),
        sa.Column("rows", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_history")),
    )
    op.create_index(op.f("ix_sync_history_at"), "sync_history", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_history_at"), table_name="sync_history")
    op.drop_table("sync_history")
