"""The national picture's figures, kept until the merged database changes.

The office's pages only read; the database changes only when files are merged (and every merge
writes its merged_files row: a new file, or a new merged_at for a file merged again). So a
page's figures for one scope are the same until then: they are computed once, kept here
(an app-wide LRU of MAX_ENTRIES, safe across waitress's threads) under the database's
generation, and the next merge makes every kept entry stale. A generation is one cheap query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from app.central.schema import merged_files

MAX_ENTRIES = 96
T = TypeVar("T")


def generation(conn: Connection) -> tuple[Any, ...]:
    """What changes whenever a merge wrote anything: the files merged and the newest merge."""
    return tuple(conn.execute(select(func.count(), func.max(merged_files.c.merged_at))).one())


class Memo:
    def __init__(self, size: int = MAX_ENTRIES):
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
        value = make()  # outside the lock: two threads may both compute a new key; both get the same figures
        with self._lock:
            self.misses += 1
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
