"""The events feature's blueprint, its hooks and URL rules; the views (views.py) are imported on
their first request (app.web.lazy). The label globals are every page's (the dashboard, units)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.labels.events import STATUS_LABELS, TYPE_LABELS
from app.web.layout import register_nav
from app.web.lazy import GET, GET_POST, POST, add_rules

bp = Blueprint("events", __name__, template_folder="templates")

RULES = (
    ("/events", "index", GET),
    ("/events/calendar.ics", "export_list", POST),
    ("/events/new", "new", GET_POST),
    ("/events/<id>/edit", "edit", GET_POST),
    ("/events/<id>", "detail", GET),
    ("/events/<id>/attendance", "attendance", GET_POST),
    ("/events/<id>/status/<status>", "set_status", POST),
    ("/events/<id>/delete", "delete", POST),
    ("/events/<id>/restore", "restore", POST),
    ("/events/plan", "plan", GET),
    ("/events/plan/<int:year>/<int:month>", "plan_month", GET),
    ("/events/plan/<int:year>.ics", "export_year", POST),
)

add_rules(bp, "app.events.views", RULES)


@bp.record_once
def _nav(state):
    register_nav(state.app, "events.index", _l("Events"), 40)


@bp.app_template_global()
def event_type_label(key: str) -> str:
    return str(TYPE_LABELS.get(key, key))


@bp.app_template_global()
def event_status_label(key: str) -> str:
    return str(STATUS_LABELS.get(key, key))
