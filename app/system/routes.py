"""About, the log file, backups and second-launch focus: the blueprint, its hooks and URL rules;
the views (views.py) are imported on their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_babel import lazy_gettext as _l

from app.web.lazy import GET, POST, add_rules

bp = Blueprint("system", __name__, template_folder="templates")

RULES = (
    ("/about", "about", GET),
    ("/about/licences", "licences", GET),
    ("/about/log", "save_log", POST),
    ("/backups", "take_backup", POST),
    ("/backups/<name>/restore", "confirm_restore", GET),
    ("/backups/<name>/restore", "restore", POST),
    ("/quit", "quit", POST),
    ("/_instance/focus", "focus", POST),
)

# focus is called by a second launch with the token header, not by a page: no CSRF token.
add_rules(bp, "app.system.views", RULES, exempt=("focus",))

BACKUP_REASONS = {
    "start": _l("at start"),
    "pre-upgrade": _l("before an upgrade"),
    "pre-restore": _l("before a restore"),
    "pre-import": _l("before an import"),
    "manual": _l("taken by you"),
}


@bp.app_context_processor
def _reasons():
    return {"backup_reasons": BACKUP_REASONS, "can_quit": current_app.config.get("ON_QUIT_REQUEST") is not None}
