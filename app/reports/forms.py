"""Forms of the reports: the period choice (GET, nothing is written) and the Print / PDF buttons.

The buttons are POST forms with a CSRF token, as every file the app hands over is:
in the window, app.files.deliver saves the file and remembers the folder.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import get_month_names
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from app.core import clock, periods
from app.i18n import FORMAT_LOCALES
from app.labels.reports import KIND_LABELS
from app.reports.common import SIGNIN_ROWS_MAX
from app.web.fields import DateField
from app.web.forms import KoordiForm

YEAR_MESSAGE = _l("Give a year from 2000 to 2100.")


def _period_error(field, exc: periods.PeriodError):
    if exc.code == periods.PeriodError.END_BEFORE_START:
        return _("%(field)s cannot be before the start of the period.", field=field.label.text)
    if exc.code == periods.PeriodError.TOO_LONG:
        return _("%(field)s: a period can be at most %(months)s months long.", field=field.label.text, months=periods.MAX_MONTHS)
    return _("%(field)s must be in the years 2000–2100.", field=field.label.text)


class PeriodForm(Form):
    """The reports page's period choice, from the query string (no CSRF: nothing is written)."""

    kind = RadioField(_l("Period"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()], default="year")
    year = IntegerField(
        _l("Year"), validators=[Optional(), NumberRange(periods.MIN_YEAR, periods.MAX_YEAR, message=YEAR_MESSAGE)]
    )
    month = SelectField(_l("Month"), coerce=int, default=1)
    quarter = SelectField(_l("Quarter"), coerce=int, choices=[SelectChoice(q, f"Q{q}") for q in range(1, 5)], default=1)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def __init__(self, formdata, lang: str, today: dt.date):
        super().__init__(formdata)
        names = get_month_names("wide", "stand-alone", FORMAT_LOCALES[lang])
        self.month.choices = [SelectChoice(m, str(names[m]).capitalize()) for m in range(1, 13)]
        if not formdata:  # the page's first view: this year, with the month and quarter of today ready
            self.year.data = today.year
            self.month.data = today.month
            self.quarter.data = periods.quarter_of(today)
            self.date_from.data = dt.date(today.year, 1, 1)
            self.date_to.data = today
        self.result: periods.Period | None = None

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        kind = self.kind.data
        try:
            if kind == "custom":
                missing = [f for f in (self.date_from, self.date_to) if f.data is None]
                for field in missing:
                    field.errors.append(_("Give %(field)s for a custom range.", field=field.label.text))
                if missing:
                    return False
                try:
                    self.result = periods.custom(self.date_from.data, self.date_to.data)
                except periods.PeriodError as exc:
                    self.date_to.errors.append(_period_error(self.date_to, exc))
                    return False
                return True
            if self.year.data is None:
                self.year.errors.append(_("Give %(field)s.", field=self.year.label.text))
                return False
            if kind == "month":
                self.result = periods.month(self.year.data, self.month.data)
            elif kind == "quarter":
                self.result = periods.quarter(self.year.data, self.quarter.data)
            else:
                self.result = periods.year(self.year.data)
        except periods.PeriodError as exc:
            self.year.errors.append(_period_error(self.year, exc))
            return False
        return True


class NotesForm(KoordiForm):
    include_notes = BooleanField(
        _l("Include notes"), description=_l("Free-text notes are left out of documents unless you tick this.")
    )


class UnitPdfForm(NotesForm):
    date_from = DateField(_l("From"), validators=[InputRequired(message=_l("Give the first day of the period."))])
    date_to = DateField(_l("To"), validators=[InputRequired(message=_l("Give the last day of the period."))])

    def validate_date_to(self, field):
        if self.date_from.data is None or field.data is None:
            return
        try:
            self.period = periods.named(self.date_from.data, field.data)
        except periods.PeriodError as exc:
            raise ValidationError(_period_error(field, exc)) from exc


class SigninPdfForm(NotesForm):
    rows = IntegerField(
        _l("Rows to sign"),
        description=_l("Empty: as many as fit on one page."),
        validators=[Optional(), NumberRange(1, SIGNIN_ROWS_MAX, message=_l("Give 1–200 rows, or leave it empty."))],
    )


# -- the forms other pages show (template globals: app.reports.routes) ------------------------------


def unit_pdf_form() -> UnitPdfForm:
    """The unit page's Print / PDF form: this year so far, unless the page came back with errors."""
    day = clock.today()
    return UnitPdfForm(formdata=None, prefix="print", date_from=dt.date(day.year, 1, 1), date_to=day)


def notes_form() -> NotesForm:
    return NotesForm(formdata=None, prefix="print")


def signin_pdf_form() -> SigninPdfForm:
    return SigninPdfForm(formdata=None, prefix="print")
