"""The reports' blueprint, its navigation entry, template globals and URL rules; the views
(views.py) are imported on their first request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.web.layout import register_nav
from app.web.lazy import GET, POST, add_rules, add_template_globals

bp = Blueprint("reports", __name__, template_folder="templates")

RULES = (
    ("/reports", "index", GET),
    ("/reports/period.pdf", "period_pdf", POST),
    ("/units/<id>/summary.pdf", "unit_pdf", POST),
    ("/guidance/trainees/<id>/attestation.pdf", "attestation_pdf", POST),
    ("/events/<id>/signin.pdf", "signin_pdf", POST),
)

add_rules(bp, "app.reports.views", RULES)
# The Print / PDF forms of the unit, trainee and event pages.
add_template_globals(
    bp,
    "app.reports.forms",
    {"unit_pdf_form": "unit_pdf_form", "notes_form": "notes_form", "signin_pdf_form": "signin_pdf_form"},
)


@bp.record_once
def _nav(state):
    register_nav(state.app, "reports.index", _l("Reports"), 70)
