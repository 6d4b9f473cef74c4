"""The request's database session: opened on first use, closed when the request ends."""

from __future__ import annotations

from typing import TypeVar

from flask import Flask, abort, current_app, g
from sqlalchemy.orm import Session

from app.store import Store


def store() -> Store:
    return current_app.extensions["koordi.store"]


def session() -> Session:
    if "db_session" not in g:
        g.db_session = store().Session()
    return g.db_session


T = TypeVar("T")


def or_404(record: T | None) -> T:
    """The record a page is about, or the 404 page: it does not exist or is deleted."""
    if record is None:
        abort(404)
    return record


def _close(_exc=None) -> None:
    s = g.pop("db_session", None)
    if s is not None:
        s.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
