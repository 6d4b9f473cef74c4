"""Dates and times as a person in Finland types them: 5.3.2026 and 9.30 (or 9:30), 24-hour.

The forms take text, not the web engine's own date and time pickers: those speak the
engine's language (mm/dd/yyyy and a 12-hour clock on an English Windows), whatever
Koordi's. ISO dates (2026-03-05) are read too: links and older forms send them.

Months (the central office's filters) are typed 3/2026 or 3.2026, and shown 3/2026.

Two kinds of refusal, so the message can say which: `NotADate` (the text is not written
as a date) and `NoSuchDate` (it is, but the day does not exist: 31.2.2026).
"""

from __future__ import annotations

import datetime as dt
import re

# 5.3.2026, 05.03.2026, 5. 3. 2026, 5.3.2026. and the two-digit year 5.3.26
_FINNISH = re.compile(r"(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{4}|\d{2})\.?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# A month: 3/2026, 03.2026, 3-2026, 3.2026. (the forms' month fields), or ISO 2026-03 (links)
_MONTH = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{4})\.?")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
# 9, 9.30, 09:30, 9,30 (a slip of the decimal comma), 0930
_TIME = re.compile(r"(\d{1,2})(?:\s*[.:,]\s*(\d{2}))?|(\d{1,2})(\d{2})")


class NotADate(ValueError):
    """The text is not a date written d.m.yyyy (or yyyy-mm-dd)."""


class NoSuchDate(ValueError):
    """Written as a date, but no such day exists (31.2.2026, 0.1.2026)."""


class NotATime(ValueError):
    """The text is not a time written h.mm (or h:mm)."""


class NoSuchTime(ValueError):
    """Written as a time, but not one of the day's (25.00, 9.75)."""


def parse_date(text: str) -> dt.date:
    """'5.3.2026', '05.03.2026', '5.3.26' or '2026-03-05' -> 5 March 2026."""
    value = text.strip()
    if match := _FINNISH.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000  # 5.3.26: this century (Koordi's records are never from the 1900s)
    elif match := _ISO.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise NotADate(text)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NoSuchDate(text) from None


def parse_month(text: str) -> dt.date:
    """'3/2026', '03.2026', '3-2026' or '2026-03' -> 1 March 2026 (a month is its first day).
    NotADate when it is not written as a month, NoSuchDate for a month 0 or 13."""
    value = text.strip()
    if match := _MONTH.fullmatch(value):
        month, year = (int(part) for part in match.groups())
    elif match := _ISO_MONTH.fullmatch(value):
        year, month = (int(part) for part in match.groups())
    else:
        raise NotADate(text)
    try:
        return dt.date(year, month, 1)
    except ValueError:
        raise NoSuchDate(text) from None


def month_text(day: dt.date) -> str:
    """A month as the month fields show it, in every language: 3/2026."""
    return f"{day.month}/{day.year}"


def parse_time(text: str) -> dt.time:
    """'9.30', '9:30', '09.30', '930' or '9' -> 09:30 (24-hour: '21.15' is a quarter past nine in the evening)."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise NotATime(text)
    hour, minute = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    try:
        return dt.time(int(hour), int(minute or 0))
    except ValueError:
        raise NoSuchTime(text) from None
