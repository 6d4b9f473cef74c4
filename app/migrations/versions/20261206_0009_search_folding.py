"""search folding: a second full-text index without diacritics, a vocabulary for suggestions,
and the whole index rebuilt

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

- search_index_folded: an FTS5 table over the same search_docs rows as search_index (migration
  0003), tokenised with unicode61 remove_diacritics 2, so "aanekoski" finds "Äänekoski" and
  "unal" finds "Ünal" (search_index keeps ä and ö as letters of their own: an exact match
  ranks first, app/search/query.py). Same columns, so one MATCH expression serves both.
- search_vocab: an fts5vocab table over search_index (term, column, documents): the words
  of the indexed names that "Did you mean …?" picks from. It stores nothing itself.
- search_docs' triggers feed both FTS tables; an erased trainee's name is optimised out of
  both indexes' pages.
- Every source table's search triggers are made again (DROP IF EXISTS, then 0003's and
  0006's recipe, copied: a migration's SQL is frozen): a batch-mode rebuild of a source table
  in an earlier migration drops its triggers (0008 rebuilds goals), and search_docs is then
  filled again from the source tables and both FTS indexes rebuilt from it, so whatever an
  earlier step missed is indexed.

app/store/search_index.py holds the live copy of the search_docs triggers and the rebuild;
tests/search/test_migration.py checks they match what this migration leaves.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FTS_TABLES = ("search_index", "search_index_folded")
COLUMNS = "kind, ref_id, deleted, title, body"

# kind, table, title SQL, body SQL, hidden SQL (in terms of a row alias "r"): 0003's and 0006's.
SOURCES = (
    ("unit", "units", "r.name", "r.municipality || char(10) || r.notes", "r.deleted"),
    ("event", "events", "r.title", "r.theme || char(10) || r.place || char(10) || r.notes", "r.deleted"),
    (
        "trainee",
        "trainees",
        "CASE WHEN r.erased_at IS NULL THEN r.name ELSE '' END",
        "CASE WHEN r.erased_at IS NULL THEN r.profession || char(10) || r.cohort ELSE '' END",
        "(r.deleted OR r.erased_at IS NOT NULL)",
    ),
    ("guidance", "guidance_sessions", "r.topics", "r.notes", "r.deleted"),
    ("goal", "goals", "r.title", "r.metric || char(10) || r.notes", "r.deleted"),
    ("deployment", "deployments", "''", "r.notes", "r.deleted"),
)


def _as(sql: str, alias: str) -> str:
    return sql.replace("r.", f"{alias}.")


def _docs_triggers(tables: tuple[str, ...]) -> list[str]:
    """The FTS5 external-content recipe, once per FTS table."""
    insert = "".join(
        f"INSERT INTO {t}(rowid, {COLUMNS}) VALUES (new.id, new.kind, new.ref_id, new.deleted, new.title, new.body);\n"
        for t in tables
    )
    delete = "".join(
        f"INSERT INTO {t}({t}, rowid, {COLUMNS}) VALUES ('delete', old.id, old.kind, old.ref_id, old.deleted, old.title, old.body);\n"
        for t in tables
    )
    return [
        f"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN\n{insert}END",
        f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN\n{delete}END",
        f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN\n{delete}{insert}END",
    ]


def _erased_trigger(tables: tuple[str, ...]) -> str:
    optimise = "".join(f"INSERT INTO {t}({t}) VALUES ('optimize');\n" for t in tables)
    return (
        "CREATE TRIGGER search_trainees_erased AFTER UPDATE OF erased_at ON trainees\n"
        f"WHEN old.erased_at IS NULL AND new.erased_at IS NOT NULL BEGIN\n{optimise}END"
    )


def _source_triggers() -> list[str]:
    out = []
    for kind, table, title, body, hidden in SOURCES:
        new_title, new_body, new_hidden = (_as(x, "new") for x in (title, body, hidden))
        out += [
            f"""CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN
                INSERT INTO search_docs(kind, ref_id, deleted, title, body)
                VALUES ('{kind}', new.id, {new_hidden}, {new_title}, {new_body});
            END""",
            f"""CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN
                DELETE FROM search_docs WHERE kind = '{kind}' AND ref_id = old.id AND old.id <> new.id;
                INSERT INTO search_docs(kind, ref_id, deleted, title, body)
                VALUES ('{kind}', new.id, {new_hidden}, {new_title}, {new_body})
                ON CONFLICT (kind, ref_id) DO UPDATE SET
                    deleted = excluded.deleted, title = excluded.title, body = excluded.body;
            END""",
            f"""CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN
                DELETE FROM search_docs WHERE kind = '{kind}' AND ref_id = old.id;
            END""",
        ]
    return out


def _drop_triggers() -> None:
    op.execute("DROP TRIGGER IF EXISTS search_trainees_erased")
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS search_docs_{suffix}")
        for _kind, table, *_rest in SOURCES:
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")


def _refill(tables: tuple[str, ...]) -> None:
    """search_docs again from the source tables (no trigger fires: they are dropped), then each
    FTS index rebuilt from search_docs in one pass."""
    op.execute("DELETE FROM search_docs")
    for kind, table, title, body, hidden in SOURCES:
        op.execute(
            f"INSERT INTO search_docs(kind, ref_id, deleted, title, body) "
            f"SELECT '{kind}', r.id, {hidden}, {title}, {body} FROM {table} AS r"
        )
    for t in tables:
        op.execute(f"INSERT INTO {t}({t}) VALUES ('rebuild')")


def _create_triggers(tables: tuple[str, ...]) -> None:
    for sql in [*_docs_triggers(tables), _erased_trigger(tables), *_source_triggers()]:
        op.execute(sql)


def upgrade() -> None:
    _drop_triggers()
    op.execute(
        """
        CREATE VIRTUAL TABLE search_index_folded USING fts5(
            kind, ref_id UNINDEXED, deleted, title, body,
            content='search_docs', content_rowid='id',
            tokenize="unicode61 remove_diacritics 2",
            prefix='1 2 3'
        )
        """
    )
    op.execute("CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, 'col')")
    _refill(FTS_TABLES)
    _create_triggers(FTS_TABLES)


def downgrade() -> None:
    _drop_triggers()
    op.execute("DROP TABLE IF EXISTS search_vocab")
    op.execute("DROP TABLE IF EXISTS search_index_folded")
    _refill(FTS_TABLES[:1])
    _create_triggers(FTS_TABLES[:1])
