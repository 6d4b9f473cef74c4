"""The guidance feature's blueprint, its hooks and URL rules; the views (session_views.py,
trainee_views.py) are imported on their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.core.clock import today
from app.labels.guidance import KIND_LABELS, MODE_LABELS, STATUS_LABELS
from app.web.i18n import current_language
from app.web.layout import register_nav
from app.web.lazy import GET, GET_POST, POST, add_rules

bp = Blueprint("guidance", __name__, template_folder="templates")

SESSION_RULES = (
    ("/guidance", "sessions", GET),
    ("/guidance/sessions/<id>", "session_detail", GET),
    ("/guidance/sessions/new", "new_session", GET_POST),
    ("/guidance/sessions/<id>/edit", "edit_session", GET_POST),
    ("/guidance/sessions/trainee-options", "trainee_options", GET),
    ("/guidance/sessions/<id>/delete", "delete_session", POST),
    ("/guidance/sessions/<id>/restore", "restore_session", POST),
    ("/guidance/totals", "totals", GET),
)

TRAINEE_RULES = (
    ("/guidance/trainees", "trainees", GET),
    ("/guidance/trainees/<id>", "trainee", GET),
    ("/guidance/trainees/new", "new_trainee", GET_POST),
    ("/guidance/trainees/<id>/edit", "edit_trainee", GET_POST),
    ("/guidance/trainees/<id>/delete", "delete_trainee", POST),
    ("/guidance/trainees/<id>/restore", "restore_trainee", POST),
    ("/guidance/trainees/<id>/erase", "erase_trainee", GET_POST),
)

add_rules(bp, "app.guidance.session_views", SESSION_RULES)
add_rules(bp, "app.guidance.trainee_views", TRAINEE_RULES)


@bp.record_once
def _nav(state):
    register_nav(state.app, "guidance.sessions", _l("Method guidance"), 50)


@bp.context_processor
def _helpers():
    from app.guidance import reads  # runs only on guidance pages, whose views have loaded it

    return {
        "kind_labels": KIND_LABELS,
        "mode_labels": MODE_LABELS,
        "status_labels": STATUS_LABELS,
        "lang": current_language(),
        "today": today(),
        "cohort_groups": reads.cohort_groups,
    }
