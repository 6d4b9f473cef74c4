"""The central-office summary's form: a merged database and a span of dates."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.web.fields import DateField
from app.web.forms import KoordiForm


def _unquote(value: str | None) -> str | None:
    """Windows Explorer's "Copy as path" gives "C:\\...\\keskus.sqlite3" with the quotes."""
    return value.strip().strip('"').strip() if isinstance(value, str) else value


class CentralPdfForm(KoordiForm):
    """The central-office summary of a merged database (`koordi merge --into`), for a span of dates."""

    database = StringField(
        _l("Merged database"),
        description=_l(
            "The file koordi merge made (e.g. C:\\Keskus\\kansallinen.sqlite3), or a PostgreSQL address "
            "postgresql://user@host/database."
        ),
        filters=[_unquote],
        validators=[InputRequired(message=_l("Give the merged database.")), Length(max=2000)],
    )
    date_from = DateField(_l("From"), description=_l("Empty: from the first merged day."), validators=[Optional()])
    date_to = DateField(_l("To"), description=_l("Empty: up to the last merged day."), validators=[Optional()])

    def validate_date_to(self, field):
        if self.date_from.data and field.data and field.data < self.date_from.data:
            raise ValidationError(_("%(field)s cannot be before the start of the period.", field=field.label.text))
