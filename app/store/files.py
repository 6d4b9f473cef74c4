"""Looking at a SQLite file without changing it: integrity and schema revision."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileState:
    ok: bool
    detail: str  # "ok" or what quick_check (or opening) said
    revision: str | None  # Alembic revision, None for an empty database


def inspect_file(path: Path, *, full: bool = False) -> FileState:
    """quick_check (or integrity_check) and the schema revision, read-only."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return FileState(False, str(exc), None)
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
        if rows != ["ok"]:
            return FileState(False, "; ".join(rows[:3]), None)
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        revision = None
        if has_version:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return FileState(True, "ok", revision)
    except sqlite3.Error as exc:
        return FileState(False, str(exc), None)
    finally:
        conn.close()


def copy_database(source: Path, dest: Path) -> None:
    """Copy with SQLite's online backup API: consistent even while the app writes."""
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            # A self-contained file: no -wal beside it to lose when it is copied.
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()
    tmp.replace(dest)
