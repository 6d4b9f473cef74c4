"""The unit form and the list's filter form."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Form, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.labels.units import AGE_GROUP_LABELS, SERVICE_LINE_LABELS, STATUS_LABELS
from app.web.fields import SelectField
from app.web.forms import KoordiForm
from app.web.validators import Email, NoIdentityCode

MAX_PROFESSIONALS = 100_000  # far above any unit; keeps the number inside SQLite's integers


def _choices(labels: dict, blank=None) -> list[SelectChoice]:
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(key, label) for key, label in labels.items()]


def count_of_people(form, field):
    """A whole number 0..MAX_PROFESSIONALS; an unparsable entry already has its own error."""
    if field.data is not None and not 0 <= field.data <= MAX_PROFESSIONALS:
        raise ValidationError(
            _("%(field)s must be a whole number from 0 to %(max)s.", field=field.label.text, max=MAX_PROFESSIONALS)
        )


class UnitForm(KoordiForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), NoIdentityCode()])
    service_line = SelectField(
        _l("Service line"), choices=_choices(SERVICE_LINE_LABELS, _l("Choose…")), validators=[InputRequired()]
    )
    age_group = RadioField(_l("Age group served"), choices=_choices(AGE_GROUP_LABELS), validators=[InputRequired()])
    municipality = StringField(_l("Municipality"), validators=[Length(max=100), NoIdentityCode()])
    supervisor_name = StringField(
        _l("Supervisor's name"),
        description=_l("Personal data: shown only on the unit's page and in this form."),
        validators=[Length(max=120), NoIdentityCode()],
    )
    supervisor_email = EmailField(_l("Supervisor's work email"), validators=[Length(max=254), Email()])
    professionals = IntegerField(_l("Number of professionals"), validators=[Optional(), count_of_people], render_kw={"min": 0})
    status = RadioField(_l("Status"), choices=_choices(STATUS_LABELS), default="active", validators=[InputRequired()])
    notes = TextAreaField(
        _l("Notes"),
        description=_l("About the unit's work only: no client details."),
        validators=[Length(max=5000), NoIdentityCode()],
    )


class UnitFilterForm(Form):
    """GET filters of the list: no CSRF (nothing is written), values from the query string."""

    q = StringField(_l("Search by name or municipality"), validators=[Length(max=200)])
    service_line = SelectField(_l("Service line"), choices=_choices(SERVICE_LINE_LABELS, _l("All")))
    age_group = SelectField(_l("Age group served"), choices=_choices(AGE_GROUP_LABELS, _l("All")))
    status = SelectField(_l("Status"), choices=_choices(STATUS_LABELS, _l("All")))
