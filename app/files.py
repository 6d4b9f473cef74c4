"""Hand a file to the coordinator: every PDF, export, calendar file and email draft.

Inside the desktop window, browser downloads are unreliable (pywebview turns them
off; WebView2 neither saves a previewed PDF nor prints it reliably). So there the
app writes the file itself, to a folder picked in the native save dialog or to
the remembered folder (Documents/Koordi), then opens it with the default
application (the PDF viewer prints) or shows it in its folder. In a browser
(`koordi serve`) the same action is an ordinary download.

An email draft travels with the file it carries (deliver_draft): in the window both
are saved side by side, the draft opens in the mail client and the file is shown in
its folder as well, in case no mail client takes the draft; in a browser the feature's
page offers both as downloads, each once, from memory (never a path from a request).

Only this module and desktop.py know which of the two is happening: a feature
calls deliver() or deliver_draft() and returns what it gives.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _

from app.diskio import free_name, write_file
from app.models import Setting, read_setting
from app.paths import documents_dir
from app.settings.ops import SAVE_FOLDER_KEY, SAVE_MODE_KEY
from app.shell import OsShell
from app.store import StoreError, write
from app.web.db import session
from app.web.layout import safe_next

log = logging.getLogger(__name__)


def _saved_files() -> dict[str, Path]:
    return current_app.extensions.setdefault("koordi.saved_files", {})


@dataclass(frozen=True)
class Outgoing:
    """A file the app hands over: its bytes, the name it is offered under, its type."""

    data: bytes
    filename: str
    mimetype: str


def _shell() -> OsShell | None:
    return current_app.config.get("SHELL")


def _choose_target(filename: str) -> Path | None:
    """Where the window saves a file: the save dialog's answer, or a free name in the remembered folder."""
    s = session()
    folder = Path(read_setting(s, SAVE_FOLDER_KEY) or documents_dir())
    if read_setting(s, SAVE_MODE_KEY, "ask") == "ask":
        shell = _shell()
        assert shell is not None  # only the window saves a file itself
        target = shell.ask_save_path(folder, filename)
        return Path(target) if target else None
    return free_name(folder / filename)


def _remember(target: Path) -> str:
    """Remember the folder for next time and the file for "Show in folder"; the file's ref."""
    s = session()
    with write(s):
        s.merge(Setting(key=SAVE_FOLDER_KEY, value=str(target.parent)))
    ref = secrets.token_urlsafe(8)
    _saved_files()[ref] = target
    return ref


def _not_saved(back: str):
    flash(_("The file was not saved."), "info")
    return redirect(back)


def _save_failed(target: Path, exc: OSError, back: str):
    log.warning("could not save a file to %s: %s", target.parent, exc.strerror)
    flash(_("Could not save the file in %(folder)s: %(reason)s", folder=str(target.parent), reason=exc.strerror), "error")
    return redirect(back)


def deliver(
    data: bytes,
    filename: str,
    mimetype: str,
    *,
    back: str,
    open_after: bool = True,
    on_saved: Callable[[str], None] | None = None,
):
    """The response that gets `data` to the user as `filename`. `back` is where the window returns.

    on_saved(name) runs once the file is written (window) or as the download is sent
    (browser): never for a file the user did not get.
    """
    shell = _shell()
    if shell is None:
        if on_saved is not None:
            on_saved(filename)
        return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)

    target = _choose_target(filename)
    if target is None:
        return _not_saved(back)
    try:
        write_file(target, data)
    except OSError as exc:
        return _save_failed(target, exc, back)
    ref = _remember(target)
    if on_saved is not None:
        on_saved(target.name)
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


def deliver_draft(
    draft: Outgoing,
    attachment: Outgoing,
    *,
    back: str,
    on_saved: Callable[[str], None],
    browser_page: Callable[[str, str], object],
):
    """An email draft (.eml) and the file it carries, handed to the user together.

    Window: the attachment is saved (save dialog or remembered folder) and the draft
    beside it under the same name; the draft opens with the default mail client and
    the attachment is always shown in its folder too. Browser: browser_page(draft_url,
    attachment_url) is the response, a page with the two downloads.
    on_saved(attachment's file name) runs once the files are written, or when the first
    of the two downloads starts: never for files the user did not get.
    """
    shell = _shell()
    if shell is None:
        once = _Once(on_saved, attachment.filename)
        return browser_page(_offer(draft, once, back), _offer(attachment, once, back))

    target = _choose_target(attachment.filename)
    if target is None:
        return _not_saved(back)
    try:
        write_file(target, attachment.data)
    except OSError as exc:
        return _save_failed(target, exc, back)
    draft_target = free_name(target.with_suffix(Path(draft.filename).suffix))
    try:
        write_file(draft_target, draft.data)
    except OSError as exc:
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)  # both or neither: a zip without its draft is not what was asked
        return _save_failed(draft_target, exc, back)
    ref = _remember(target)
    on_saved(target.name)
    flash(
        _(
            "Saved in %(folder)s: the file %(file)s and the email draft %(draft)s. The draft opens in your email "
            "program; if it does not, attach the file to a new email yourself.",
            folder=str(target.parent),
            file=target.name,
            draft=draft_target.name,
        ),
        f"file:{ref}",
    )
    try:
        shell.open_path(draft_target)
    except OSError as exc:
        log.warning("could not open the email draft: %s", exc)
    try:
        shell.reveal(target)  # always: the fallback when no mail client takes the draft
    except OSError as exc:
        log.warning("could not show the file in its folder: %s", exc)
    return redirect(back)


# -- downloads offered on a page (browser) -------------------------------------------------------

MAX_OFFERED = 4  # files held in memory (two sends; a large export is tens of MB); older ones are dropped
_offer_lock = threading.Lock()


class _Once:
    """Calls fn(arg) until it succeeds once, never again (from any thread)."""

    def __init__(self, fn: Callable[[str], None], arg: str):
        self.fn, self.arg, self.done = fn, arg, False
        self.lock = threading.Lock()

    def __call__(self) -> None:
        with self.lock:
            if self.done:
                return
            self.fn(self.arg)  # under the lock: a failed call (the data busy) is not a done one
            self.done = True


@dataclass(frozen=True)
class _Offer:
    file: Outgoing
    on_download: _Once


def _offers() -> OrderedDict[str, _Offer]:
    return current_app.extensions.setdefault("koordi.offered_files", OrderedDict())


def _offer(file: Outgoing, on_download: _Once, back: str) -> str:
    """Hold `file` in memory for one download; its URL."""
    ref = secrets.token_urlsafe(16)
    with _offer_lock:
        offers = _offers()
        offers[ref] = _Offer(file, on_download)
        while len(offers) > MAX_OFFERED:
            offers.popitem(last=False)
    return url_for("files.download", ref=ref, next=back)  # next: where a second click goes


def download(ref: str):
    with _offer_lock:
        offer = _offers().pop(ref, None)  # once: a second click finds nothing
    if offer is None:
        flash(
            _(
                "This download is no longer available: each file can be downloaded once, and only until "
                "Koordi is closed. Make the file again if you need it."
            ),
            "error",
        )
        return redirect(safe_next(request.args.get("next")))
    try:
        offer.on_download()
    except StoreError:
        # Not recorded (the data is busy in another program): not sent either, so the
        # same link works again once the error page says to try again.
        with _offer_lock:
            _offers()[ref] = offer
        raise
    file = offer.file
    return send_file(BytesIO(file.data), mimetype=file.mimetype, as_attachment=True, download_name=file.filename)


def reveal(ref: str):
    path = _saved_files().get(ref)  # only files this launch saved: never a path from the request
    shell = _shell()
    if path is None or shell is None:
        abort(404)
    try:
        shell.reveal(path)
    except OSError as exc:
        log.warning("could not show %s in its folder: %s", path.suffix, exc)
        flash(_("Could not open the folder %(folder)s: %(reason)s", folder=str(path.parent), reason=exc.strerror or exc), "error")
    return redirect(safe_next(request.form.get("next")))
