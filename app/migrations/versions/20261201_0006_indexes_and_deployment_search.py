"""covering indexes for the dashboard's contact check, the annual plan and guidance totals;
deployments' notes in the search index

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Each index below replaces a one-column index that is its prefix, so every query that
used the old one can use the new one, and the pages named read the index alone instead
of one table row per index entry (bench scale, see bench/README.md):

- events (date, deleted, status, type, theme, id): the dashboard's "which units had an
  event lately" and the annual plan's month counts;
- event_attendance (event_id, deleted, unit_id): the units an event concerns;
- guidance_attendance (session_id, deleted, trainee_id) and (trainee_id, deleted,
  session_id): who was at a session, and a trainee's sessions;
- guidance_sessions (date, deleted, duration_minutes, id), replacing 0004's index
  without id; and (id, deleted, date, duration_minutes): a session's date and length
  by its id, for a trainee's totals and the dashboard's guidance contacts.

Plain CREATE/DROP INDEX, never batch mode: rebuilding a table would drop its search
triggers (migration 0003).

Search: deployments join the index of migration 0003 as kind "deployment", with their
notes as the body and no title (a deployment is named by its unit and method, which
the search page looks up when it shows the hit, so a renamed unit needs no re-index).
The triggers are 0003's recipe, copied (a migration's SQL is frozen).
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (table, old index, old columns, new index, new columns)
REPLACED = (
    ("events", "ix_events_date", ["date"], "ix_events_date_live", ["date", "deleted", "status", "type", "theme", "id"]),
    (
        "event_attendance",
        "ix_event_attendance_event_id",
        ["event_id"],
        "ix_event_attendance_event_live",
        ["event_id", "deleted", "unit_id"],
    ),
    (
        "guidance_attendance",
        "ix_guidance_attendance_session_id",
        ["session_id"],
        "ix_guidance_attendance_session_live",
        ["session_id", "deleted", "trainee_id"],
    ),
    (
        "guidance_attendance",
        "ix_guidance_attendance_trainee_id",
        ["trainee_id"],
        "ix_guidance_attendance_trainee_live",
        ["trainee_id", "deleted", "session_id"],
    ),
    (
        "guidance_sessions",
        "ix_guidance_sessions_date_minutes",
        ["date", "deleted", "duration_minutes"],
        "ix_guidance_sessions_date_live",
        ["date", "deleted", "duration_minutes", "id"],
    ),
)
DROPPED = (("guidance_sessions", "ix_guidance_sessions_date", ["date"]),)  # a prefix of ix_guidance_sessions_date_live
ADDED = (("guidance_sessions", "ix_guidance_sessions_id_live", ["id", "deleted", "date", "duration_minutes"]),)


DEPLOYMENT_TRIGGERS = (
    """
    CREATE TRIGGER search_deployments_ai AFTER INSERT ON deployments BEGIN
        INSERT INTO search_docs(kind, ref_id, deleted, title, body)
        VALUES ('deployment', new.id, new.deleted, '', new.notes);
    END
    """,
    """
    CREATE TRIGGER search_deployments_au AFTER UPDATE ON deployments BEGIN
        DELETE FROM search_docs WHERE kind = 'deployment' AND ref_id = old.id AND old.id <> new.id;
        INSERT INTO search_docs(kind, ref_id, deleted, title, body)
        VALUES ('deployment', new.id, new.deleted, '', new.notes)
        ON CONFLICT (kind, ref_id) DO UPDATE SET
            deleted = excluded.deleted, title = excluded.title, body = excluded.body;
    END
    """,
    """
    CREATE TRIGGER search_deployments_ad AFTER DELETE ON deployments BEGIN
        DELETE FROM search_docs WHERE kind = 'deployment' AND ref_id = old.id;
    END
    """,
)


def upgrade() -> None:
    op.execute(
        "INSERT INTO search_docs(kind, ref_id, deleted, title, body) "
        "SELECT 'deployment', r.id, r.deleted, '', r.notes FROM deployments AS r"
    )
    for trigger in DEPLOYMENT_TRIGGERS:
        op.execute(trigger)
    for table, old, _old_columns, new, columns in REPLACED:
        op.create_index(new, table, columns)
        op.drop_index(old, table_name=table)
    for table, old, _columns in DROPPED:
        op.drop_index(old, table_name=table)
    for table, new, columns in ADDED:
        op.create_index(new, table, columns)


def downgrade() -> None:
    for suffix in ("ai", "au", "ad"):
        op.execute(f"DROP TRIGGER IF EXISTS search_deployments_{suffix}")
    op.execute("DELETE FROM search_docs WHERE kind = 'deployment'")  # its own trigger updates the index
    for table, new, _columns in ADDED:
        op.drop_index(new, table_name=table)
    for table, old, columns in DROPPED:
        op.create_index(old, table, columns)
    for table, old, old_columns, new, _columns in REPLACED:
        op.create_index(old, table, old_columns)
        op.drop_index(new, table_name=table)
