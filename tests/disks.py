"""A small disk of its own for tests of a full disk and a read-only folder (issue 11, item 8).

As root (this machine, CI) the disk is real: a tmpfs of a few megabytes, filled with a file to
make it full and remounted read-only to make it read-only, so SQLite and the OS fail as they
would on a laptop. Without root a plain temporary folder stands in: read-only is chmod 0555
(which stops a user that is not root), and full is ENOSPC raised where Koordi writes (its
write probe, the backup copy, the writer of the user's files). The tests run either way.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


class Disk:
    def __init__(self, root: Path):
        self.root = root
        self.patch = pytest.MonkeyPatch()  # the simulated full disk's, undone by free()
        root.mkdir()
        # KOORDI_TEST_DISK=simulated tries the fallback as root (its full-disk tests; chmod stops no root).
        self.real = (
            os.environ.get("KOORDI_TEST_DISK") != "simulated"
            and os.geteuid() == 0
            and _run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", str(root))
        )
        self.filler = 0
        self.read_only_folders: list[Path] = []

    # -- full ------------------------------------------------------------------------------------
    def fill(self, leave_kb: int = 0) -> None:
        """No room left, but leave_kb kilobytes: room for small writes (Koordi's write probe),
        not for a backup's copy."""
        if self.real:
            vfs = os.statvfs(self.root)
            todo = max(0, vfs.f_bavail * vfs.f_frsize - leave_kb * 1024)
            self.filler += 1
            with open(self.root / f"filler{self.filler}", "wb") as fh:
                with contextlib.suppress(OSError):  # ENOSPC: full
                    while todo > 0:
                        todo -= fh.write(b"\0" * min(todo, 65536))
                    fh.write(b"\0" * (65536 if not leave_kb else 0))  # leave_kb=0: to the last block
                    fh.flush()
            return
        _simulate_full(self.patch, small_writes_fit=leave_kb > 0)

    def free(self) -> None:
        if self.real:
            for filler in self.root.glob("filler*"):
                filler.unlink()
        else:
            self.patch.undo()

    # -- read-only -------------------------------------------------------------------------------
    def make_read_only(self) -> None:
        if self.real:
            assert _run("mount", "-o", "remount,ro", str(self.root)), "remount read-only"
            return
        for folder in [self.root, *[p for p in self.root.rglob("*") if p.is_dir()]]:
            folder.chmod(0o555)
            self.read_only_folders.append(folder)

    def close(self) -> None:
        self.patch.undo()
        # Handlers and connections of this process must let go of the disk before it is unmounted.
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_koordi", False) and Path(handler.baseFilename).is_relative_to(self.root):
                root.removeHandler(handler)
                handler.close()
        if self.real:
            if not _run("umount", str(self.root)):
                _run("umount", "-l", str(self.root))  # something still open: detach now, free when closed
        for folder in self.read_only_folders:
            with contextlib.suppress(OSError):
                folder.chmod(0o755)


@pytest.fixture
def disk(tmp_path: Path):
    d = Disk(tmp_path / "disk")
    try:
        yield d
    finally:
        d.close()


# -- ENOSPC without root ----------------------------------------------------------------------------


def _enospc() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _OsWithoutRoom:
    """The os module for one of Koordi's modules, with writes failing as on a full disk."""

    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def write(fd, data):
        raise _enospc()

    @staticmethod
    def fdopen(fd, *args, **kwargs):
        fh = os.fdopen(fd, *args, **kwargs)

        class Half:
            def write(self, data):
                fh.write(data[: len(data) // 2])  # a partial file, as a real full disk leaves
                fh.flush()
                raise _enospc()

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                fh.close()

        return Half()


class _SqliteWithoutRoom:
    """The sqlite3 module for app.store.files: a backup copies one page, then the disk is full."""

    def __getattr__(self, name):
        return getattr(sqlite3, name)

    @staticmethod
    def connect(*args, **kwargs):
        conn = sqlite3.connect(*args, **kwargs)

        class Conn:
            real = conn

            def __getattr__(self, name):
                return getattr(conn, name)

            def backup(self, target, **_kw):
                conn.backup(getattr(target, "real", target), pages=1)
                error = sqlite3.OperationalError("database or disk is full")
                error.sqlite_errorcode = 13  # SQLITE_FULL
                raise error

        return Conn()


def _simulate_full(monkeypatch: pytest.MonkeyPatch, small_writes_fit: bool) -> None:
    import app.diskio
    import app.store.disk
    import app.store.files

    if not small_writes_fit:  # Koordi's write probe finds no room either
        monkeypatch.setattr(app.store.disk, "os", _OsWithoutRoom())
    monkeypatch.setattr(app.diskio, "os", _OsWithoutRoom())
    monkeypatch.setattr(app.store.files, "sqlite3", _SqliteWithoutRoom())
