"""A memo of survey rounds' answers and scores, valid until the database next changes.

Scoring a round (app.core.scoring) costs about a millisecond, and reading its counts more: a
county's thousands of rounds cannot be read and scored on every page. A round's answers and
scores change only when something is written, and every write of this process goes through its
engine (the single-instance lock keeps other writers out; `koordi report`/`results` only read).
So the memo keeps them per engine under a generation number that any statement writing to the
survey tables (or to what a round's figures are read beside: deployments, units, methods, the
settings) moves on; an entry of an older generation is never used.
"""

from __future__ import annotations

import threading
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

# Tables whose writes make the memo stale (SQL text, lower case).
WATCHED = ("survey_", "instrument", "deployment", "units", "methods", "settings", "indicators", "monthly_figures", "goals")
READS = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
MAX_ENTRIES = 20_000  # rounds kept; past this the memo starts again (a bench county has ~2 300)


class Memo:
    def __init__(self) -> None:
        self.generation = 0
        self.entries: dict[Any, tuple[int, Any]] = {}
        self.lock = threading.Lock()

    def after_execute(self, conn, _cursor, statement: str, *_args) -> None:
        head = statement.lstrip()[:9].upper()
        if head.startswith(READS):
            return
        text = statement.lower()
        if any(name in text for name in WATCHED):
            conn.info["survey_memo_dirty"] = True
            self.move_on()

    def after_commit(self, conn) -> None:
        # Again at the commit: a page that read while the write was not yet committed read the
        # old rows, and must not keep them under the write's generation.
        if conn.info.pop("survey_memo_dirty", False):
            self.move_on()

    def move_on(self) -> None:
        with self.lock:
            self.generation += 1
            self.entries.clear()

    def get(self, key: Any) -> Any:
        found = self.entries.get(key)
        return found[1] if found is not None and found[0] == self.generation else None

    def put(self, key: Any, value: Any, generation: int) -> None:
        """Keep `value`, computed from what was read at `generation` (ignored if that has passed)."""
        with self.lock:
            if generation != self.generation:
                return
            if len(self.entries) >= MAX_ENTRIES:
                self.entries.clear()
            self.entries[key] = (generation, value)


_MEMOS: WeakKeyDictionary[Engine, Memo] = WeakKeyDictionary()
_SETUP = threading.Lock()


def memo(s: Session) -> Memo:
    """The memo of the session's engine (made, and listening, on first use)."""
    engine: Any = s.get_bind()
    while getattr(engine, "_proxied", None) is not None:  # the write sessions' engine is an option view
        engine = engine._proxied  # of the one engine; its events are the parent's
    found = _MEMOS.get(engine)
    if found is None:
        with _SETUP:
            found = _MEMOS.get(engine)
            if found is None:
                found = Memo()
                event.listen(engine, "after_cursor_execute", found.after_execute)
                event.listen(engine, "commit", found.after_commit)
                _MEMOS[engine] = found
    return found
