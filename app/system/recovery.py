"""Recovery mode: the database failed its check at start; offer the newest good backup."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.store import Store, StoreError, restore_file
from app.store.backups import list_backups
from app.store.files import inspect_file

bp = Blueprint("recovery", __name__, template_folder="templates")

OPEN_ENDPOINTS = {"static", "recovery.index", "recovery.restore", "settings.language", "system.quit"}


def _good_backups():
    error = current_app.config["RECOVERY"]
    return [b for b in list_backups(error.path.parent / "backups") if inspect_file(b.path).ok]


@bp.before_app_request
def _only_recovery():
    if current_app.extensions.get("koordi.store") is None and request.endpoint not in OPEN_ENDPOINTS:
        return redirect(url_for("recovery.index"))
    return None


@bp.get("/recovery")
def index():
    error = current_app.config.get("RECOVERY")
    if error is None:
        return redirect(url_for("dashboard.index"))
    return render_template("system/recovery.html", message=error.describe(_), backups=_good_backups())


@bp.post("/recovery")
def restore():
    error = current_app.config.get("RECOVERY")
    if error is None:
        return redirect(url_for("dashboard.index"))
    name = request.form.get("backup", "")
    chosen = next((b for b in _good_backups() if b.path.name == name), None)
    if chosen is None:
        flash(_("Choose a backup to restore."), "error")
        return redirect(url_for("recovery.index"))
    data_dir = current_app.config["DATA_DIR"]
    try:
        restore_file(data_dir, chosen.path)
        current_app.extensions["koordi.store"] = Store.open(data_dir)
    except StoreError as exc:
        flash(exc.describe(_), "error")
        return redirect(url_for("recovery.index"))
    current_app.config["RECOVERY"] = None
    flash(
        _("Restored from %(name)s. Check the latest entries: work after that backup is not in it.", name=chosen.path.name),
        "success",
    )
    return redirect(url_for("dashboard.index"))
