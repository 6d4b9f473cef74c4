"""What every page of the office's Koordi uses: the merged database it was opened on.

    from app.central.site import reader, writer, target_name

- reader(): the request's read connection (one transaction: a page sees one state even while
  a merge writes). On SQLite it is a read-only engine, so a page never waits for a merge.
- writer(): the engine for the office's writes: merges and its own settings (on SQLite every
  transaction is BEGIN IMMEDIATE, so two writers queue instead of failing).
- target_name(): the database as it may be shown (a URL without its password).
- the template filter `utctime`: a merged timestamp (naive UTC, as the database keeps them) as
  Helsinki wall time in the page's language.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine

from app import i18n

READ_ENGINE = "koordi.central.read"
WRITE_ENGINE = "koordi.central.write"
TARGET = "koordi.central.target"


def reader() -> Connection:
    if "central_conn" not in g:
        g.central_conn = current_app.extensions[READ_ENGINE].connect()
    return g.central_conn


def writer() -> Engine:
    return current_app.extensions[WRITE_ENGINE]


def target_name() -> str:
    return current_app.extensions[TARGET]


def today() -> dt.date:
    """Today on Helsinki's wall (config TODAY fixes it: the tests' scripted year)."""
    from app.core.clock import today as wall_today

    return current_app.config.get("TODAY") or wall_today()


def _close(_exc=None) -> None:
    conn = g.pop("central_conn", None)
    if conn is not None:
        conn.close()


def local_time(value: dt.datetime | None) -> str:
    """A timestamp of the merged database (naive UTC) on Helsinki's wall, in the page's language."""
    from app.web.i18n import current_language

    if value is None:
        return ""
    return i18n.format_local_datetime(value.replace(tzinfo=dt.UTC), current_language())


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
    app.jinja_env.filters["utctime"] = local_time
