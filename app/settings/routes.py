"""The settings feature's blueprint and URL rules; the views (views.py, deleted_views.py) are
imported on their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.web.layout import register_nav
from app.web.lazy import GET, GET_POST, POST, add_rules

bp = Blueprint("settings", __name__, template_folder="templates")

RULES = (
    ("/setup", "setup", GET_POST),
    ("/settings", "profile", GET_POST),
    ("/settings/files", "files", GET_POST),
    ("/settings/dashboard", "dashboard", GET_POST),
    ("/settings/backups", "backups", GET),
    ("/language", "language", POST),
)

add_rules(bp, "app.settings.views", RULES)
add_rules(bp, "app.settings.deleted_views", (("/settings/deleted", "deleted", GET),))


@bp.record_once
def _nav(state):
    register_nav(state.app, "settings.profile", _l("Settings"), 90)
