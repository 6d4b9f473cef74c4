"""The surveys blueprint, its navigation entry and template helpers; the URL rules live in the
modules imported at the bottom (one per page family)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.web.i18n import current_language
from app.web.layout import register_nav

bp = Blueprint("surveys", __name__, template_folder="templates")


@bp.record_once
def _nav(state):
    register_nav(state.app, "surveys.results", _l("Follow-up"), 55)


@bp.context_processor
def _helpers():
    return {"lang": current_language()}
