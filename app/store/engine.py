"""The one SQLite engine factory, with the pragmas the data's safety relies on: the app's own
database, a read-only look at it (reports, exports beside a running Koordi), and the central
office's merged database all come from make_engine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from app.core import collation, names
from app.store.errors import DatabaseBusy

BUSY_TIMEOUT_MS = 5000  # how long a write waits for another program's write to end
# The execution option of a write transaction: its BEGIN is BEGIN IMMEDIATE (see _on_begin).
IMMEDIATE = "koordi_immediate"


def make_engine(
    db_path: Path,
    busy_timeout_ms: int | None = None,
    *,
    read_only: bool = False,
    writes_only: bool = False,
    cache_mb: int = 64,
    busy_error: bool = True,
) -> Engine:
    """An engine on the SQLite file `db_path`.

    - Default (the app's data): WAL, foreign keys on; transactions begin deferred (reads never
      wait), and one whose connection has the execution option IMMEDIATE begins as a write
      transaction, taking the write lock at its BEGIN where the busy timeout lets it wait.
    - read_only: mode=ro at the SQLite level (nothing can be written, not even by mistake), no
      pragma that writes (journal_mode is left as the file has it), every read in one
      transaction: a report sees one consistent state while the app goes on writing.
    - writes_only: every transaction is a write (BEGIN IMMEDIATE): the central office's merge,
      so two merges into one file queue up instead of planning against each other's data.
    - busy_error: SQLITE_BUSY after the timeout becomes DatabaseBusy (the app's one sentence).

    hide_parameters: an IntegrityError's text would otherwise carry the row's values (notes!)
    into the log file.
    """
    timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else int(busy_timeout_ms)
    if read_only:
        uri = f"{db_path.resolve().as_uri()}?mode=ro"
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False), hide_parameters=True
        )
    else:
        engine = create_engine(f"sqlite:///{db_path}", hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (the
        # documented pysqlite recipe); otherwise SAVEPOINTs and transactional DDL misbehave.
        dbapi_connection.isolation_level = None
        # ORDER BY … COLLATE koordi: Finnish/Swedish order (Å Ä Ö after Z). Per connection, never in
        # the schema (no index uses it), so other tools open the file without it.
        dbapi_connection.create_collation(collation.NAME, collation.compare)
        # … COLLATE koordi_surname: people's names by surname, then first names (app.core.names).
        dbapi_connection.create_collation(names.SURNAME, names.compare)
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout={timeout}")
        if read_only:
            cur.execute("PRAGMA query_only=ON")
        else:
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable across application crashes in WAL mode; only a power cut can
            # lose the last commits, never corrupt the file.
            cur.execute("PRAGMA synchronous=NORMAL")
        # A bigger page cache than SQLite's 2 MB: a few years of a busy coordinator's data (or a
        # year's report) stays in memory.
        cur.execute(f"PRAGMA cache_size=-{cache_mb * 1024}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A deferred transaction that reads and then writes cannot wait: if another writer
        # committed since its read, SQLite refuses it at once.
        immediate = writes_only or conn.get_execution_options().get(IMMEDIATE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate and not read_only else "BEGIN")

    if busy_error:

        @event.listens_for(engine, "handle_error")
        def _on_error(context):
            if is_busy(context.original_exception):
                return DatabaseBusy(db_path)
            return None

    return engine


def is_busy(exc: BaseException | None) -> bool:
    """SQLite gave up waiting for another connection's lock (SQLITE_BUSY and its variants)."""
    return isinstance(exc, sqlite3.OperationalError) and (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY
