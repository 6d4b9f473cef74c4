"""The indicator form, the catalogue's filter, and the grid's choices (which month, method or unit,
and the "within N days")."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.labels.indicators import DIRECTION_LABELS, MEASURE_LABELS
from app.web.fields import SelectField
from app.web.forms import KoordiForm
from app.web.validators import NoIdentityCode

MAX_DAYS_PARAMETER = 365  # "started within N days": the therapy guarantee's 28, seed 004's 13


class IndicatorForm(KoordiForm):
    name_fi = StringField(_l("Name in Finnish"), validators=[DataRequired(), Length(max=200), NoIdentityCode()])
    name_sv = StringField(
        _l("Name in Swedish"),
        description=_l("Leave empty to show the Finnish name."),
        validators=[Length(max=200), NoIdentityCode()],
    )
    name_en = StringField(
        _l("Name in English"),
        description=_l("Leave empty to show the Finnish name."),
        validators=[Length(max=200), NoIdentityCode()],
    )
    description = TextAreaField(
        _l("Short description"),
        description=_l("How the figure is counted, and where it comes from."),
        validators=[Length(max=2000), NoIdentityCode()],
    )
    measure = RadioField(
        _l("Unit of the figure"),
        choices=[SelectChoice(k, v) for k, v in MEASURE_LABELS.items()],
        default="count",
        validators=[InputRequired()],
    )
    direction = RadioField(
        _l("Which way is better"),
        choices=[SelectChoice(k, v) for k, v in DIRECTION_LABELS.items()],
        default="higher",
        validators=[InputRequired()],
    )
    additive = BooleanField(
        _l("Months add up"),
        description=_l(
            "For counts of what happened in the month (treatments started). Not for a count at the month's end "
            "(a waiting list), a time or a share: those are never summed over months."
        ),
        default=True,
    )
    per_method = BooleanField(_l("Reported per method"), description=_l("Else per unit as a whole."), default=True)
    takes_days = BooleanField(
        _l("A share within a number of days"),
        description=_l("The figure is given with its number of days, e.g. started within 28 days (shares only)."),
    )


class IndicatorFilterForm(Form):
    """GET filter of the catalogue: no CSRF (nothing is written)."""

    retired = BooleanField(_l("Show retired indicators"))


class GridFilterForm(Form):
    """GET choices of the grid: which table (a method's units, or a unit's methods), the last month
    shown, and the "within N days" of a share. Unknown values are ignored, never an error page."""

    month = SelectField(_l("Last month shown"), validators=[Optional()])
    method = SelectField(_l("Method"), validators=[Optional()])
    # One unit's methods: reached from a unit's name in the units' table (a select of every unit
    # was most of the page's time at 500 units); kept in the form as a hidden field.
    unit = StringField(validators=[Optional()])
    days = IntegerField(_l("Within days"), validators=[Optional(), NumberRange(1, MAX_DAYS_PARAMETER)])

    def set_choices(self, months: list[tuple[str, str]], methods: list[tuple[str, str]]) -> None:
        self.month.choices = [SelectChoice(k, n) for k, n in months]
        self.method.choices = [SelectChoice(i, n) for i, n in methods]


class GridSaveForm(KoordiForm):
    """The grid's POST: only the CSRF token is a field; the cells are read by name (c-…, n-…)."""
