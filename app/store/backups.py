"""Backups in <data dir>/backups: taking, listing, rotating, choosing one to restore."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import time
from pathlib import Path
from typing import NamedTuple

from app.core.rotation import backups_to_keep
from app.store.disk import make_dir, problem
from app.store.files import copy_database, inspect_file

log = logging.getLogger(__name__)

REASONS = ("start", "pre-upgrade", "pre-restore", "pre-import", "manual")
NAME = re.compile(r"^koordi-(\d{8}T\d{6}(?:\d{6})?Z)-([a-z-]+)\.sqlite3$")


class Backup(NamedTuple):
    """A backup file in <data dir>/backups, with the moment and the reason it was taken."""

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
    stamp = m.group(1)  # YYYYMMDDTHHMMSS[ffffff]Z
    # Read by hand, not with strptime: listed at every start, whose first strptime imports and
    # compiles its pattern machinery (~1 ms; issue 17).
    try:
        day = dt.date(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]))
        clock = dt.time(int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15]), int(stamp[15:-1] or 0), tzinfo=dt.UTC)
        taken = dt.datetime.combine(day, clock)
    except ValueError:  # a name of the right shape with no such moment (month 13): not a backup
        return None
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
    now = now or dt.datetime.now(dt.UTC)
    try:
        make_dir(backups_dir)
    except OSError as exc:
        worded = problem(exc, backups_dir)
        if worded is None:
            raise
        raise worded from exc
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


# A .part older than this is stale whoever wrote it (its writer's pid may be another program's by now).
STALE_AFTER = 5 * 60  # seconds
_WRITER = re.compile(r"\.(\d+)\.part$")  # copy_database names its file <dest>.<pid>.part


def remove_stale_parts(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the .part files of backups and restores that were interrupted (a kill, a crash, a
    power cut): each can be as large as the database, and nothing else ever removes them.

    A file is kept while the process that writes it is alive (`koordi backup` runs beside the
    app) and it is younger than STALE_AFTER. On Windows a file that is open elsewhere cannot be
    deleted at all: that failure is expected, and the file is tried again at the next start.
    """
    now = time.time() if now is None else now
    removed = []
    for part in sorted(folder.glob("*.part")) if folder.is_dir() else []:
        try:
            if now - part.stat().st_mtime < STALE_AFTER and _writer_alive(part):
                continue
            part.unlink()
            part.with_name(part.name + "-journal").unlink(missing_ok=True)  # the copy's own, if it had begun one
            removed.append(part)
        except OSError as exc:
            log.warning("could not remove %s: %s", part.name, exc)
    if removed:
        log.info("removed %s unfinished backup files in %s", len(removed), folder.name)
    return removed


def _writer_alive(part: Path) -> bool:
    m = _WRITER.search(part.name)
    if m is None:
        return False  # named by an older Koordi: none of them is writing any more
    pid = int(m.group(1))
    if pid == os.getpid():
        return True  # this process's own backup, in another thread
    if os.name == "nt":
        # os.kill(pid, 0) would end the process on Windows. No check is needed: deleting a file
        # its writer holds open fails there, and the failure is ignored.
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True
