"""Uploaded files waiting for their import: between the preview and "Import" or "Cancel".

An upload is kept in <data>/imports/ under a random ref (never a name or path from the
request) and deleted once it is imported or cancelled. Only one waits at a time: a new
upload, and every start of Koordi, clears the folder. An import first claims its file
by renaming it, which only one request can do: the same file is never applied twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO, NamedTuple

from app.store.disk import PRIVATE_FILE, make_dir

FOLDER = "imports"
WAITING, CLAIMED, INFO = ".zip", ".claimed", ".json"
REF = re.compile(r"^[A-Za-z0-9_-]{22}$")  # secrets.token_urlsafe(16)
CHUNK = 1024 * 1024

EMPTY = "empty"
NOT_ZIP = "not_zip"


class Upload(NamedTuple):
    """A file the user uploaded, waiting under its random ref for "Import" or "Cancel"."""

    ref: str
    path: Path
    name: str  # the file name the user picked, for display and the sync history


def folder(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def clear(data_dir: Path) -> None:
    """Remove every waiting or half-done upload (at start, and before a new upload)."""
    where = folder(data_dir)
    if where.is_dir():
        shutil.rmtree(where, ignore_errors=True)


def _shown(name: str) -> str:
    # Only the last part of what the browser sent (some send a whole Windows path), printable and short.
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    clean = "".join(ch if ch.isprintable() else "?" for ch in base).strip()
    return clean[:200] or "koordi.zip"


def stage(data_dir: Path, stream: BinaryIO, name: str) -> tuple[Upload | None, str | None]:
    """Keep an uploaded file for its preview: (the upload, None) or (None, EMPTY | NOT_ZIP)."""
    clear(data_dir)
    where = folder(data_dir)
    make_dir(where)
    ref = secrets.token_urlsafe(16)
    path = where / (ref + WAITING)
    partial = path.with_name(path.name + ".part")
    size = 0
    # Private to the user (app.store.disk): the upload is an export, the data itself.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
    with os.fdopen(fd, "wb") as out:
        while chunk := stream.read(CHUNK):
            out.write(chunk)
            size += len(chunk)
    problem = EMPTY if size == 0 else None if zipfile.is_zipfile(partial) else NOT_ZIP
    if problem:
        partial.unlink(missing_ok=True)
        return None, problem
    partial.replace(path)
    shown = _shown(name)
    (where / (ref + INFO)).write_text(json.dumps({"name": shown}), encoding="utf-8")
    return Upload(ref, path, shown), None


def _name(where: Path, ref: str) -> str:
    try:
        return json.loads((where / (ref + INFO)).read_text(encoding="utf-8"))["name"]
    except (OSError, ValueError, KeyError, TypeError):
        return "koordi.zip"


def waiting(data_dir: Path, ref: str) -> Upload | None:
    """The upload waiting under `ref`, or None (unknown, imported, cancelled, or from an earlier start)."""
    if not REF.match(ref):
        return None
    where = folder(data_dir)
    path = where / (ref + WAITING)
    return Upload(ref, path, _name(where, ref)) if path.is_file() else None


def claim(data_dir: Path, ref: str) -> Upload | None:
    """Take the waiting upload for importing; None when another request already took it (or it is gone)."""
    upload = waiting(data_dir, ref)
    if upload is None:
        return None
    claimed = upload.path.with_suffix(CLAIMED)
    try:
        upload.path.rename(claimed)  # atomic: of two clicks on "Import", one wins
    except OSError:
        return None
    return Upload(ref, claimed, upload.name)


def release(upload: Upload) -> None:
    """Put a claimed upload back to waiting (the import was refused: the preview shows why)."""
    with contextlib.suppress(OSError):
        upload.path.rename(upload.path.with_suffix(WAITING))


def discard(data_dir: Path, ref: str) -> None:
    if not REF.match(ref):
        return
    where = folder(data_dir)
    for suffix in (WAITING, CLAIMED, INFO):
        with contextlib.suppress(OSError):
            (where / (ref + suffix)).unlink(missing_ok=True)
