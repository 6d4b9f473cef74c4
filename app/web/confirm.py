"""Warnings a user may override: "Is the date right?", "A unit of that name exists".

Unlike an error, a warning may be right to ignore (two units really can share a name), so
the form shows it at its field and in the summary with a second submit button, "Save
anyway" (macros/forms.html: save_anyway), whose value names the warnings it confirms
(`confirm=date-date duplicate`). The plain Save button and Enter (which presses the first
submit button, Save) never confirm: the user has to choose to. Nothing is saved while a
warning stands unconfirmed.

A form lists its date fields' plausible ranges in `date_windows`: a date before 2000 or
further ahead than the field's days is most likely a typo (2062 for 2026).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.clock import today
from app.i18n import format_date

EARLIEST = dt.date(2000, 1, 1)  # Koordi's records are of this century's work
YEAR = 365  # days, for the windows' `ahead`


@dataclass(frozen=True)
class FormWarning:
    """A warning a form shows at a field: the user may save anyway (its key confirms it)."""

    key: str  # what the "Save anyway" button posts back to confirm it
    field: str  # the field it is shown at
    message: str
    link: str = ""  # the existing record it is about, if any
    link_text: str = ""


@dataclass(frozen=True)
class DateWindow:
    """A date from `earliest` to `ahead` days after today passes without a question."""

    ahead: int = 366
    earliest: dt.date = EARLIEST


def confirmed_keys() -> set[str]:
    return {key for value in request.form.getlist("confirm") for key in value.split()}


def date_warning(field, window: DateWindow, day: dt.date | None = None) -> str | None:
    """The question to ask about the field's date, or None when it is plausible."""
    return date_question(field.label.text, field.data, window, day)


def date_question(label: str, value, window: DateWindow, day: dt.date | None = None) -> str | None:
    """date_warning's question about a date held outside a form (a file import's preview)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return None
    day = day or today()
    if value < window.earliest:
        return _(
            "%(field)s: is %(date)s right? It is before %(year)s. If it is, press “Save anyway”.",
            field=label,
            date=format_date(value),
            year=window.earliest.year,
        )
    if value > day + dt.timedelta(days=window.ahead):
        if window.ahead >= 365:
            distance = ngettext("more than a year from today", "more than %(num)d years from today", round(window.ahead / 365.25))
        else:
            distance = ngettext("more than %(num)d day from today", "more than %(num)d days from today", window.ahead)
        return _(
            "%(field)s: is %(date)s right? It is %(distance)s. If it is, press “Save anyway”.",
            field=label,
            date=format_date(value),
            distance=distance,
        )
    return None
