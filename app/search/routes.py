"""The search feature's blueprint and URL rule; the view (views.py) is imported on its first
request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.web.layout import register_nav
from app.web.lazy import GET, add_rules

bp = Blueprint("search", __name__, template_folder="templates")

RULES = (("/search", "index", GET),)

add_rules(bp, "app.search.views", RULES)


@bp.record_once
def _nav(state):
    register_nav(state.app, "search.index", _l("Search"), 80)
