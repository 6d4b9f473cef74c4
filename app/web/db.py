"""The request's database session: opened on first use, closed when the request ends.

A POST (any unsafe method) is the app's write path: its session's transaction begins
IMMEDIATE, so it waits (up to the busy timeout) for another program's write to end, and
what it reads is what it writes on. A GET's session begins deferred: reads never wait.
"""

from __future__ import annotations

from typing import TypeVar

from flask import Flask, abort, current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from app.store import Store
from app.web.security import SAFE_METHODS


def store() -> Store:
    return current_app.extensions["koordi.store"]


def is_write_request() -> bool:
    """Whether this is the app's write path (an unsafe method): its session() is the write session."""
    return has_request_context() and request.method not in SAFE_METHODS


def session() -> Session:
    if "db_session" not in g:
        maker = store().WriteSession if is_write_request() else store().Session
        assert maker is not None  # the app's store is open
        g.db_session = maker()
    return g.db_session


def write_session() -> Session:
    """The session for a write that may come in a GET (a download recorded as sent): the
    request's own in a POST, which holds the write lock already (a second one would wait
    for it); in a GET, a write session of its own, so the GET's reads still never wait."""
    if is_write_request():
        return session()
    if "db_write_session" not in g:
        maker = store().WriteSession
        assert maker is not None  # the app's store is open
        g.db_write_session = maker()
    return g.db_write_session


T = TypeVar("T")


def or_404(record: T | None) -> T:
    """The record a page is about, or the 404 page: it does not exist or is deleted."""
    if record is None:
        abort(404)
    return record


def _close(_exc=None) -> None:
    for name in ("db_session", "db_write_session"):
        s = g.pop(name, None)
        if s is not None:
            s.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
