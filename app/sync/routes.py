"""The sync page's blueprint, its hooks and URL rules; the views (views.py) are imported on their
first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.sync import history, uploads
from app.web.layout import register_nav
from app.web.lazy import GET, POST, LazyView, add_rules

bp = Blueprint("sync", __name__, template_folder="templates")

RULES = (
    ("/sync", "index", GET),
    ("/sync/send", "send", POST),
    ("/sync/copy", "copy", POST),
    ("/sync/import", "import_start", GET),
    ("/sync/import", "import_upload", POST),
    ("/sync/import/<ref>", "import_preview", GET),
    ("/sync/import/<ref>/apply", "import_apply", POST),
    ("/sync/import/<ref>/cancel", "import_cancel", POST),
    ("/sync/send", "_after_action", GET),
    ("/sync/copy", "_after_action", GET),
    ("/sync/import/<ref>/apply", "_after_import", GET),
    ("/sync/import/<ref>/cancel", "_after_import", GET),
)

add_rules(bp, "app.sync.views", RULES)
bp.register_error_handler(413, LazyView("app.sync.views", "too_large"))

# The files of an export as a coordinator knows them.
FILE_LABELS = {
    "units.csv": _l("Units"),
    "methods.csv": _l("Methods"),
    "deployments.csv": _l("Method deployments"),
    "deployment_phases.csv": _l("Phases of deployments"),
    "events.csv": _l("Events"),
    "event_attendance.csv": _l("Units at events"),
    "event_methods.csv": _l("Methods of events"),
    "trainees.csv": _l("Trainees"),
    "guidance_sessions.csv": _l("Guidance sessions"),
    "guidance_attendance.csv": _l("Trainees at guidance sessions"),
    "goals.csv": _l("Goals"),
    "goal_updates.csv": _l("Progress of goals"),
}
PURPOSE_LABELS = {
    history.CENTRAL: _l("Sent to the central office"),
    history.COPY: _l("Copy for another computer"),
    history.IMPORT: _l("Imported"),
}


@bp.record_once
def _setup(state):
    register_nav(state.app, "sync.index", _l("Send and import"), 75)
    # Uploads left by an earlier launch are never imported: start with none waiting.
    uploads.clear(state.app.config["DATA_DIR"])


@bp.app_context_processor
def _labels():
    return {"sync_file_labels": FILE_LABELS, "sync_purpose_labels": PURPOSE_LABELS}
