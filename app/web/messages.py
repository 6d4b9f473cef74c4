"""What a field says when its text cannot be read as a number, a date or a time.

WTForms' own words ("Not a valid integer value.") neither name the field nor say what to
type. KoordiForm.validate() puts these in their place, and a field that parses text of its
own (a date typed as d.M.yyyy) can raise them from its process_formdata, so every form
says the same thing in the same words.
"""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from wtforms import DateField, DateTimeField, DecimalField, FloatField, IntegerField, TimeField

# Digits that look like a date: d.M.yyyy (the app's way), yyyy-mm-dd (what a date input posts).
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def not_a_whole_number(label: str) -> str:
    return _("%(field)s: enter a whole number, for example 12.", field=label)


def not_a_number(label: str) -> str:
    return _("%(field)s: enter a number, for example 4,5.", field=label)


def not_a_time(label: str) -> str:
    return _("%(field)s: enter a time as 9.30 or 14:00.", field=label)


def no_such_date(label: str, typed: str) -> str:
    return _("%(field)s: there is no such date as %(typed)s.", field=label, typed=typed)


def not_a_date(label: str) -> str:
    return _("%(field)s: enter a date as day.month.year, for example 5.3.2026.", field=label)


def date_message(label: str, typed: str) -> str:
    """ "31.2.2026" is a date that does not exist; "huomenna" is not a date at all."""
    typed = typed.strip()
    if m := _FINNISH_DATE.match(typed):
        day, month, year = m.groups()
    elif m := _ISO_DATE.match(typed):
        year, month, day = m.groups()
    else:
        return not_a_date(label)
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return no_such_date(label, typed)
    return not_a_date(label)  # a real date the field still could not read: say how to type it


# WTForms' message for text its field type cannot read, by field type.
_WTFORMS_PARSE = (
    (IntegerField, "Not a valid integer value."),
    (DecimalField, "Not a valid decimal value."),
    (FloatField, "Not a valid float value."),
    (DateField, "Not a valid date value."),
    (TimeField, "Not a valid time value."),
    (DateTimeField, "Not a valid datetime value."),  # after its subclasses DateField and TimeField
)


def parse_message(field, error: str) -> str | None:
    """Koordi's words for WTForms' parse `error` of `field`, or None when it is another error."""
    for kind, msgid in _WTFORMS_PARSE:
        if isinstance(field, kind) and error in (msgid, field.gettext(msgid)):
            label = field.label.text
            typed = (field.raw_data or [""])[0] if isinstance(field.raw_data, list) else ""
            if kind is IntegerField:
                return not_a_whole_number(label)
            if kind in (DecimalField, FloatField):
                return not_a_number(label)
            if kind is TimeField:
                return not_a_time(label)
            return date_message(label, str(typed))
    return None
