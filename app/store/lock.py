"""One Koordi per data directory: an OS file lock plus a note of where it is served.

The OS releases the lock when the process dies, so a crash never leaves a stale
lock behind. The note (instance.json) lets a second launch tell the user where
the running one is, and ask it to bring its window to the front.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import BinaryIO

from app.store.disk import problem

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

LOCK_NAME = "koordi.lock"
INFO_NAME = "instance.json"


class InstanceLock:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.path = data_dir / LOCK_NAME
        self._fh: BinaryIO | None = None

    def acquire(self) -> bool:
        """True once held; False when another Koordi holds it. A folder where the lock file
        cannot be made (read-only, full) raises FolderNotWritable / DiskFull."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as exc:
            worded = problem(exc, self.data_dir)
            if worded is None:
                raise
            raise worded from exc
        fh = os.fdopen(fd, "r+b")
        try:
            if sys.platform == "win32":
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        self._fh = fh
        return True

    def publish(self, url: str, token: str, window: bool) -> None:
        info = {"pid": os.getpid(), "url": url, "token": token, "window": window}
        path = self.data_dir / INFO_NAME
        # The token is as private as the database beside it: owner-only where the OS has modes.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(info, fh)

    def release(self) -> None:
        if self._fh is None:
            return
        (self.data_dir / INFO_NAME).unlink(missing_ok=True)
        try:
            if sys.platform == "win32":
                self._fh.seek(0)
                msvcrt.locking(self._fh.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        finally:
            self._fh.close()
            self._fh = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def running_instance(data_dir: Path) -> dict | None:
    """What the running instance published, if any."""
    try:
        return json.loads((data_dir / INFO_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
