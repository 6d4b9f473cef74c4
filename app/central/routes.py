"""The central office's page in the coordinator's app (the summary of a merged database): its
blueprint and URL rule, registered by create_app; the view (views.py) is imported on its first
request (app.web.lazy)."""

from __future__ import annotations

from flask import Blueprint

from app.web.lazy import GET_POST, add_rules

bp = Blueprint("central", __name__, template_folder="templates")

add_rules(bp, "app.central.views", (("/reports/central", "summary_pdf", GET_POST),))
