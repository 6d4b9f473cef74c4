"""The goals feature's blueprint, its hooks and URL rules; the views (views.py) are imported on
their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.core.clock import today
from app.labels import label
from app.labels.goals import STATUS_LABELS
from app.web.i18n import current_language
from app.web.layout import register_nav
from app.web.lazy import GET, GET_POST, POST, add_rules

bp = Blueprint("goals", __name__, template_folder="templates")

RULES = (
    ("/goals", "index", GET),
    ("/goals/new", "new", GET_POST),
    ("/goals/<id>", "detail", GET),
    ("/goals/<id>/edit", "edit", GET_POST),
    ("/goals/<id>/updates", "add_update", POST),
    ("/goals/<id>/delete", "delete", POST),
    ("/goals/<id>/restore", "restore_goal", POST),
    ("/goals/updates/<id>/delete", "delete_update", POST),
    ("/goals/updates/<id>/restore", "restore_update", POST),
)

add_rules(bp, "app.goals.views", RULES)


@bp.record_once
def _nav(state):
    register_nav(state.app, "goals.index", _l("Goals"), 60)


@bp.context_processor
def _helpers():
    return {"status_labels": STATUS_LABELS, "label": label, "lang": current_language(), "today": today()}
