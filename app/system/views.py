from __future__ import annotations

import logging
from pathlib import Path

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import files, logs
from app.store import StoreError, migrate
from app.version import __version__
from app.web.about import licence_texts
from app.web.db import store
from app.web.layout import safe_next

log = logging.getLogger(__name__)


def _backup_by_name(name: str) -> Path:
    for b in store().list_backups():
        if b.path.name == name:  # only files Koordi listed itself: never a path from the form
            return b.path
    abort(404)


def about():
    st = current_app.extensions.get("koordi.store")
    data_dir = current_app.config["DATA_DIR"]
    return render_template(
        "system/about.html",
        version=__version__,
        data_dir=data_dir,
        log_path=logs.log_file(data_dir),
        revision=st.revision() if st else None,
        head=migrate.head(),
        backups=st.list_backups() if st else [],
    )


def licences():
    """Koordi's licence and the third-party notices the bundle carries (app.web.about, shared
    with the central office's About)."""
    return render_template("system/licences.html", **licence_texts())


def save_log():
    path = logs.log_file(current_app.config["DATA_DIR"])
    data = path.read_bytes() if path.exists() else b""
    return files.deliver(data, "koordi.log.txt", "text/plain", back=url_for("system.about"), open_after=False)


def take_backup():
    back = safe_next(request.form.get("next"), "system.about")  # the About page or the settings' Backups
    try:
        backup = store().backup("manual")
    except StoreError as exc:  # a full disk: the partial copy is already removed
        log.warning("backup failed: %s", exc)
        flash(exc.describe(_), "error")
        return redirect(back)
    flash(_("Backup taken: %(name)s", name=backup.path.name), "success")
    return redirect(back)


def confirm_restore(name: str):
    return render_template("system/restore.html", backup=_backup_by_name(name))


def restore(name: str):
    source = _backup_by_name(name)
    try:
        store().restore(source)
    except StoreError as exc:
        flash(exc.describe(_), "error")
        return redirect(url_for("system.about"))
    flash(_("Restored from %(name)s. What was there before is kept as a backup too.", name=source.name), "success")
    return redirect(url_for("dashboard.index"))


def quit():
    """ "Close Koordi" without a window: say goodbye, then stop the server (the host then
    closes the database and releases the lock). In the window, closing the window does it."""
    stop = current_app.config.get("ON_QUIT_REQUEST")
    if stop is None:
        abort(404)
    log.info("closing at the coordinator's request")
    response = make_response(render_template("system/closed.html"))
    response.call_on_close(stop)  # once the page is sent
    return response


def focus():  # a second launch's call, with the token header: CSRF-exempt (routes.py)
    callback = current_app.config.get("ON_FOCUS_REQUEST")
    if callback is None:
        abort(404)
    callback()
    return ("", 204)
