"""The office's home page (/), its language switch, "Close" (without a window) and the second
launch's focus request: the parts of app.system and app.settings the office's app needs."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request
from sqlalchemy import func, select

from app import i18n
from app.central import remember
from app.central.reporting_views import overview  # the newest due period's reporting, at a glance
from app.central.schema import coordinators, merged_files
from app.central.site import reader, target_name
from app.web.extensions import csrf
from app.web.layout import safe_next

log = logging.getLogger(__name__)
bp = Blueprint("office", __name__, template_folder="templates")


@bp.app_context_processor
def _shell():
    return {"office_can_quit": current_app.config.get("ON_QUIT_REQUEST") is not None, "office_target": target_name()}


@bp.get("/")
def home():
    conn = reader()
    files, last_merged = conn.execute(select(func.count(), func.max(merged_files.c.merged_at))).one()
    people = conn.scalar(select(func.count()).select_from(coordinators))
    return render_template(
        "office/home.html", files=files, last_merged=last_merged, coordinators=people, reporting=overview(conn)
    )


@bp.post("/language")
def language():
    lang = request.form.get("lang", "")
    if lang in i18n.LANGUAGES:
        remember.remember(current_app.config["DATA_DIR"], language=lang)
        g.pop("language", None)
    return redirect(safe_next(request.form.get("next"), "office.home"))


@bp.post("/quit")
def quit():
    """Close without a window (koordi central serve): the goodbye page, then the server stops."""
    stop = current_app.config.get("ON_QUIT_REQUEST")
    if stop is None:
        abort(404)
    log.info("closing at the office's request")
    response = make_response(render_template("office/closed.html"))
    response.call_on_close(stop)
    return response


@bp.post("/_instance/focus")
@csrf.exempt  # called by a second launch with the token header, not by a page
def focus():
    callback = current_app.config.get("ON_FOCUS_REQUEST")
    if callback is None:
        abort(404)
    callback()
    return ("", 204)
