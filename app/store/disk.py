"""The disk under Koordi's data: private modes, and the words for a full disk or a folder
Koordi cannot write in. (Files for the user are written by app.diskio, privately too.)

Private: on POSIX every file Koordi creates is 0600 and every folder 0700 (the data is about
named professionals; a shared Linux machine must not let other users read it). On Windows
modes mean nothing: the per-user data folder (%LOCALAPPDATA%\\Koordi) inherits the profile's
ACL, which grants only the user (and SYSTEM and Administrators), and every file created in it
inherits that ACL; files the user saves elsewhere get the ACL of the folder they chose.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import secrets
import sqlite3
from pathlib import Path

from app.store.errors import DiskFull, FolderNotWritable, StoreError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
POSIX = os.name == "posix"

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_FULL, _SQLITE_READONLY = 13, 8


def make_dir(path: Path) -> None:
    """A folder of Koordi's own (backups, logs), created private with any missing parents;
    an existing one is left as it is."""
    missing = list(itertools.takewhile(lambda p: not p.exists(), (path, *path.parents)))
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)


def make_private(path: Path) -> None:
    """Take group and other access away from a file Koordi made (one made by an older version)."""
    if not POSIX:
        return
    with contextlib.suppress(OSError):  # a file of another owner, or gone: nothing to tighten
        if path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FILE)


def create_private(path: Path) -> None:
    """An empty file readable by its user only, for SQLite to fill: SQLite gives the -wal,
    -shm and journal files it makes beside a database the database file's own mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
    os.close(fd)


def problem(exc: BaseException | None, path: Path) -> StoreError | None:
    """DiskFull or FolderNotWritable when exc (an OSError, an sqlite3 error or SQLAlchemy's wrapper
    of one) means the disk is full or the folder may not be written; None for anything else."""
    exc = getattr(exc, "orig", None) or exc  # sqlalchemy.exc.DBAPIError carries the sqlite3 error
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return DiskFull(path)
        if exc.errno in _READ_ONLY_ERRNOS:
            return FolderNotWritable(path)
        return None
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code == _SQLITE_FULL:
            return DiskFull(path)
        if code == _SQLITE_READONLY:
            return FolderNotWritable(path)
    return None


def folder_problem(folder: Path) -> StoreError | None:
    """Whether Koordi can write in folder: a page-sized file is written, synced and removed.

    A folder may be readable and still refuse writes (a read-only mount, a folder of another
    user, a full disk): SQLite then fails with words about the database ("unable to open
    database file", "disk I/O error") that would blame the data. This asks the folder itself.
    """
    probe = folder / f".koordi-write-test-{secrets.token_hex(4)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
        try:
            os.write(fd, b"\0" * 4096)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        return problem(exc, folder) or FolderNotWritable(folder)
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    return None
