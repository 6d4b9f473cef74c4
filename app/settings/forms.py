from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.core.geography import counties_by_area
from app.core.phase_metrics import STALL_MONTHS_MAX, STALL_MONTHS_MIN
from app.core.survey_schedule import months_ok as survey_months_ok
from app.labels.settings import ROLE_LABELS
from app.queries.dashboard import NO_CONTACT_WEEKS_MAX, NO_CONTACT_WEEKS_MIN
from app.web.fields import SelectField
from app.web.forms import KoordiForm
from app.web.validators import Email, NoIdentityCode


def county_choices(lang: str) -> list[SelectChoice]:
    """Counties grouped by cooperation area (<optgroup>), in the UI language."""
    return [
        SelectChoice(c.key, c.name(lang), optgroup=area.sv if lang == "sv" else area.fi)
        for area, counties in counties_by_area()
        for c in counties
    ]


class ProfileForm(KoordiForm):
    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=120), NoIdentityCode()])
    role = RadioField(_l("Role"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()], validators=[InputRequired()])
    county = SelectField(_l("Wellbeing services county"), validators=[InputRequired()])
    central_office_email = StringField(
        _l("Central office email address"),
        description=_l("Exports you send to the central office are addressed here."),
        validators=[InputRequired(), Length(max=254), Email()],
    )


class FileSettingsForm(KoordiForm):
    save_mode = RadioField(
        _l("When Koordi makes a file"),
        choices=[
            SelectChoice("ask", _l("Ask where to save it")),
            SelectChoice("folder", _l("Save it in the folder below without asking")),
        ],
        validators=[InputRequired()],
    )
    folder = StringField(_l("Folder for files"), validators=[InputRequired(), Length(max=500), NoIdentityCode()])


class DashboardSettingsForm(KoordiForm):
    no_contact_weeks = IntegerField(
        _l("Weeks without contact"),
        description=_l("The dashboard lists units that have had no event and no method guidance in this many weeks (1–52)."),
        validators=[InputRequired(), NumberRange(min=NO_CONTACT_WEEKS_MIN, max=NO_CONTACT_WEEKS_MAX)],
        render_kw={"min": NO_CONTACT_WEEKS_MIN, "max": NO_CONTACT_WEEKS_MAX},
    )
    # Follow-up surveys (issue 12): the months the county's NoMAD rounds fall due in.
    nomad_months = StringField(
        _l("NoMAD months"),
        description=_l(
            "The month numbers in which NoMAD survey rounds fall due, separated by commas: 6, 10 is June "
            "and October. Leave empty for no NoMAD rounds."
        ),
        validators=[Length(max=40)],
    )

    # Phase-history metrics (issue 13): months in one phase before a deployment counts as stalled.
    stall_months = IntegerField(
        _l("Months before a deployment counts as stalled"),
        description=_l(
            "A deployment that has been in the same phase (other than embedded or ended) for longer than this "
            "many months is listed as stalled on the deployments, method and unit pages and in the period report "
            "(1–60; empty: 6)."
        ),
        # Empty is the default (6 months), so a post without the field changes nothing else.
        validators=[
            Optional(),
            NumberRange(min=STALL_MONTHS_MIN, max=STALL_MONTHS_MAX, message=_l("Give the number of months, from 1 to 60.")),
        ],
        render_kw={"min": STALL_MONTHS_MIN, "max": STALL_MONTHS_MAX},
    )

    def validate_nomad_months(self, field):
        if not survey_months_ok(field.data or ""):
            raise ValidationError(_("Give month numbers from 1 to 12 separated by commas, for example 6, 10."))
