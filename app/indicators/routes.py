"""The indicators feature's blueprint, its hooks and URL rules; the views (views.py) are imported
on their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.labels import label
from app.labels.indicators import DIRECTION_LABELS, MEASURE_LABELS
from app.web.i18n import current_language
from app.web.layout import register_nav
from app.web.lazy import GET, GET_POST, POST, add_rules

bp = Blueprint("indicators", __name__, template_folder="templates")

RULES = (
    ("/indicators", "index", GET),
    ("/indicators/new", "new", GET_POST),
    ("/indicators/<id>/edit", "edit", GET_POST),
    ("/indicators/<id>/retire", "retire", POST),
    ("/indicators/<id>/unretire", "unretire", POST),
    ("/indicators/<id>/figures", "figures", GET_POST),
)

add_rules(bp, "app.indicators.views", RULES)


@bp.record_once
def _nav(state):
    register_nav(state.app, "indicators.index", _l("Indicators"), 57)


@bp.context_processor
def _helpers():
    return {
        "label": label,
        "measure_labels": MEASURE_LABELS,
        "direction_labels": DIRECTION_LABELS,
        "lang": current_language(),
    }
