"""One SQLite engine per data directory, with the pragmas the data's safety relies on."""

from __future__ import annotations

from pathlib import Path

import sqlite3

from sqlalchemy import Engine, create_engine, event

from app.store.errors import DatabaseBusy

BUSY_TIMEOUT_MS = 5000  # how long a write waits for another program's write to end
# The execution option of a write transaction: its BEGIN is BEGIN IMMEDIATE (see _on_begin).
IMMEDIATE = "koordi_immediate"


def make_engine(db_path: Path, busy_timeout_ms: int | None = None) -> Engine:
    """The data's engine. Transactions begin deferred (reads never wait); one whose
    connection has the execution option IMMEDIATE begins as a write transaction."""
    timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else int(busy_timeout_ms)
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
        cur.execute(f"PRAGMA busy_timeout={timeout}")
        cur.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable across application crashes in WAL mode; only a power
        # cut can lose the last commits, never corrupt the file.
        cur.execute("PRAGMA synchronous=NORMAL")
        # 64 MB page cache (default 2 MB): a few years of a busy coordinator's data stays in memory.
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A write takes the write lock at its BEGIN, where the busy timeout lets it wait
        # for another writer. A deferred transaction that reads and then writes cannot
        # wait: if another writer committed since its read, SQLite refuses it at once.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(IMMEDIATE) else "BEGIN")

    @event.listens_for(engine, "handle_error")
    def _on_error(context):
        if is_busy(context.original_exception):
            return DatabaseBusy(db_path)
        return None

    return engine


def is_busy(exc: BaseException | None) -> bool:
    """SQLite gave up waiting for another connection's lock (SQLITE_BUSY and its variants)."""
    return isinstance(exc, sqlite3.OperationalError) and (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY


def make_read_only_engine(db_path: Path) -> Engine:
    """An engine that can only read: for commands that may run while Koordi has the file open
    (reports), and for files that are not this install's own (a merged database).

    mode=ro at the SQLite level (nothing can be written, not even by mistake), no pragma
    that writes (journal_mode is left as the file has it), and every read in one
    transaction, so a report sees one consistent state while the app goes on writing.
    """
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
