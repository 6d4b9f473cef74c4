"""The office settings' forms: the reporting period and deadline, and the expected roster."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.central import completeness as C
from app.web.fields import DateField  # typed 5.3.2026, never the web engine's date picker
from app.web.forms import KoordiForm


class PeriodForm(KoordiForm):
    period = RadioField(
        _l("Reporting period"),
        choices=[SelectChoice(C.MONTH, _l("Monthly")), SelectChoice(C.QUARTER, _l("Quarterly"))],
        validators=[InputRequired(message=_l("Choose the reporting period."))],
    )
    deadline_days = IntegerField(
        _l("Deadline (days after the period's end)"),
        description=_l("A file made on the deadline day is on time. 14 by default."),
        validators=[
            InputRequired(message=_l("Give the number of days.")),
            NumberRange(0, C.MAX_DEADLINE_DAYS, message=_l("Give a number from 0 to 120.")),
        ],
    )


class _Dates:
    def validate_left_on(self, field):
        start = self.expected_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_("The day they left cannot be before they were expected."))


class ExpectedForm(_Dates, KoordiForm):
    """A coordinator expected in a county who has not sent a file yet (added by hand)."""

    name = StringField(
        _l("Name"),
        description=_l("The coordinator's name, or e.g. \u201cKainuu's coordinator\u201d until it is known."),
        validators=[InputRequired(message=_l("Give a name.")), Length(max=120)],
    )
    county = SelectField(_l("County"), validators=[InputRequired(message=_l("Choose the county."))])
    expected_from = DateField(
        _l("Expected from"),
        description=_l("A day of the first period they should report."),
        validators=[InputRequired(message=_l("Give the day they are expected from."))],
    )
    left_on = DateField(
        _l("Left on"),
        description=_l("Empty: still there. Periods that end after this day are not expected of them."),
        validators=[Optional()],
    )


class CoordinatorForm(_Dates, KoordiForm):
    """What the office says of a coordinator seen in files."""

    expected_from = DateField(
        _l("Expected from"),
        description=_l("Empty: from the period of their first file."),
        validators=[Optional()],
    )
    left_on = DateField(
        _l("Left on"),
        description=_l("Empty: still there. Periods that end after this day are not expected of them."),
        validators=[Optional()],
    )


class LinkForm(KoordiForm):
    """An expected coordinator has sent: their roster row becomes that coordinator's."""

    coordinator = SelectField(
        _l("Coordinator whose files have come"), validators=[InputRequired(message=_l("Choose the coordinator."))]
    )


class DeleteForm(KoordiForm):
    """Only the CSRF token."""
