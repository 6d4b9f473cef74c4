"""Looking at a SQLite file without changing it: integrity and schema revision."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import NamedTuple

from app.store.disk import create_private, folder_problem, problem
from app.store.errors import FolderNotWritable, StoreError


class FileState(NamedTuple):
    """What a look at a database file found: whether it is sound, and its schema revision."""

    ok: bool
    detail: str  # "ok" or what quick_check (or opening) said
    revision: str | None  # Alembic revision, None for an empty database
    # Set when the folder, not the data, may be what failed: DiskFull (SQLite had no room for its
    # shared-memory file) or FolderNotWritable (the file was then read as immutable: `ok` is the
    # data's own state, but Koordi cannot start on it there). Callers say this, not "damaged".
    folder: StoreError | None = None


def _said(exc: Exception) -> str:
    """What SQLite said. Its message quotes the damaged bytes (a flipped byte in an index
    definition: 'near "CR\xc5ATE": syntax error'); when they are not UTF-8, Python's sqlite3
    raises UnicodeDecodeError in place of the error, and the message is that error's bytes."""
    if isinstance(exc, UnicodeDecodeError):
        return bytes(exc.object).decode("utf-8", "replace")
    return str(exc) or type(exc).__name__


def inspect_file(path: Path, *, full: bool = False) -> FileState:
    """quick_check (or integrity_check) and the schema revision, read-only.

    Never raises, whatever the file's bytes: damage is a FileState that is not ok, so every
    caller (start-up, `koordi check`, restore, the recovery page) can say so in a sentence.
    """
    state = _inspect(path, full, "mode=ro")
    if state.ok:
        return state
    trouble = folder_problem(path.parent)
    if isinstance(trouble, FolderNotWritable):
        # SQLite cannot make a WAL database's -shm file in a folder it may not write, so mode=ro
        # fails with words that blame the data ("unable to open database file"). Nothing can
        # change the file in such a folder, so it is read as immutable: the check is the data's.
        state = _inspect(path, full, "mode=ro&immutable=1")
    return FileState(state.ok, state.detail, state.revision, folder=trouble)


def has_data(path: Path) -> bool:
    """A database file with something in it (an empty one is made afresh, not checked)."""
    return path.exists() and path.stat().st_size > 0


class EarlyInspection:
    """The start's checks of the data folder, on a thread of their own while the caller goes on
    loading (issue 17): whether Koordi can write in the folder (disk.folder_problem: a page
    written and synced), then inspect_file().

    SQLite releases Python's lock while it reads, and the file system while it writes and syncs,
    so both run beside the imports and set-up that come before the store opens (~50 ms): the
    probe (1-2 ms here, more where a virus scanner looks at each new file), the whole check of a
    normal data folder (~9 ms), and ~45 ms of the 0.2 s that a 300 MB file's check takes.
    Nothing else touches the file until the thread has been joined, so a start that then
    gives up leaves no connection open (Windows could not replace the file).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._probed = False
        self._trouble: StoreError | None = None
        self._state: FileState | None = None
        self._thread: threading.Thread | None = None
        if has_data(path):
            self._thread = threading.Thread(target=self._run, name="koordi-quick-check", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        self._trouble = folder_problem(self.path.parent)  # never raises: a worded problem or None
        self._probed = True
        if self._trouble is None:  # a folder that refuses writes: the start stops there anyway
            self._state = inspect_file(self.path)  # never raises: damage is a state (see there)

    def _join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def folder_trouble(self) -> tuple[bool, StoreError | None]:
        """(whether the folder was probed, what the probe found): not probed when there was no
        file with data in it, or should the thread have failed (the caller then probes itself)."""
        self._join()
        return self._probed, self._trouble

    def result(self) -> FileState | None:
        """The file's state; None when there was no file with data in it when this started, when
        the folder refused writes, or should the thread have failed (the caller then checks the
        file itself)."""
        self._join()
        return self._state


def _inspect(path: Path, full: bool, options: str) -> FileState:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True)
    except (sqlite3.Error, ValueError, OSError) as exc:
        return FileState(False, _said(exc), None)
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
        if rows != ["ok"]:
            return FileState(False, "; ".join(rows[:3]), None)
        has_version = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        revision = None
        if has_version:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return FileState(True, "ok", revision)
    except Exception as exc:  # any failure to read the file is damage to report, not a crash
        return FileState(False, _said(exc), None)
    finally:
        conn.close()


def copy_database(source: Path, dest: Path) -> None:
    """Copy with SQLite's online backup API: consistent even while the app writes.

    Written as dest.<pid>.part (private to the user) and renamed. When the disk is full or the
    folder read-only, the partial file is removed and DiskFull / FolderNotWritable raised:
    a failed backup leaves nothing behind.
    """
    # The writer's pid in the name: a start can tell a copy in progress (`koordi backup` beside
    # the app) from one whose process was killed (app.store.backups.remove_stale_parts).
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.part")
    try:
        tmp.unlink(missing_ok=True)
        create_private(tmp)
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
    except (OSError, sqlite3.Error) as exc:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        worded = problem(exc, dest.parent)
        if worded is None:
            raise
        raise worded from exc
