"""Friendly, translated error pages; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.store import DatabaseBusy, DiskFull, FolderNotWritable, StoreError
from app.store.disk import problem

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("The request was not understood"), _l("Koordi could not read this request. Go back and try again.")),
    403: (
        _l("No access"),
        _l("Open Koordi from its own window, or from the address it printed when it started."),
    ),
    404: (_l("Page not found"), _l("The page does not exist, or the record was removed.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("The file is larger than Koordi accepts. Check that you picked the right file.")),
    500: (
        _l("Something went wrong"),
        _l("Nothing was saved from the last action. The error was written to the log file (see About)."),
    ),
}
BUSY_TITLE = _l("The data is busy")
DISK_TITLE = _l("Koordi could not save")
CSRF_MESSAGE = (
    _l("The form expired"),
    _l("The page was open from an earlier launch of Koordi. Reload the page and send the form again."),
)


def render_error(code: int, title, text):
    # A visitor without a session gets a bare page: the layout would show the app's navigation.
    bare = session.get("auth") is not True
    template = "errors/bare.html" if bare else "errors/error.html"
    return render_template(template, code=code, title=title, text=text), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return render_error(400, *CSRF_MESSAGE)

    @app.errorhandler(DatabaseBusy)
    def _busy(exc: DatabaseBusy):
        # Another program (a `koordi` command) held the write lock past the busy timeout;
        # the request's transaction is rolled back with its session.
        log.warning("database busy on %s %s", request.method, request.path)
        return render_error(503, BUSY_TITLE, exc.describe(_))

    @app.errorhandler(DiskFull)
    @app.errorhandler(FolderNotWritable)
    def _disk(exc: StoreError):
        # Raised with nothing half-done (a backup's partial file removed, a transaction rolled back).
        log.warning("cannot write on %s %s: %s", request.method, request.path, exc)
        return render_error(507, DISK_TITLE, exc.describe(_))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = exc.code or 500
        title, text = MESSAGES.get(code, (exc.name, exc.description))
        return render_error(code, title, text)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http(exc)
        worded = problem(exc, current_app.config["DATA_DIR"])
        if worded is not None:  # SQLite found the disk full (or read-only) during a write: rolled back
            return _disk(worded)
        # Method and path only: query strings and form bodies may carry notes.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500, *MESSAGES[500])

    app.register_error_handler(InternalServerError, _unexpected)
