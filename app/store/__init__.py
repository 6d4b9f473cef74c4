"""Database safety in one place (Anki's model): open, check, back up, upgrade, restore.

Opening a data directory:
1. an existing file is looked at read-only first: quick_check, and its schema
   revision; a newer schema than this app knows is refused before anything is
   written; a damaged file is refused with the newest good backup named;
2. a backup is taken before any upgrade, and at start when data changed since
   the newest backup;
3. Alembic brings the schema to head.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from app.store.errors import (
    BadBackup,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseTooNew,
    DiskFull,
    FolderNotWritable,
    StoreError,
)
from app.store.files import EarlyInspection

if TYPE_CHECKING:
    from app.store.database import Store, restore_file, write

DB_NAME = "koordi.sqlite3"
CHANGED_KEY = "data_changed_at"

__all__ = [
    "EarlyInspection",
    "Store",
    "StoreError",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DatabaseTooNew",
    "BadBackup",
    "DiskFull",
    "FolderNotWritable",
    "restore_file",
    "write",
]

# Loaded when first asked for (PEP 562): the Store needs SQLAlchemy's ORM and every model, about
# 0.2 s of imports, while the errors, the lock and the early file check need neither. The desktop
# window imports only those before it opens, and makes the app, and these, on a thread of its own
# meanwhile (app.desktop_start).
_IN_DATABASE = frozenset({"Store", "write", "restore_file"})


def __getattr__(name: str):
    if name not in _IN_DATABASE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("app.store.database"), name)
    globals()[name] = value
    return value
