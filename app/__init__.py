"""Koordi: the desktop app of Terapiat etulinjaan coordinators.

create_app() builds the Flask app on one data directory; the CLI, the desktop
window and the tests all start from it.
"""

from __future__ import annotations

import gc
import secrets
from typing import TYPE_CHECKING

# Before anything imports babel.dates (app.babelzone). This package is imported before
# app.gcpause can pause collection: paused here too, so the collector does not walk these
# long-lived objects as they are made.
_collecting = gc.isenabled()
gc.disable()
try:
    from app import babelzone

    babelzone.import_babel_localtime()
finally:
    if _collecting:
        gc.enable()

# Flask and the store (SQLAlchemy, the models) are imported by create_app, not by this package:
# `python -m app` and app.gcpause come here first, and a start pauses the garbage collector
# before those imports (app.gcpause).
if TYPE_CHECKING:
    from flask import Flask

DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Strict",
    "SESSION_COOKIE_NAME": "koordi_session",
    "WTF_CSRF_TIME_LIMIT": None,  # a desktop app stays open all day; the session ends with the launch
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,  # the largest import a coordinator would make
    "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
    "SHELL": None,  # set by the desktop window: see app.files
    "ON_FOCUS_REQUEST": None,
    # Set by hosts without a window (koordi serve, the browser fallback): stops the server.
    "ON_QUIT_REQUEST": None,
    "RECOVERY": None,
    # How long a write waits for another program's write (a `koordi` command) before the
    # "data is busy" page; tests shorten it.
    "DB_BUSY_TIMEOUT_MS": None,  # None: app.store.engine.BUSY_TIMEOUT_MS
}


def create_app(test_config: dict | None = None) -> Flask:
    from app import logs, paths
    from app.store import DB_NAME, EarlyInspection

    data_dir = paths.resolve_data_dir((test_config or {}).get("DATA_DIR"))
    # SQLite checks the file on a thread of its own while SQLAlchemy, the models, Flask and the web
    # layer load (app.store.files).
    early = EarlyInspection(data_dir / DB_NAME)

    from app.store import DatabaseDamaged, Store
    from app.web.routing import KoordiFlask

    app = KoordiFlask(__name__)  # URL builders that compile nothing: a faster start (app.web.routing)
    app.config.update(DEFAULTS)
    # Per launch: sessions and CSRF tokens of an earlier launch are worthless.
    app.config["SECRET_KEY"] = secrets.token_bytes(32)
    app.config["ACCESS_TOKEN"] = secrets.token_urlsafe(32)
    if test_config:
        app.config.update(test_config)
    app.config["DATA_DIR"] = data_dir
    logs.configure(data_dir)

    from app import web

    web.init_app(app)
    try:
        app.extensions["koordi.store"] = Store.open(data_dir, app.config["DB_BUSY_TIMEOUT_MS"], early)
    except DatabaseDamaged as exc:
        app.extensions["koordi.store"] = None
        app.config["RECOVERY"] = exc
    _register_features(app)
    return app


def _register_features(app: Flask) -> None:
    """Every feature's blueprint with its whole URL map. The views modules wait for the first
    request that needs them (app.web.lazy, issue 17), except the dashboard's (the first page of
    every start) and recovery's (a hook of every request)."""
    from app import (
        dashboard,
        deployments,
        events,
        file_routes,
        goals,
        guidance,
        indicators,
        methods,
        reports,
        search,
        settings,
        surveys,
        system,
        units,
    )
    from app.central import routes as central
    from app.sync import routes as sync
    from app.system import recovery

    features = (
        dashboard,
        units,
        methods,
        deployments,
        events,
        guidance,
        surveys,
        indicators,
        goals,
        reports,
        sync,
        search,
        settings,
        system,
    )
    for feature in features:
        app.register_blueprint(feature.bp)
    app.register_blueprint(file_routes.bp)
    app.register_blueprint(recovery.bp)
    app.register_blueprint(central.bp)  # the central office's summary page (app.central)
