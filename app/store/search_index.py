"""The full-text search index's upkeep outside migrations: rebuild it whole, or hold its
per-row upkeep back during a bulk write and rebuild once at the end.

search_docs (one plain row per searchable record, kept by SQL triggers on the source tables)
is the truth; two FTS5 tables index it (migrations 0003 and 0009): search_index keeps ä and ö
as letters of their own, search_index_folded folds every diacritic away. Triggers on
search_docs feed both, row by row. The SQL below is the live copy of those triggers (the
migration's is frozen; tests/search/test_migration.py checks that both agree).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

FTS_TABLES = ("search_index", "search_index_folded")
_COLUMNS = "kind, ref_id, deleted, title, body"


def docs_triggers() -> list[str]:
    """CREATE TRIGGER statements that keep every FTS table in step with search_docs."""
    insert = "".join(
        f"INSERT INTO {t}(rowid, {_COLUMNS}) VALUES (new.id, new.kind, new.ref_id, new.deleted, new.title, new.body);\n"
        for t in FTS_TABLES
    )
    delete = "".join(
        f"INSERT INTO {t}({t}, rowid, {_COLUMNS}) VALUES ('delete', old.id, old.kind, old.ref_id, old.deleted, old.title, old.body);\n"
        for t in FTS_TABLES
    )
    return [
        f"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN\n{insert}END",
        f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN\n{delete}END",
        f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN\n{delete}{insert}END",
    ]


DOCS_TRIGGER_NAMES = ("search_docs_ai", "search_docs_ad", "search_docs_au")


def rebuild(conn: Connection | Session) -> None:
    """Rebuild every FTS index from search_docs, in the caller's transaction: one pass each,
    the index's pages written afresh (so nothing deleted lingers in them)."""
    for table in FTS_TABLES:
        conn.execute(text(f"INSERT INTO {table}({table}) VALUES ('rebuild')"))


@contextmanager
def deferred(conn: Connection | Session) -> Iterator[None]:
    """Inside: search_docs still follows every write (its triggers on the source tables stay), but
    the FTS indexes are not touched row by row; on leaving, they are rebuilt once. Use it in one
    write transaction: if it rolls back, the dropped triggers come back with it."""
    for name in DOCS_TRIGGER_NAMES:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    yield
    for sql in docs_triggers():
        conn.execute(text(sql))
    rebuild(conn)
