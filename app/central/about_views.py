"""The office's About page: its version, folder, log file and merged database, and the licences
of Koordi and of the software it carries -- the coordinator's About's licence part, shared
(app.web.about and the macros of app/templates/macros/about.html), not copied.

    /about              office_about.index
    /about/licences     office_about.licences
"""

from __future__ import annotations

from flask import current_app, render_template, url_for

from app import logs
from app.central.site import target_name
from app.version import __version__
from app.web.about import licence_texts


def index():
    folder = current_app.config["DATA_DIR"]
    return render_template(
        "office_about/about.html",
        version=__version__,
        target=target_name(),
        data_dir=folder,
        log_path=logs.log_file(folder),
    )


def licences():
    return render_template("office_about/licences.html", about_url=url_for("office_about.index"), **licence_texts())
