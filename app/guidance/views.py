"""Method guidance (menetelmäohjaus): the blueprint, its navigation and shared page helpers.

The routes live in session_views.py (sessions, per-method totals) and trainee_views.py
(trainees, erasure); both register on `bp` below.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l

from app.core import datetext
from app.core.clock import today
from app.guidance import reads
from app.labels.guidance import KIND_LABELS, MODE_LABELS, STATUS_LABELS
from app.web.i18n import current_language
from app.web.layout import register_nav

bp = Blueprint("guidance", __name__, template_folder="templates")


@bp.record_once
def _nav(state):
    register_nav(state.app, "guidance.sessions", _l("Method guidance"), 50)


@bp.context_processor
def _helpers():
    return {
        "kind_labels": KIND_LABELS,
        "mode_labels": MODE_LABELS,
        "status_labels": STATUS_LABELS,
        "lang": current_language(),
        "today": today(),
        "cohort_groups": reads.cohort_groups,
    }


def date_arg(name: str) -> dt.date | None:
    """A date from the query string (5.3.2026 as typed, or ISO from a link); anything else is
    no filter (never an error page)."""
    try:
        return datetext.parse_date(request.args.get(name, ""))
    except ValueError:
        return None
