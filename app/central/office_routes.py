"""The office app's pages that wait for their first request (app.web.lazy, issue 17): the
national picture, files and merging, the office's settings and About. Their blueprints and URL
rules are declared here; the views modules (picture_views.py, files_views.py, settings_views.py,
about_views.py) hold plain functions. The home page's modules (office_views.py, reporting_views.py)
are imported at start: the home page is every start's first page."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Blueprint

from app.web.lazy import GET, GET_POST, POST, add_rules

UPLOADS = "uploads"  # the merge's copies of the uploaded files, in the office's folder

picture = Blueprint("picture", __name__, template_folder="templates")
add_rules(
    picture,
    "app.central.picture_views",
    (
        ("/picture", "index", GET),
        ("/picture/deployments", "deployment_page", GET),
        ("/picture/events", "events_page", GET),
        ("/picture/guidance", "guidance_page", GET),
        ("/picture/surveys", "surveys_page", GET),
        ("/picture/indicators", "indicators_page", GET),
        ("/picture/rows", "rows", GET),
        ("/picture/export", "export", POST),
    ),
)

merging = Blueprint("merging", __name__, template_folder="templates")
add_rules(
    merging,
    "app.central.files_views",
    (
        ("/files", "index", GET),
        ("/files/merge", "merge", POST),
        ("/files/merge/<job_id>", "run", GET),
    ),
)

office_settings = Blueprint("office_settings", __name__, template_folder="templates")
add_rules(
    office_settings,
    "app.central.settings_views",
    (
        ("/settings", "index", GET_POST),
        ("/settings/roster/new", "roster_new", GET_POST),
        ("/settings/roster/<key>", "roster_edit", GET_POST),
        ("/settings/roster/<key>/link", "roster_link", POST),
        ("/settings/roster/<key>/delete", "roster_delete", POST),
    ),
)

office_about = Blueprint("office_about", __name__, template_folder="templates")
add_rules(office_about, "app.central.about_views", (("/about", "index", GET), ("/about/licences", "licences", GET)))


def clear_uploads(folder: Path) -> None:
    """Copies left by a run that never ended (the program was stopped): removed at start."""
    shutil.rmtree(folder / UPLOADS, ignore_errors=True)
