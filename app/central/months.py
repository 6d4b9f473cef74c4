"""The office's month fields (the reporting grid's and the national picture's span): text typed as
in Finland, 3/2026 or 03.2026 (a link's 2026-03 too), shown 3/2026 in every language.

Not the web engine's <input type="month">: its picker shows the engine's own language and format
(an English Windows' WebView2), whatever Koordi's language is -- the reason the coordinator's
forms type their dates too (app.web.fields.DateField).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from app.core import datetext

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years the office reports on


def read_month(text: str | None) -> dt.date | None:
    """The first day of a typed month, or None when the text is not one (or out of range)."""
    try:
        month = datetext.parse_month(text or "")
    except ValueError:
        return None
    return month if FIRST_YEAR <= month.year <= LAST_YEAR else None


def key(month: dt.date) -> str:
    """The month as links and the query string carry it: 2026-03."""
    return f"{month.year:04d}-{month.month:02d}"


def shown(text: str | None) -> str:
    """What a month field shows: 3/2026 for a month, or the text as typed when it is not one (to
    be corrected)."""
    month = read_month(text)
    return datetext.month_text(month) if month else (text or "")


def error(label: str) -> str:
    """The message for a month field that is not a month, naming the field."""
    return _("%(field)s: write the month as month/year, for example 3/2026.", field=label)


def field_error(label: str, text: str | None) -> str:
    """The field's message, or "" when it is empty or a month (the picture's filters ask in the
    template: a bad month there is named and the default span shown)."""
    text = (text or "").strip()
    return error(label) if text and read_month(text) is None else ""
