"""The method form and the catalogue's filter form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from app.labels.methods import TARGET_GROUP_LABELS
from app.web.fields import SelectField
from app.web.forms import KoordiForm
from app.web.validators import NoIdentityCode


class MethodForm(KoordiForm):
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
    target_group = RadioField(
        _l("Target group"),
        choices=[SelectChoice(k, v) for k, v in TARGET_GROUP_LABELS.items()],
        validators=[InputRequired()],
    )
    description = TextAreaField(_l("Short description"), validators=[Length(max=2000), NoIdentityCode()])


class MethodFilterForm(Form):
    """GET filters of the catalogue: no CSRF (nothing is written)."""

    target_group = SelectField(
        _l("Target group"), choices=[SelectChoice("", _l("All"))] + [SelectChoice(k, v) for k, v in TARGET_GROUP_LABELS.items()]
    )
    retired = BooleanField(_l("Show retired methods"))
