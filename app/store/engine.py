"""One SQLite engine per data directory, with the pragmas the data's safety relies on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000


def make_engine(db_path: Path) -> Engine:
    # hide_parameters: an IntegrityError's text would otherwise carry the row's
    # values (notes!) into the log file.
    engine = create_engine(f"sqlite:///{db_path}", hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin
        # (the documented pysqlite recipe); otherwise SAVEPOINTs and transactional
        # DDL in migrations misbehave.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable across application crashes in WAL mode; only a power
        # cut can lose the last commits, never corrupt the file.
        cur.execute("PRAGMA synchronous=NORMAL")
        # 64 MB page cache (default 2 MB): a few years of a busy coordinator's data stays in memory.
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN")

    return engine


def make_read_only_engine(db_path: Path) -> Engine:
    """An engine that can only read: for commands that may run while Koordi has the file open
    (reports), and for files that are not this install's own (a merged database).

    mode=ro at the SQLite level (nothing can be written, not even by mistake), no pragma
    that writes (journal_mode is left as the file has it), and every read in one
    transaction, so a report sees one consistent state while the app goes on writing.
    """
    import sqlite3

    uri = f"{db_path.resolve().as_uri()}?mode=ro"

    def connect():
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA query_only=ON")
        cur.execute("PRAGMA cache_size=-65536")  # as make_engine: a year's report reads much of the file
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN")

    return engine
