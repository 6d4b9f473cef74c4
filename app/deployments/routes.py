"""The deployments feature's blueprint, its hooks and URL rules; the views (views.py) are imported
on their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.core import phases
from app.labels.deployments import PHASE_LABELS, reason_label
from app.web.layout import register_nav
from app.web.lazy import GET, GET_POST, POST, add_rules

bp = Blueprint("deployments", __name__, template_folder="templates")

RULES = (
    ("/deployments", "index", GET),
    ("/deployments/board", "board", GET),
    ("/deployments/<id>", "detail", GET),
    ("/deployments/new", "create", GET_POST),
    ("/deployments/<id>/edit", "edit", GET_POST),
    ("/deployments/<id>/move", "move", GET_POST),
    ("/deployments/<id>/moves/<change>/undo", "undo_move", POST),
    ("/deployments/<id>/delete", "delete", POST),
    ("/deployments/<id>/restore", "restore", POST),
)

add_rules(bp, "app.deployments.views", RULES)


@bp.record_once
def _nav(state):
    register_nav(state.app, "deployments.index", _l("Deployments"), 30)


@bp.context_processor
def _labels():
    return {
        "phase_labels": PHASE_LABELS,
        "next_phase": phases.next_phase,
        "stop_phases": phases.STOP_PHASES,
        "reason_label": reason_label,
    }
