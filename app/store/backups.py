"""Backups in <data dir>/backups: taking, listing, rotating, choosing one to restore."""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from app.core.rotation import backups_to_keep
from app.store.disk import make_dir
from app.store.files import copy_database, inspect_file

log = logging.getLogger(__name__)

REASONS = ("start", "pre-upgrade", "pre-restore", "pre-import", "manual")
NAME = re.compile(r"^koordi-(\d{8}T\d{6}(?:\d{6})?Z)-([a-z-]+)\.sqlite3$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime  # UTC
    reason: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def _parse(path: Path) -> Backup | None:
    m = NAME.match(path.name)
    if not m:
        return None
    stamp = m.group(1)
    fmt = "%Y%m%dT%H%M%S%fZ" if len(stamp) > 16 else "%Y%m%dT%H%M%SZ"
    taken = dt.datetime.strptime(stamp, fmt).replace(tzinfo=dt.timezone.utc)
    return Backup(path, taken, m.group(2))


def list_backups(backups_dir: Path) -> list[Backup]:
    """Newest first."""
    if not backups_dir.is_dir():
        return []
    found = [b for p in backups_dir.iterdir() if (b := _parse(p))]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def take_backup(db_path: Path, backups_dir: Path, reason: str, now: dt.datetime | None = None) -> Backup:
    if reason not in REASONS:
        raise ValueError(reason)
    now = now or dt.datetime.now(dt.timezone.utc)
    make_dir(backups_dir)
    # Microseconds keep two backups in one second (pre-import right after start) apart.
    dest = backups_dir / f"koordi-{now:%Y%m%dT%H%M%S%f}Z-{reason}.sqlite3"
    copy_database(db_path, dest)
    rotate(backups_dir)
    log.info("backup taken: %s (%s)", dest.name, reason)
    return Backup(dest, now, reason)


def rotate(backups_dir: Path) -> list[Path]:
    backups = list_backups(backups_dir)
    keep = backups_to_keep((b.taken_at, b.path) for b in backups)
    removed = []
    for b in backups:
        if b.path in keep:
            continue
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError as exc:
            # Windows refuses to delete a file someone has open (a coordinator
            # looking at it, an antivirus scan); next rotation will try again.
            log.warning("could not remove old backup %s: %s", b.path.name, exc)
    return removed


def newest_good_backup(backups_dir: Path) -> Path | None:
    for b in list_backups(backups_dir):
        if inspect_file(b.path).ok:
            return b.path
    return None


# A backup being written touches its .part file all the time (the backup API copies page after
# page), so one untouched for this long belongs to a process that is gone.
STALE_AFTER = 5 * 60  # seconds
# Right after the copy, the writer drops its lock for a moment before it renames the file.
JUST_WRITTEN = 10  # seconds


def remove_stale_parts(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the .part files of backups and restores that were interrupted (a kill, a crash, a
    full disk before Koordi cleaned up): each can be as large as the database.

    One is kept while a live process is writing it: younger than STALE_AFTER and either just
    written or locked by that process's SQLite connection (`koordi backup` runs beside the app).
    """
    now = time.time() if now is None else now
    removed = []
    for part in sorted(folder.glob("*.part")) if folder.is_dir() else []:
        try:
            age = now - part.stat().st_mtime
            if age < STALE_AFTER and (age < JUST_WRITTEN or _being_written(part)):
                continue
            part.unlink()
            part.with_name(part.name + "-journal").unlink(missing_ok=True)  # the copy's own, if it had begun one
            removed.append(part)
        except OSError as exc:
            # Windows cannot delete a file another process has open (the writer, an antivirus
            # scan): it is left for the next start.
            log.warning("could not remove %s: %s", part.name, exc)
    if removed:
        log.info("removed %s unfinished backup files in %s", len(removed), folder.name)
    return removed


def _being_written(part: Path) -> bool:
    """Whether another connection holds SQLite's write lock on the file (the backup API writes under it)."""
    try:
        conn = sqlite3.connect(f"{part.resolve().as_uri()}?mode=rw", uri=True, timeout=0)
    except sqlite3.Error:
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return False
    except sqlite3.OperationalError as exc:
        return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    except sqlite3.Error:
        return False  # not a database (cut off before its first page): nobody is writing it
    finally:
        conn.close()
