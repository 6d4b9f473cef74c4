"""Method guidance (menetelmäohjaus): the pages' shared helpers.

The pages live in session_views.py (sessions, per-method totals) and trainee_views.py
(trainees, erasure); routes.py declares their URL rules.
"""

from __future__ import annotations

import datetime as dt

from flask import request

from app.core import datetext


def date_arg(name: str) -> dt.date | None:
    """A date from the query string (5.3.2026 as typed, or ISO from a link); anything else is
    no filter (never an error page)."""
    try:
        return datetext.parse_date(request.args.get(name, ""))
    except ValueError:
        return None
