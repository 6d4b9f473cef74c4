"""Files Koordi writes for the user (PDFs, exports, drafts): the one atomic writer, and free names.

Written beside the target and renamed into place, so a crash, a full disk or a kill never
leaves a half-written file under the real name; the partial file is removed on failure.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def free_name(path: Path) -> Path:
    """report.pdf, report (2).pdf, ...: never overwrite a file the user kept."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem} ({n}){path.suffix}")).exists():
        n += 1
    return candidate


def write_file(target: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write `data` to `target` atomically. With `exclusive`, refuse (FileExistsError) when the
    target exists rather than replace it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if exclusive and target.exists():
        raise FileExistsError(target)
    part = target.with_name(target.name + ".part")
    try:
        # Private to the user (0600 on POSIX; on Windows the folder's ACL: see app.store.disk).
        # O_EXCL: made here, so the mode is this one, not a leftover's.
        part.unlink(missing_ok=True)
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(part, target)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise
