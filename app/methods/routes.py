"""The methods feature's blueprint, its hooks and URL rules; the views (views.py) are imported on
their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.labels import label
from app.labels.deployments import PHASE_LABELS
from app.labels.methods import TARGET_GROUP_LABELS
from app.web.i18n import current_language
from app.web.layout import register_nav
from app.web.lazy import GET, GET_POST, POST, add_rules

bp = Blueprint("methods", __name__, template_folder="templates")

RULES = (
    ("/methods", "index", GET),
    ("/methods/new", "new", GET_POST),
    ("/methods/<id>", "detail", GET),
    ("/methods/<id>/edit", "edit", GET_POST),
    ("/methods/<id>/retire", "retire", POST),
    ("/methods/<id>/unretire", "unretire", POST),
    ("/methods/<id>/delete", "delete", POST),
    ("/methods/<id>/restore", "restore_method", POST),
)

add_rules(bp, "app.methods.views", RULES)


@bp.record_once
def _nav(state):
    register_nav(state.app, "methods.index", _l("Methods"), 20)


@bp.context_processor
def _helpers():
    return {
        "label": label,
        "target_groups": TARGET_GROUP_LABELS,
        "phase_labels": PHASE_LABELS,
        "lang": current_language(),
    }
