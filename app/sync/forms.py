"""The forms of the sync page: send to the central office, keep a copy, import a file."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from app import i18n
from app.web.forms import KoordiForm
from app.web.i18n import current_language


class SendForm(KoordiForm):
    include_notes = BooleanField(
        _l("Include notes"),
        description=_l(
            "Your free-text notes, topics and descriptions go to the central office too. "
            "Leave this unticked unless the central office has asked for them."
        ),
    )
    include_names = BooleanField(
        _l("Include names"),
        description=_l(
            "The names and email addresses of trainees and unit supervisors go to the central office "
            "too. Without them the central office sees only figures."
        ),
    )
    full = BooleanField(
        _l("Send everything again"),
        description=_l(
            "All your data, not only the changes. Use this if the central office asks for it, "
            "or if an earlier email was not sent."
        ),
    )
    complete = BooleanField(
        _l("Everything through last month is entered"),
        description=_l(
            "Tick this when your records of last month and before are complete: the central office "
            "then counts that month as reported."
        ),
    )
    lang = SelectField(
        _l("Language of the email"),
        choices=[SelectChoice(code, i18n.LANGUAGE_NAMES[code]) for code in i18n.LANGUAGES],
        validators=[InputRequired()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The month a tick declares complete: the one before today's (manifest complete_through).
        first = i18n.today().replace(day=1) - dt.timedelta(days=1)
        self.complete_month = f"{first:%Y-%m}"
        self.complete.label.text = _(
            "Everything through %(month)s is entered", month=i18n.format_month(first.year, first.month, current_language())
        )


class CopyForm(KoordiForm):
    """Only the CSRF token: a copy always holds everything."""


class ImportForm(KoordiForm):
    file = FileField(
        _l("Koordi file (.zip)"),
        description=_l("The zip file that Koordi made, for example koordi_lansi-uusimaa_essi-esimerkki_20261201-1405.zip."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The server cuts a larger upload off before reading it (app.server), so the page
        # could not say why: koordi.js says it before sending (the form's own fields fit in 64 KB).
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        self.file.render_kw = {
            "data-max-bytes": limit - 64 * 1024,
            "data-too-large": _(
                "The file is larger than %(limit)s MB; a Koordi file is far smaller. Check that you picked the right file.",
                limit=limit // (1024 * 1024),
            ),
        }

    def validate_file(self, field):
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError(_("Choose the file to import."))
