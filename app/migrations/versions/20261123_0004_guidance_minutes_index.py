"""guidance minutes: a covering index for the dashboard's and reports' hour sums

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain CREATE INDEX, not batch mode: rebuilding the table would drop its search triggers.
    op.create_index("ix_guidance_sessions_date_minutes", "guidance_sessions", ["date", "deleted", "duration_minutes"])


def downgrade() -> None:
    op.drop_index("ix_guidance_sessions_date_minutes", table_name="guidance_sessions")
