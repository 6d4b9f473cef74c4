"""The goal form, the "add update" form and the list's filter form."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.core import clock
from app.labels.goals import STATUS_LABELS
from app.labels.indicators import DIRECTION_LABELS
from app.models import Indicator
from app.web.confirm import YEAR, DateWindow
from app.web.fields import DateField, SelectField
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
    if field.data is not None and field.data > clock.today():
        raise ValidationError(_("%(field)s cannot be in the future.", field=field.label.text))


class GoalForm(KoordiForm):
    date_windows = {"target_date": DateWindow(ahead=5 * YEAR), "counted_from": DateWindow()}

    title = StringField(_l("Goal"), validators=[InputRequired(), Length(max=200), NoIdentityCode()])
    unit_id = SelectField(_l("Unit"), validate_choice=True)
    method_id = SelectField(_l("Method"), validate_choice=True)
    metric = StringField(
        _l("Metric"),
        description=_l("What is counted, e.g. professionals trained or treatments started."),
        validators=[Length(max=120), NoIdentityCode()],
    )
    indicator_id = SelectField(
        _l("Indicator"),
        description=_l("Optional. With an indicator, progress comes from its monthly figures instead of dated updates."),
        validate_choice=True,
        default="",  # not sent (a form of an older page): a free-text goal
    )
    days = IntegerField(
        _l("Within days"),
        description=_l("For a share started within a number of days: the goal's days, e.g. 28."),
        validators=[Optional(), NumberRange(1, 365)],
    )
    counted_from = DateField(
        _l("Counted from"),
        description=_l("For an indicator whose months add up: the first month summed. Empty: the month the goal was made in."),
        validators=[Optional()],
    )
    direction = RadioField(
        _l("Which way is better"),
        description=_l("A goal on an indicator follows the indicator's own direction."),
        choices=[SelectChoice(k, v) for k, v in DIRECTION_LABELS.items()],
        default="higher",
        validators=[Optional()],  # not sent (a form of an older page): higher, as every goal was
    )
    target_value = IntegerField(_l("Target value"), validators=[InputRequired(), whole_number(1)], render_kw={"min": 1})
    target_date = DateField(_l("Target date"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=_status_choices(), default="open", validators=[InputRequired()])
    notes = TextAreaField(
        _l("Notes"),
        description=_l("Who agreed on the goal, and how it is followed. No client details."),
        validators=[Length(max=5000), NoIdentityCode()],
    )

    def set_choices(
        self,
        units: list[tuple[str, str]],
        methods: list[tuple[str, str]],
        indicators: list[tuple[str, str]] | None = None,
        rules: dict[str, Indicator] | None = None,
    ) -> None:
        self.unit_id.choices = [SelectChoice("", _("No unit"))] + [SelectChoice(i, n) for i, n in units]
        self.method_id.choices = [SelectChoice("", _("No method"))] + [SelectChoice(i, n) for i, n in methods]
        self.indicator_id.choices = [SelectChoice("", _("No indicator: dated updates"))] + [
            SelectChoice(i, n) for i, n in indicators or []
        ]
        self.rules = rules or {}

    @property
    def indicator(self) -> Indicator | None:
        """The chosen indicator (None: a free-text goal)."""
        return getattr(self, "rules", {}).get(self.indicator_id.data or "")

    def validate_unit_id(self, field):
        # A goal is agreed for a unit, a method, or a method in a unit: never for nothing.
        if not field.data and not self.method_id.data:
            raise ValidationError(_("Choose a unit, a method or both."))

    def validate_indicator_id(self, field):
        indicator = self.indicator
        if indicator is None or indicator.additive or indicator.measure != "days":
            return
        # A median of medians is no median (app.core.indicator_progress): one unit's figure, and one
        # method's when the indicator is reported per method.
        if not self.unit_id.data:
            raise ValidationError(_("A median is never combined across units: choose the unit this goal is for."))
        if indicator.per_method and not self.method_id.data:
            raise ValidationError(_("A median is never combined across methods: choose the method too."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        indicator = self.indicator
        # Checked here: Optional() stops an empty field's own inline check.
        if indicator is not None and indicator.takes_days and self.days.data is None:
            self.days.errors = [_("Give the number of days the share is counted within, e.g. 28.")]
            ok = False
        return ok


class GoalUpdateForm(KoordiForm):
    date_windows = {"date": DateWindow()}

    date = DateField(_l("Date"), validators=[InputRequired(), not_in_future], default=lambda: clock.today())
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
