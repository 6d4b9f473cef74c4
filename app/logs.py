"""A rotating log file in the data dir, the one place errors are written.

A windowed PyInstaller build has no stdout or stderr, so the file is the only
record a coordinator can send to support. It holds errors with their context
(what was being done, where), never the text of notes: handlers log the
request's method and path, not its query or form, and the engine hides SQL
parameters.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.store.disk import PRIVATE_FILE, make_dir

LOG_NAME = "koordi.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def log_file(data_dir: Path) -> Path:
    return log_dir(data_dir) / LOG_NAME


class _LogFile(RotatingFileHandler):
    """The log file, best effort: a full disk or a read-only folder must neither stop Koordi nor
    print logging's own tracebacks on the terminal. A failed write is remembered, so no message
    sends the user to a log file that could not be written (see `written`)."""

    failed = False
    _koordi: bool  # set by configure(): the handler is Koordi's own

    def emit(self, record: logging.LogRecord) -> None:
        self.failed = False
        super().emit(record)  # calls handleError on any failure

    def handleError(self, record: logging.LogRecord) -> None:
        self.failed = True

    def _open(self):
        # Private to the user on POSIX, like the data it describes (app.store.disk).
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


def written() -> Path | None:
    """The log file, if the last record logged reached it; None when there is none or it could not be written."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _LogFile) and not handler.failed:
            return Path(handler.baseFilename)
    return None


def configure(data_dir: Path, level: int = logging.INFO) -> Path:
    """Idempotent: a second create_app on the same data dir keeps one handler. Never raises:
    a folder where the log cannot be made gets a handler that fails quietly (see _LogFile)."""
    path = log_file(data_dir)
    with contextlib.suppress(OSError):
        make_dir(path.parent)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_koordi", False):
            assert isinstance(handler, RotatingFileHandler)  # configure() marks only its own handlers
            if Path(handler.baseFilename) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    handler = _LogFile(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._koordi = True
    root.addHandler(handler)
    root.setLevel(level)
    # Waitress logs every queue hiccup at WARNING; keep them, but not its INFO chatter.
    logging.getLogger("waitress").setLevel(logging.WARNING)
    if sys.stderr is None:  # windowed build: print() and tracebacks would raise
        sys.stderr = sys.stdout = open(os.devnull, "w", encoding="utf-8")
    return path
