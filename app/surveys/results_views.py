"""The results of follow-up surveys (the county's results page). Filled by the results work."""

from __future__ import annotations

from flask import render_template

from app.surveys.views import bp


@bp.get("/surveys")
def results():
    return render_template("surveys/results.html")
