"""The goal form, the "add update" form and the list's filter form."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.core.clock import today
from app.labels.goals import STATUS_LABELS
from app.web.fields import SelectField
from app.web.forms import KoordiForm
from app.web.validators import NoIdentityCode

MAX_VALUE = 1_000_000_000  # far above any count a goal tracks; keeps values inside SQLite's integers


def _status_choices(blank=None) -> list[SelectChoice]:
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(key, label) for key, label in STATUS_LABELS.items()]


def whole_number(minimum: int):
    def check(form, field):
        if field.data is not None and not minimum <= field.data <= MAX_VALUE:
            raise ValidationError(
                _(
                    "%(field)s must be a whole number from %(min)s to %(max)s.",
                    field=field.label.text,
                    min=minimum,
                    max=MAX_VALUE,
                )
            )

    return check


def not_in_future(form, field):
    if field.data is not None and field.data > today():
        raise ValidationError(_("%(field)s cannot be in the future.", field=field.label.text))


class GoalForm(KoordiForm):
    title = StringField(_l("Goal"), validators=[InputRequired(), Length(max=200), NoIdentityCode()])
    unit_id = SelectField(_l("Unit"), validate_choice=True)
    method_id = SelectField(_l("Method"), validate_choice=True)
    metric = StringField(
        _l("Metric"),
        description=_l("What is counted, e.g. professionals trained or treatments started."),
        validators=[Length(max=120), NoIdentityCode()],
    )
    target_value = IntegerField(_l("Target value"), validators=[InputRequired(), whole_number(1)], render_kw={"min": 1})
    target_date = DateField(_l("Target date"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=_status_choices(), default="open", validators=[InputRequired()])
    notes = TextAreaField(
        _l("Notes"),
        description=_l("Who agreed on the goal, and how it is followed. No client details."),
        validators=[Length(max=5000), NoIdentityCode()],
    )

    def set_choices(self, units: list[tuple[str, str]], methods: list[tuple[str, str]]) -> None:
        self.unit_id.choices = [SelectChoice("", _("No unit"))] + [SelectChoice(i, n) for i, n in units]
        self.method_id.choices = [SelectChoice("", _("No method"))] + [SelectChoice(i, n) for i, n in methods]

    def validate_unit_id(self, field):
        # A goal is agreed for a unit, a method, or a method in a unit: never for nothing.
        if not field.data and not self.method_id.data:
            raise ValidationError(_("Choose a unit, a method or both."))


class GoalUpdateForm(KoordiForm):
    date = DateField(_l("Date"), validators=[InputRequired(), not_in_future], default=today)
    value = IntegerField(
        _l("Value"),
        description=_l("The metric's value on that day, e.g. the number trained so far."),
        validators=[InputRequired(), whole_number(0)],
        render_kw={"min": 0},
    )
    note = StringField(_l("Note"), validators=[Length(max=1000), NoIdentityCode()])


class GoalFilterForm(Form):
    """GET filters of the list: no CSRF (nothing is written), values from the query string."""

    status = SelectField(_l("Status"), choices=_status_choices(_l("All")))
    unit = SelectField(_l("Unit"))
    method = SelectField(_l("Method"))
    due_before = DateField(_l("Due by"), validators=[Optional()])

    def set_choices(self, units: list[tuple[str, str]], methods: list[tuple[str, str]]) -> None:
        self.unit.choices = [SelectChoice("", _("All"))] + [SelectChoice(i, n) for i, n in units]
        self.method.choices = [SelectChoice("", _("All"))] + [SelectChoice(i, n) for i, n in methods]
