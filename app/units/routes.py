"""The units feature's blueprint, its hooks and URL rules; the views (views.py) are imported on
their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.labels import label
from app.labels.deployments import PHASE_LABELS
from app.labels.events import STATUS_LABELS as EVENT_STATUS_LABELS
from app.labels.events import TYPE_LABELS as EVENT_TYPE_LABELS
from app.labels.goals import STATUS_LABELS as GOAL_STATUS_LABELS
from app.labels.units import AGE_GROUP_LABELS, SERVICE_LINE_LABELS, STATUS_LABELS
from app.web.i18n import current_language
from app.web.layout import register_nav
from app.web.lazy import GET, GET_POST, POST, add_rules

bp = Blueprint("units", __name__, template_folder="templates")

RULES = (
    ("/units", "index", GET),
    ("/units/new", "new", GET_POST),
    ("/units/<id>", "detail", GET),
    ("/units/<id>/edit", "edit", GET_POST),
    ("/units/<id>/delete", "delete", GET_POST),
    ("/units/<id>/restore", "restore_unit", POST),
    ("/units/<id>/erase-supervisor", "erase_supervisor", GET_POST),
)

add_rules(bp, "app.units.views", RULES)


@bp.record_once
def _nav(state):
    register_nav(state.app, "units.index", _l("Units"), 10)


@bp.context_processor
def _helpers():
    return {
        "label": label,
        "labels": {
            "service_line": SERVICE_LINE_LABELS,
            "age_group": AGE_GROUP_LABELS,
            "status": STATUS_LABELS,
            "phase": PHASE_LABELS,
            "event_type": EVENT_TYPE_LABELS,
            "event_status": EVENT_STATUS_LABELS,
            "goal_status": GOAL_STATUS_LABELS,
        },
        "lang": current_language(),
    }
