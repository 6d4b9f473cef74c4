"""Forms of the results page and the schedule: the page's GET filters, and "not done, because…"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.surveys.schedule_ops import REASON_MAX
from app.web.fields import SelectField
from app.web.forms import KoordiForm
from app.web.validators import NoIdentityCode


class ResultsFilterForm(Form):
    """GET filters: no CSRF (nothing is written). Unknown values are ignored, not refused: a stale
    bookmark still opens the page."""

    method = SelectField(_l("Method"), choices=[], default="", validate_choice=False)
    unit = SelectField(_l("Unit"), choices=[], default="", validate_choice=False)
    instrument = SelectField(_l("Instrument"), choices=[], default="", validate_choice=False)
    year = SelectField(_l("Year"), choices=[], default="", validate_choice=False)


class SkipForm(KoordiForm):
    due_key = HiddenField()
    next = HiddenField()
    reason = TextAreaField(
        _l("Not done, because…"),
        description=_l("Closes the due round. The reason is kept with the deployment and travels in the export."),
        validators=[InputRequired(), Length(max=REASON_MAX), NoIdentityCode()],
    )
