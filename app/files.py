"""Hand a file to the coordinator: every PDF, export, calendar file and email draft.

Inside the desktop window, browser downloads are unreliable (pywebview turns them
off; WebView2 neither saves a previewed PDF nor prints it reliably). So there the
app writes the file itself, to a folder picked in the native save dialog or to
the remembered folder (Documents/Koordi), then opens it with the default
application (the PDF viewer prints) or shows it in its folder. In a browser
(`koordi serve`) the same action is an ordinary download.

Only this module and desktop.py know which of the two is happening: a feature
calls deliver() and returns what it gives.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
from io import BytesIO
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, request, send_file
from flask_babel import gettext as _

from app.paths import documents_dir
from app.web.layout import safe_next

log = logging.getLogger(__name__)
bp = Blueprint("files", __name__)


def default_folder() -> Path:
    return documents_dir()


class OsShell:
    """Opening and revealing files with the operating system's own tools.

    The desktop window subclasses this and adds the native save dialog.
    """

    def ask_save_path(self, folder: Path, filename: str) -> Path | None:
        return None  # no dialog without a window: callers use the folder instead

    def open_path(self, path: Path) -> None:
        if sys.platform == "win32":
            os.startfile(path)  # noqa: S606 - the file the user just saved
        elif sys.platform == "darwin":
            subprocess.Popen(["open", str(path)])
        else:
            subprocess.Popen(["xdg-open", str(path)])

    def reveal(self, path: Path) -> None:
        if sys.platform == "win32":
            subprocess.Popen(["explorer", "/select,", str(path)])
        elif sys.platform == "darwin":
            subprocess.Popen(["open", "-R", str(path)])
        else:
            subprocess.Popen(["xdg-open", str(path.parent)])


def free_name(path: Path) -> Path:
    """report.pdf, report (2).pdf, ...: never overwrite a file the user kept."""
    if not path.exists():
        return path
    n = 2
    while (candidate := path.with_name(f"{path.stem} ({n}){path.suffix}")).exists():
        n += 1
    return candidate


def write_file(target: Path, data: bytes) -> None:
    """Write beside the target, then rename: a half-written file is never left behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_bytes(data)
    os.replace(part, target)


def _saved_files() -> dict[str, Path]:
    return current_app.extensions.setdefault("koordi.saved_files", {})


def deliver(data: bytes, filename: str, mimetype: str, *, back: str, open_after: bool = True):
    """The response that gets `data` to the user as `filename`. `back` is where the window returns."""
    shell: OsShell | None = current_app.config.get("SHELL")
    if shell is None:
        return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)

    from app.settings import ops  # where the remembered folder is kept
    from app.web.db import session

    s = session()
    folder = Path(ops.get_setting(s, ops.SAVE_FOLDER_KEY) or default_folder())
    if ops.get_setting(s, ops.SAVE_MODE_KEY, "ask") == "ask":
        target = shell.ask_save_path(folder, filename)
        if target is None:
            flash(_("The file was not saved."), "info")
            return redirect(back)
        target = Path(target)
    else:
        target = free_name(folder / filename)
    try:
        write_file(target, data)
    except OSError as exc:
        log.warning("could not save a file to %s: %s", target.parent, exc.strerror)
        flash(_("Could not save the file in %(folder)s: %(reason)s", folder=str(target.parent), reason=exc.strerror), "error")
        return redirect(back)
    ops.save_settings(s, {ops.SAVE_FOLDER_KEY: str(target.parent)})
    ref = secrets.token_urlsafe(8)
    _saved_files()[ref] = target
    flash(_("Saved as %(path)s", path=str(target)), f"file:{ref}")
    if open_after:
        try:
            shell.open_path(target)
        except OSError as exc:
            log.warning("could not open %s: %s", target.suffix, exc)
            try:
                shell.reveal(target)
            except OSError as exc:  # no file manager either: the message names the file
                log.warning("could not show %s in its folder: %s", target.suffix, exc)
    return redirect(back)


@bp.post("/files/<ref>/reveal")
def reveal(ref: str):
    path = _saved_files().get(ref)  # only files this launch saved: never a path from the request
    shell: OsShell | None = current_app.config.get("SHELL")
    if path is None or shell is None:
        abort(404)
    try:
        shell.reveal(path)
    except OSError as exc:
        log.warning("could not show %s in its folder: %s", path.suffix, exc)
        flash(_("Could not open the folder %(folder)s: %(reason)s", folder=str(path.parent), reason=exc.strerror or exc), "error")
    return redirect(safe_next(request.form.get("next")))
