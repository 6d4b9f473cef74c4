"""WTForms fields shared by the features' forms.

DateField and TimeField: text inputs in the app's own formats (5.3.2026, 9.30), read by the
server, never the web engine's date and time pickers: those show mm/dd/yyyy and a 12-hour
clock when the engine's language is English (an English Windows' WebView2), whatever
Koordi's language is. Subclasses of WTForms' own, so the form layer still knows them as
date and time fields (app.web.confirm's date windows, app.web.messages).

SelectField: WTForms' own, with a faster option renderer. A unit select lists every unit
of the county (hundreds at most, 500 at bench scale), and WTForms builds each <option>
through html_params() and str.format(): about 30 ms for 500 options, more than the rest
of the page. The markup is the same.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape
from wtforms import DateField as _DateField
from wtforms import SelectField as _SelectField
from wtforms import TimeField as _TimeField
from wtforms import widgets

from app import i18n
from app.core import datetext
from app.web import messages
from app.web.i18n import current_language


class Select(widgets.Select):
    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:  # anything beyond value, label, selected: WTForms' own way
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{escape(value)}">{escape(choice.label or choice.value)}</option>')


class SelectField(_SelectField):
    widget = Select()


class _TypedInput(widgets.TextInput):
    """A text input with the format to type as its placeholder, and the numeric keyboard hint."""

    def __init__(self, css_class: str, placeholder) -> None:
        super().__init__()
        self.css_class = css_class
        self.placeholder = placeholder

    def __call__(self, field, **kwargs):
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("placeholder", self.placeholder())
        kwargs["class"] = f"{self.css_class} {kwargs.get('class', '')}".strip()
        return super().__call__(field, **kwargs)


class DateField(_DateField):
    """A date typed d.M.yyyy (5.3.2026; ISO 2026-03-05 too), shown d.M.yyyy in every language."""

    widget = _TypedInput("input-date", lambda: _("dd.mm.yyyy"))
    data: Any  # a date, or None when empty or unreadable (the form's validators say which may be)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return i18n.format_date(self.data) if self.data else ""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        typed = " ".join(valuelist).strip()
        self.data = None
        if not typed:
            return  # empty: InputRequired or Optional decides
        try:
            self.data = datetext.parse_date(typed)
        except datetext.NoSuchDate:
            raise ValueError(messages.no_such_date(self.label.text, typed)) from None
        except datetext.NotADate:
            raise ValueError(messages.not_a_date(self.label.text)) from None


class TimeField(_TimeField):
    """A time of day typed on the 24-hour clock, 9.30 or 9:30, shown as the language writes it."""

    widget = _TypedInput("input-time", lambda: _("hh.mm"))
    data: Any  # a time, or None

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return i18n.format_time(self.data, current_language()) if self.data else ""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        typed = " ".join(valuelist).strip()
        self.data = None
        if not typed:
            return
        try:
            self.data = datetext.parse_time(typed)
        except ValueError:
            raise ValueError(messages.not_a_time(self.label.text)) from None
