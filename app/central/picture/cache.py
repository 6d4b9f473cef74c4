"""The national picture's figures kept in the merged database (table picture_cache), so the first
view after a merge (or after the office's app restarts) reads them instead of computing.

    gen = generation_text(memo.generation(conn))
    values = read(conn, key(section, scope, lang, today), gen)      # None: compute them
    store(write_engine, gen, [(key, values)])                      # best effort

A row is valid for the database's generation it was computed on (memo.generation: the files
merged and the newest merge; every merge changes it) and for this Koordi's version and storage
format (a newer Koordi may compute a figure differently). The key names the page, the language
and the scope's query string, and the day for the sections counted on a day.

Reading and writing never break a page: the office's pages otherwise only read, so a failed
read is a miss and a failed write is logged and forgotten. A page's write waits at most
PAGE_WAIT_MS for a merge that holds the database, instead of the merge's 30 s.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlencode

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from app.central.picture import stored
from app.central.picture.scope import Scope
from app.central.picture.sections import DAY_BOUND
from app.central.schema import BUSY_TIMEOUT_MS, picture_cache
from app.version import __version__

log = logging.getLogger(__name__)
FORMAT = 1  # raised when what `stored` writes changes shape
PAGE_WAIT_MS = 250
T = TypeVar("T")


def generation_text(gen: tuple[Any, ...]) -> str:
    count, newest = gen
    return f"{FORMAT}/{__version__}/{count}/{newest.isoformat() if newest else ''}"


def key(section: str, scope: Scope, lang: str, today: dt.date) -> str:
    day = f"|{today.isoformat()}" if section in DAY_BOUND else ""
    return f"{section}|{lang}|{urlencode(sorted(scope.args().items()))}{day}"


def read(conn: Connection, cache_key: str, generation: str) -> Any | None:
    """The stored values, or None when none are stored for this generation (or unreadable)."""
    try:
        stmt = select(picture_cache.c.figures).where(picture_cache.c.key == cache_key, picture_cache.c.generation == generation)
        text = _guarded(conn, lambda c: c.execute(stmt).scalar())
        return None if text is None else stored.load(text)
    except Exception:  # a database without the table (read-only, older), a damaged row: compute
        log.warning("the national picture's stored figures could not be read; computing them", exc_info=True)
        return None


def stored_keys(conn: Connection, generation: str) -> set[str]:
    """The keys stored for `generation` (none when the table cannot be read)."""
    stmt = select(picture_cache.c.key).where(picture_cache.c.generation == generation)
    try:
        return set(_guarded(conn, lambda c: c.execute(stmt).scalars().all()))
    except Exception:
        return set()


def _guarded(conn: Connection, run: Callable[[Connection], T]) -> T:
    """run(conn) on the page's own connection (SQLite's read-only engine has one a thread), its
    failure not ending the page's transaction: PostgreSQL aborts a transaction at a failed
    statement, so there it runs in a savepoint; SQLite's transaction goes on."""
    if conn.dialect.name == "postgresql":
        with conn.begin_nested():
            return run(conn)
    return run(conn)


def store(
    engine: Engine, generation: str, entries: Iterable[tuple[str, Any]], *, wait: bool = False, purge: bool = False
) -> bool:
    """Write `entries` (key, values) for `generation`; `purge`: drop every other generation's rows
    (the end of a merge: they are stale). `wait`: wait for other writers as a merge does; a page
    does not. False when nothing was written (logged)."""
    try:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        rows = [{"key": k, "generation": generation, "figures": stored.dump(values), "computed_at": now} for k, values in entries]
        with engine.connect() as conn:
            lite = conn.dialect.name == "sqlite"
            if lite and not wait:
                _sqlite_busy(conn, PAGE_WAIT_MS)
            try:
                with conn.begin():
                    if not lite and not wait:
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{PAGE_WAIT_MS}ms'")
                    if purge:
                        conn.execute(delete(picture_cache).where(picture_cache.c.generation != generation))
                    if rows:
                        conn.execute(_upsert(conn.dialect.name), rows)
            finally:
                if lite and not wait:
                    _sqlite_busy(conn, BUSY_TIMEOUT_MS)
        return True
    except Exception:  # best effort: the page has its figures; the next view computes them again
        log.warning("the national picture's figures could not be stored", exc_info=True)
        return False


def _sqlite_busy(conn: Connection, ms: int) -> None:
    # On the driver's connection: through SQLAlchemy the PRAGMA would begin the engine's
    # BEGIN IMMEDIATE transaction, which is the wait this avoids.
    driver = conn.connection.driver_connection
    if driver is not None:
        driver.execute(f"PRAGMA busy_timeout={int(ms)}")


def _upsert(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(picture_cache)
    return stmt.on_conflict_do_update(
        index_elements=[picture_cache.c.key],
        set_={c: stmt.excluded[c] for c in ("generation", "figures", "computed_at")},
    )
