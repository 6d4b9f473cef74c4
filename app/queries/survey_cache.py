"""A memo of survey rounds' answers and scores (and other costly figures), valid until the database next changes.

Scoring a round (app.core.scoring) costs about a millisecond, and reading its counts more: a
county's thousands of rounds cannot be read and scored on every page. A round's answers and
scores change only when something is written. This process's writes go through its engine: the
memo keeps them per engine under a generation number that any statement writing to the survey
tables (or to what a round's figures are read beside: deployments, units, methods, the settings)
moves on; an entry of an older generation is never used. Other programs write the same file too
(`koordi export` records a send, `koordi survey` ... run beside an open Koordi, attached to its
data): SQLite's PRAGMA data_version, asked once per transaction that uses a memo, tells a
connection that another one has committed since it last looked, and the memos move on then too.

Two memos per engine, the same mechanism: the survey one (WATCHED tables: a guidance session
saved keeps the rounds' scores), and `whole=True`'s, which any write moves on (the dashboard's
figures, read from every table).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

# Tables whose writes make the memo stale (SQL text, lower case).
WATCHED = ("survey_", "instrument", "deployment", "units", "methods", "settings", "indicators", "monthly_figures", "goals")
T = TypeVar("T")
READS = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
MAX_ENTRIES = 20_000  # rounds kept; past this the memo starts again (a bench county has ~2 300)


class Memo:
    def __init__(self, watched: tuple[str, ...] | None = WATCHED) -> None:
        self.watched = watched  # None: every table
        self.dirty = f"memo_dirty_{id(self)}"  # this memo's mark in a connection's info
        self.generation = 0
        self.entries: dict[Any, tuple[int, Any]] = {}
        self.lock = threading.Lock()

    def after_execute(self, conn, _cursor, statement: str, *_args) -> None:
        head = statement.lstrip()[:9].upper()
        if head.startswith(READS):
            return
        if self.watched is not None:
            text = statement.lower()
            if not any(name in text for name in self.watched):
                return
        conn.info[self.dirty] = True
        self.move_on()

    def after_commit(self, conn) -> None:
        # Again at the commit: a page that read while the write was not yet committed read the
        # old rows, and must not keep them under the write's generation.
        if conn.info.pop(self.dirty, False):
            self.move_on()

    def move_on(self) -> None:
        with self.lock:
            self.generation += 1
            self.entries.clear()

    def get(self, key: Any) -> Any:
        found = self.entries.get(key)
        return found[1] if found is not None and found[0] == self.generation else None

    def kept(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()`'s value, kept under `key` until the data next changes."""
        generation = self.generation  # before the reads: a write during them makes the value stale
        found = self.get(key)
        if found is None:
            found = compute()
            self.put(key, found, generation)
        return found

    def put(self, key: Any, value: Any, generation: int) -> None:
        """Keep `value`, computed from what was read at `generation` (ignored if that has passed)."""
        with self.lock:
            if generation != self.generation:
                return
            if len(self.entries) >= MAX_ENTRIES:
                self.entries.clear()
            self.entries[key] = (generation, value)


_MEMOS: WeakKeyDictionary[Engine, tuple[Memo, Memo]] = WeakKeyDictionary()  # (surveys, whole)
_SETUP = threading.Lock()


def memo(s: Session, *, whole: bool = False) -> Memo:
    """The memo of the session's engine (made, and listening, on first use): the survey tables'
    one, or with `whole` the one that any write moves on. Both have seen other programs' writes."""
    engine: Any = s.get_bind()
    while getattr(engine, "_proxied", None) is not None:  # the write sessions' engine is an option view
        engine = engine._proxied  # of the one engine; its events are the parent's
    found = _MEMOS.get(engine)
    if found is None:
        with _SETUP:
            found = _MEMOS.get(engine)
            if found is None:
                found = (Memo(), Memo(watched=None))
                for m in found:
                    event.listen(engine, "after_cursor_execute", m.after_execute)
                    event.listen(engine, "commit", m.after_commit)
                _MEMOS[engine] = found
    _other_writes(s, found)
    return found[1] if whole else found[0]


def _other_writes(s: Session, memos: tuple[Memo, ...]) -> None:
    """Move the memos on when another connection (another program's, or another of this pool's)
    has committed since this one last asked. Once per transaction: SQLite's data_version is
    read in the transaction's own snapshot, the one its reads see."""
    transaction = s.get_transaction()
    if transaction is not None and s.info.get("memo_checked") is transaction:
        return
    conn = s.connection()  # begins the transaction when none had begun
    s.info["memo_checked"] = s.get_transaction()
    version = conn.exec_driver_sql("PRAGMA data_version").scalar()
    if conn.info.get("data_version") != version:  # a connection new to the pool: not yet known
        conn.info["data_version"] = version
        for m in memos:
            m.move_on()
