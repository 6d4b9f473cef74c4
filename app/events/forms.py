"""The event form (with the optional repeat), the attendance form, and the list's filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Form,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core import recurrence
from app.i18n import format_date
from app.labels.events import ROLE_LABELS, STATUS_LABELS, TYPE_LABELS
from app.web.confirm import YEAR, DateWindow
from app.web.fields import DateField, SelectField, TimeField
from app.web.forms import KoordiForm
from app.web.validators import NoIdentityCode

MAX_PEOPLE = 100_000  # far above any meeting; keeps numbers inside SQLite's integers
MAX_DURATION = 7 * 24 * 60  # a week, in minutes
MAX_ANSWERS = 100_000


def _choices(labels: dict, blank=None) -> list[SelectChoice]:
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(key, label) for key, label in labels.items()]


def whole_number(low: int, high: int):
    def check(form, field):
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(
                _("%(field)s must be a whole number from %(low)s to %(high)s.", field=field.label.text, low=low, high=high)
            )

    return check


def parse_feedback(text: str | None) -> int | None:
    """'4,3' or '4.3' → 430 (hundredths). None when empty. ValueError when not 1–5 with ≤ 2 decimals."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    # The range first: quantize() raises InvalidOperation on 1e308 (more digits than its precision).
    if not value.is_finite() or not 1 <= value <= 5 or value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return int(value * 100)


def format_feedback(centi: int | None) -> str:
    """430 → '4,3' (the form shows the decimal comma the coordinator typed)."""
    if centi is None:
        return ""
    return f"{Decimal(centi) / 100:f}".rstrip("0").rstrip(".").replace(".", ",")


class ChoicesOnly(SelectMultipleField):
    """Checkboxes whose every value must be one of the choices, with a message naming the field."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        known = {str(c[0]) for c in self.choices or ()}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_("%(field)s: one of the choices is unknown. Choose from the list.", field=self.label.text))


def feedback_avg_field() -> StringField:
    # Fields are made by functions, called in each form's body, so that they sit in the
    # form's field order (and its error summary) where the form puts them, not first.
    return StringField(
        _l("Average feedback score (1–5)"),
        description=_l("For example 4,3. Leave empty if there was no feedback."),
        validators=[Length(max=10)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


def feedback_count_field() -> IntegerField:
    return IntegerField(
        _l("Number of feedback answers"),
        validators=[Optional(), whole_number(0, MAX_ANSWERS)],
        render_kw={"min": 0},
    )


class FeedbackMixin:
    """Average score 1–5 (typed '4,3' or '4.3') and the number of answers: the checks of
    the two fields `feedback_avg` and `feedback_count` that a form using it declares."""

    feedback_avg: StringField
    feedback_count: IntegerField

    def validate_feedback_avg(self, field):
        try:
            parse_feedback(field.data)
        except ValueError:
            raise ValidationError(
                _("%(field)s must be a number from 1 to 5 with at most two decimals, e.g. 4,3.", field=field.label.text)
            ) from None

    def check_feedback_pair(self) -> bool:
        try:
            avg = parse_feedback(self.feedback_avg.data)
        except ValueError:
            return True  # already has its own error
        count = self.feedback_count.data
        if avg is not None and not count and not self.feedback_count.errors:
            self.feedback_count.errors = [*self.feedback_count.errors, _("Give the number of answers behind the average.")]
            return False
        if avg is None and count and not self.feedback_avg.errors:
            self.feedback_avg.errors = [*self.feedback_avg.errors, _("Give the average score of these answers.")]
            return False
        return True

    @property
    def feedback_centi(self) -> int | None:
        return parse_feedback(self.feedback_avg.data)


class EventForm(FeedbackMixin, KoordiForm):
    # Events are planned a year at a time, in autumn for the next year.
    date_windows = {"date": DateWindow(ahead=2 * YEAR), "repeat_until": DateWindow(ahead=2 * YEAR)}

    type = SelectField(_l("Type"), choices=_choices(TYPE_LABELS, _l("Choose…")), validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), NoIdentityCode()])
    theme = StringField(
        _l("Theme"),
        description=_l("Events with the same theme share a row in the annual plan."),
        validators=[Length(max=200), NoIdentityCode()],
    )
    date = DateField(_l("Date"), validators=[InputRequired()])
    start_time = TimeField(
        _l("Start time"),
        description=_l("Leave empty for an all-day event."),
        format=["%H:%M", "%H:%M:%S"],
        validators=[Optional()],
    )
    duration_minutes = IntegerField(
        _l("Duration in minutes"),
        default=60,
        validators=[InputRequired(), whole_number(1, MAX_DURATION)],
        render_kw={"min": 1},
    )
    place = StringField(_l("Place"), validators=[Length(max=200), NoIdentityCode()])
    remote = BooleanField(_l("Remote meeting (Teams)"))
    status = SelectField(_l("Status"), choices=_choices(STATUS_LABELS), default="planned", validators=[InputRequired()])
    feedback_avg = feedback_avg_field()
    feedback_count = feedback_count_field()
    units = ChoicesOnly(_l("Units it concerns"), choices=[])
    methods = ChoicesOnly(_l("Methods it concerns"), choices=[])
    notes = TextAreaField(
        _l("Notes"),
        description=_l("Stay in Koordi: never in calendar files. About the event only: no client details."),
        validators=[Length(max=5000), NoIdentityCode()],
    )
    # Only on a new event: a series made in one go.
    repeat_weeks = IntegerField(
        _l("Repeat every … weeks"),
        description=_l("Leave empty for a single event."),
        validators=[Optional(), whole_number(1, recurrence.MAX_INTERVAL_WEEKS)],
        render_kw={"min": 1},
    )
    repeat_until = DateField(_l("Repeat until"), validators=[Optional()])
    repeat_count = IntegerField(
        _l("Or number of events in all"),
        validators=[Optional(), whole_number(1, recurrence.MAX_OCCURRENCES)],
        render_kw={"min": 1},
    )

    def __init__(self, *args, repeat: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not repeat:
            del self.repeat_weeks, self.repeat_until, self.repeat_count
        self.series_dates: list[dt.date] = []

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = self.check_feedback_pair() and ok
        if "repeat_weeks" in self._fields:
            ok = self._check_series() and ok
        return ok

    def _check_series(self) -> bool:
        weeks, until, count = self.repeat_weeks.data, self.repeat_until.data, self.repeat_count.data
        if self.repeat_weeks.errors or self.repeat_until.errors or self.repeat_count.errors:
            return False
        if weeks is None:
            if until is not None or count is not None:
                self.repeat_weeks.errors = [_("Say how many weeks apart the events of the series are.")]
                return False
            return True
        if self.date.data is None:
            return False  # the date has its own error
        try:
            self.series_dates = recurrence.weekly_dates(self.date.data, weeks, until=until, count=count)
        except recurrence.RecurrenceError as exc:
            self._series_error(exc)
            return False
        return True

    def _series_error(self, exc: recurrence.RecurrenceError) -> None:
        R = recurrence.RecurrenceError
        if exc.reason == R.NO_END:
            self.repeat_until.errors = [_("Give the end date of the series, or the number of events.")]
        elif exc.reason == R.BOTH_ENDS:
            self.repeat_count.errors = [_("Give either the end date or the number of events, not both.")]
        elif exc.reason == R.UNTIL_BEFORE_START:
            self.repeat_until.errors = [
                _("The series cannot end before its first event on %(date)s.", date=format_date(self.date.data))
            ]
        elif exc.reason == R.TOO_MANY:
            target = self.repeat_count if self.repeat_count.data is not None else self.repeat_until
            target.errors = [
                _(
                    "That would make %(count)s events; a series can have at most %(max)s. "
                    "Choose an earlier end date or fewer events.",
                    count=exc.occurrences,
                    max=recurrence.MAX_OCCURRENCES,
                )
            ]
        else:
            self.repeat_weeks.errors = [_("Check how often the series repeats.")]


class AttendanceBase(FeedbackMixin, KoordiForm):
    """Per concerned unit, three counts, then the feedback: the fields are added per event
    by attendance_form(), in that order."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return self.check_feedback_pair() and ok


ROLES = tuple(ROLE_LABELS)


def count_field_name(unit_id: str, role: str) -> str:
    return f"u{unit_id.replace('-', '')}_{role}"


def attendance_form(units, formdata=None, **kwargs) -> AttendanceBase:
    """A form with one row per unit (`units`: [(unit_id, unit_name)]): professionals, supervisors, others."""

    class AttendanceForm(AttendanceBase):
        pass

    for unit_id, unit_name in units:
        for role in ROLES:
            # gettext, not lazy_gettext: a lazy string counts as safe markup (__html__), so a unit
            # named "<meta …>" would have been written into the page unescaped.
            label = _("%(role)s, %(unit)s", role=ROLE_LABELS[role], unit=unit_name)
            setattr(
                AttendanceForm,
                count_field_name(unit_id, role),
                IntegerField(label, validators=[Optional(), whole_number(0, MAX_PEOPLE)], render_kw={"min": 0}),
            )
    AttendanceForm.feedback_avg = feedback_avg_field()
    AttendanceForm.feedback_count = feedback_count_field()
    return AttendanceForm(formdata=formdata, **kwargs) if formdata is not None else AttendanceForm(**kwargs)


class EventFilterForm(Form):
    """GET filters of the list: no CSRF (nothing is written), values from the query string."""

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    # Unknown values are ignored rather than refused: a stale bookmark still opens the list.
    type = SelectField(_l("Type"), choices=_choices(TYPE_LABELS, _l("All")), default="", validate_choice=False)
    status = SelectField(_l("Status"), choices=_choices(STATUS_LABELS, _l("All")), default="", validate_choice=False)
    unit = SelectField(_l("Unit"), choices=[], default="", validate_choice=False)
    method = SelectField(_l("Method"), choices=[], default="", validate_choice=False)
    q = StringField(_l("Search title or theme"), validators=[Length(max=200)])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("%(field)s cannot be before the start of the range.", field=field.label.text))
