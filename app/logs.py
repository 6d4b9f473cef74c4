"""A rotating log file in the data dir, the one place errors are written.

A windowed PyInstaller build has no stdout or stderr, so the file is the only
record a coordinator can send to support. It holds errors with their context
(what was being done, where), never the text of notes: handlers log the
request's method and path, not its query or form, and the engine hides SQL
parameters.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_NAME = "koordi.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def log_file(data_dir: Path) -> Path:
    return log_dir(data_dir) / LOG_NAME


def configure(data_dir: Path, level: int = logging.INFO) -> Path:
    """Idempotent: a second create_app on the same data dir keeps one handler."""
    path = log_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_koordi", False):
            if Path(handler.baseFilename) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._koordi = True
    root.addHandler(handler)
    root.setLevel(level)
    # Waitress logs every queue hiccup at WARNING; keep them, but not its INFO chatter.
    logging.getLogger("waitress").setLevel(logging.WARNING)
    if sys.stderr is None:  # windowed build: print() and tracebacks would raise
        import os

        sys.stderr = sys.stdout = open(os.devnull, "w", encoding="utf-8")
    return path
