"""search: one full-text index over units, events, trainees, guidance sessions and goals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Two objects, neither in the ORM metadata (tests/test_store.py's autogenerate
comparison must skip names starting with "search_"):

- search_docs: one plain row per searchable record (kind, ref_id, deleted, title,
  body), unique on (kind, ref_id), so a trigger finds a record's row by index;
- search_index: an FTS5 table whose content is search_docs (external content),
  tokenised with unicode61 keeping diacritics: "ä" folds with "Ä" but never with
  "a" (Finnish has ä and ö as letters of their own). kind and deleted are indexed
  too (as the tokens "unit"... and "0"/"1"), so a query filters by them inside the
  index ("kind : unit AND deleted : 0 AND {title body} : ...") without reading a
  row; prefix indexes for 1-3 letters keep "k*" from merging thousands of terms.

SQL triggers on the five source tables keep search_docs current on insert, update
and delete; triggers on search_docs keep the FTS index current. An erased trainee
(erased_at set) is indexed with no text at all, and the index is then optimised so
the name's tokens leave the index's own pages too.

A later migration that rebuilds one of these tables (Alembic batch mode) drops its
triggers with it: call create_source_triggers() again there (copy the SQL: a
migration's SQL is frozen), or the index silently goes stale.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# kind, table, title SQL, body SQL, hidden SQL (in terms of a row alias "r").
# "hidden" folds the soft-delete flag (and a trainee's erasure) into one column.
SOURCES = (
    ("unit", "units", "r.name", "r.municipality || char(10) || r.notes", "r.deleted"),
    ("event", "events", "r.title", "r.theme || char(10) || r.place || char(10) || r.notes", "r.deleted"),
    (
        "trainee",
        "trainees",
        # Only the name, profession and cohort: never the email (personal data with no search use).
        "CASE WHEN r.erased_at IS NULL THEN r.name ELSE '' END",
        "CASE WHEN r.erased_at IS NULL THEN r.profession || char(10) || r.cohort ELSE '' END",
        "(r.deleted OR r.erased_at IS NOT NULL)",
    ),
    ("guidance", "guidance_sessions", "r.topics", "r.notes", "r.deleted"),
    ("goal", "goals", "r.title", "r.metric || char(10) || r.notes", "r.deleted"),
)


def _as(sql: str, alias: str) -> str:
    return sql.replace("r.", f"{alias}.")


def create_index() -> None:
    op.execute(
        """
        CREATE TABLE search_docs (
            id INTEGER PRIMARY KEY,
            kind VARCHAR(16) NOT NULL,
            ref_id VARCHAR(36) NOT NULL,
            deleted BOOLEAN NOT NULL DEFAULT 0,
            title TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            CONSTRAINT uq_search_docs_kind_ref UNIQUE (kind, ref_id)
        )
        """
    )
    op.execute(
        """
        CREATE VIRTUAL TABLE search_index USING fts5(
            kind, ref_id UNINDEXED, deleted, title, body,
            content='search_docs', content_rowid='id',
            tokenize="unicode61 remove_diacritics 0",
            prefix='1 2 3'
        )
        """
    )
    # The FTS5 documentation's external-content recipe.
    op.execute(
        """
        CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
            INSERT INTO search_index(rowid, kind, ref_id, deleted, title, body)
            VALUES (new.id, new.kind, new.ref_id, new.deleted, new.title, new.body);
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
            INSERT INTO search_index(search_index, rowid, kind, ref_id, deleted, title, body)
            VALUES ('delete', old.id, old.kind, old.ref_id, old.deleted, old.title, old.body);
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
            INSERT INTO search_index(search_index, rowid, kind, ref_id, deleted, title, body)
            VALUES ('delete', old.id, old.kind, old.ref_id, old.deleted, old.title, old.body);
            INSERT INTO search_index(rowid, kind, ref_id, deleted, title, body)
            VALUES (new.id, new.kind, new.ref_id, new.deleted, new.title, new.body);
        END
        """
    )


def create_source_triggers() -> None:
    for kind, table, title, body, hidden in SOURCES:
        new_title, new_body, new_hidden = (_as(x, "new") for x in (title, body, hidden))
        op.execute(
            f"""
            CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN
                INSERT INTO search_docs(kind, ref_id, deleted, title, body)
                VALUES ('{kind}', new.id, {new_hidden}, {new_title}, {new_body});
            END
            """
        )
        op.execute(
            f"""
            CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN
                DELETE FROM search_docs WHERE kind = '{kind}' AND ref_id = old.id AND old.id <> new.id;
                INSERT INTO search_docs(kind, ref_id, deleted, title, body)
                VALUES ('{kind}', new.id, {new_hidden}, {new_title}, {new_body})
                ON CONFLICT (kind, ref_id) DO UPDATE SET
                    deleted = excluded.deleted, title = excluded.title, body = excluded.body;
            END
            """
        )
        op.execute(
            f"""
            CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN
                DELETE FROM search_docs WHERE kind = '{kind}' AND ref_id = old.id;
            END
            """
        )
    # An FTS5 delete only marks tokens deleted; optimise merges the index so an erased
    # name's tokens are gone from its pages, not just hidden. Erasure is rare: the cost is fine.
    op.execute(
        """
        CREATE TRIGGER search_trainees_erased AFTER UPDATE OF erased_at ON trainees
        WHEN old.erased_at IS NULL AND new.erased_at IS NOT NULL BEGIN
            INSERT INTO search_index(search_index) VALUES ('optimize');
        END
        """
    )


def backfill() -> None:
    for kind, table, title, body, hidden in SOURCES:
        op.execute(
            f"""
            INSERT INTO search_docs(kind, ref_id, deleted, title, body)
            SELECT '{kind}', r.id, {hidden}, {title}, {body} FROM {table} AS r
            """
        )


def upgrade() -> None:
    create_index()
    backfill()
    create_source_triggers()


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS search_trainees_erased")
    for _kind, table, *_rest in SOURCES:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_index")
    op.execute("DROP TABLE IF EXISTS search_docs")  # its own triggers go with it
