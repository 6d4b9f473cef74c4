"""The central office's own Koordi: a Flask app on the merged database, not on a coordinator's data.

    app = create_central_app("kansallinen.sqlite3" | "postgresql://user@host/db", test_config)

The same local server as the coordinator's app, with the same protections (app.web: the
per-launch token becomes the session cookie, Host allow-list, CSRF and cross-site refusal on
every write, CSP and headers, translated error pages, never a stack trace), the same Babel
catalogs (fi default, sv, en) and the same static files. Its pages read the merged database;
its only writes are merges and the office's own settings (roster, reporting periods).

Its pages come from the blueprints named in BLUEPRINTS: the home page's modules, imported at
start (the first page of every start), and office_routes.py's, whose views modules are imported on
their first request (app.web.lazy). NAV puts the sections in the navigation bar, by endpoint (an
endpoint no blueprint registered is left out).
Its base template is app/central/templates/office_shell/base.html (the office's navigation, language switch
and Close button), found before the coordinator's app/templates/base.html; page templates
extend "base.html" and may use the coordinator's macros (macros/forms.html, macros/lists.html).
"""

from __future__ import annotations

import importlib
import secrets
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from jinja2 import ChoiceLoader, FileSystemLoader

from app import DEFAULTS, logs, paths
from app.central import remember, site
from app.central.schema import open_target, shown
from app.web.layout import register_nav

APP_DIR = Path(__file__).resolve().parent.parent
# The office's layout: found first, so "base.html" and "errors/error.html" are the office's (a
# folder inside templates/, so the wheel and the bundle carry it like every template).
SHELL = Path(__file__).resolve().parent / "templates" / "office_shell"

# The office's pages: "module:blueprint". Part of issue 14's national picture is
# app.central.picture_views (endpoints picture.*, its home picture.index at /picture).
BLUEPRINTS = (
    "app.central.office_views:bp",  # office.*: the home page (/), language, Close
    "app.central.office_routes:picture",  # picture.*: the national picture (/picture …)
    "app.central.reporting_views:bp",  # reporting.*: who has reported (/reporting …), the home page's overview
    "app.central.office_routes:merging",  # merging.*: merge files from the window, the merged files (/files …)
    "app.central.office_routes:office_settings",  # office_settings.*: roster, periods and deadline (/settings …)
    "app.central.office_routes:office_about",  # office_about.*: version, folder, licences (/about …), from the footer
)
# (endpoint, label, order) in the navigation bar.
NAV = (
    ("picture.index", _l("National picture"), 10),
    ("reporting.grid", _l("Reporting"), 20),
    ("merging.index", _l("Files and merging"), 30),
    ("office_settings.index", _l("Office settings"), 40),
)

OFFICE_DEFAULTS = {
    **DEFAULTS,
    "SESSION_COOKIE_NAME": "koordi_central_session",
    # Several coordinators' files in one upload (each file is still read within the export limits).
    "MAX_CONTENT_LENGTH": 1024 * 1024 * 1024,
}


def create_central_app(target: str, test_config: dict | None = None) -> Flask:
    """The office's app on the merged database `target` (an SQLite file, created when missing,
    or a PostgreSQL URL). Raises app.central.schema.TargetError when it cannot be used; an
    older central database is upgraded in place first."""
    app = Flask(__name__, static_folder=str(APP_DIR / "static"), template_folder=None)
    app.config.update(OFFICE_DEFAULTS)
    app.config["SECRET_KEY"] = secrets.token_bytes(32)
    app.config["ACCESS_TOKEN"] = secrets.token_urlsafe(32)
    if test_config:
        app.config.update(test_config)
    # DATA_DIR: the office's own folder (app.central.remember.office_folder): logs, office.json.
    folder = paths.resolve_data_dir(app.config.get("DATA_DIR"))
    app.config["DATA_DIR"] = folder
    logs.configure(folder)
    # The office's layout first; the coordinator's macros and error pages behind it.
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(SHELL)), FileSystemLoader(str(APP_DIR / "templates"))])

    write_engine = open_target(target)  # creates or upgrades
    try:
        read_engine = open_target(target, read_only=True)
    except BaseException:
        write_engine.dispose()
        raise
    app.extensions[site.WRITE_ENGINE] = write_engine
    app.extensions[site.READ_ENGINE] = read_engine
    app.extensions[site.TARGET] = shown(target)
    app.extensions["koordi.store"] = None  # no coordinator data here
    app.extensions["koordi.saved_language"] = lambda: remember.load(folder).get("language")
    app.extensions["koordi.on_close"] = lambda: dispose(app)  # the window's host calls it

    from app import web

    web.init_app(app)
    site.init_app(app)
    register_views(app)
    from app.central.office_routes import clear_uploads

    clear_uploads(folder)
    return app


def register_views(app: Flask) -> None:
    """Every blueprint of BLUEPRINTS, then the navigation of the endpoints they made."""
    for name in BLUEPRINTS:
        module, _, attribute = name.partition(":")
        app.register_blueprint(getattr(importlib.import_module(module), attribute))
    for endpoint, label, order in NAV:
        if endpoint in app.view_functions:
            register_nav(app, endpoint, label, order)


def dispose(app: Flask) -> None:
    """Close the app's database connections (the host calls it when it stops)."""
    for key in (site.READ_ENGINE, site.WRITE_ENGINE):
        engine = app.extensions.pop(key, None)
        if engine is not None:
            engine.dispose()
