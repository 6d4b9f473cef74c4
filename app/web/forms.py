"""What every form receives: trimmed, readable text. The one place it is decided.

KoordiForm is the base of every form that writes (never FlaskForm directly):
- surrounding whitespace (any Unicode space: no-break space, tab, ideographic space…,
  and the invisible zero-width space, word joiner and byte order mark) is removed from
  every posted value before a field sees it. So a required field given only spaces is
  refused as empty ("required"), instead of passing the check and being stored as '',
  which the importer then refuses (a required cell may not be empty): whatever a form
  accepts, an export carries and an import accepts;
- a text field missing from the post holds '' (the export's text columns are never
  NULL), not None;
- a value holding control characters (NUL…), lone surrogates or U+FFFD (what a
  multipart body's invalid UTF-8 becomes) gets a message at its field: no person types
  them, and PDFs and other programs reading the export choke on them.

The request's own check of a body's encoding is app.web.request's.
"""

from __future__ import annotations

import re
from typing import ClassVar

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DecimalField, FloatField, IntegerField, StringField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import TextInput

from app.web.confirm import DateWindow, FormWarning, confirmed_keys, date_warning
from app.web.messages import parse_message
from app.web.validators import MaxChars

# str.strip()'s whitespace (what the importer's "required" check strips too), plus the
# invisible characters a paste brings along.
INVISIBLE = "\u200b\u2060\ufeff"
UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ufffe\uffff]")


def trim(value: str) -> str:
    """The text without what surrounds it invisibly ('\\xa0 Työpaja\\t' -> 'Työpaja')."""
    previous = None
    while previous != value:  # "\u200b \u200b" needs both strips, in turn
        previous, value = value, value.strip().strip(INVISIBLE)
    return value


def _trimmed(formdata):
    if formdata is None:
        return None
    out = MultiDict()
    for key, value in formdata.items(multi=True):
        out.add(key, trim(value) if isinstance(value, str) else value)
    return out


def _text_or_empty(value):
    return "" if value is None else value


def readable(form, field) -> None:
    for value in field.raw_data or ():
        if isinstance(value, str) and UNREADABLE.search(value):
            raise ValidationError(
                _(
                    "%(field)s contains characters that cannot be saved (control characters or text that "
                    "was not UTF-8). Type the text again.",
                    field=field.label.text,
                )
            )


class KoordiForm(FlaskForm):
    class Meta:
        def wrap_formdata(self, form, formdata):
            return _trimmed(FlaskForm.Meta.wrap_formdata(self, form, formdata))

        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, StringField):
                filters = (_text_or_empty, *unbound_field.kwargs.get("filters", ()))
                options = {**options, "filters": filters}
            return unbound_field.bind(form=form, **options, **_as_typed(unbound_field))

    # A form's date fields and how far ahead each may be without a question (app.web.confirm).
    date_windows: ClassVar[dict[str, DateWindow]] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.warnings: list[FormWarning] = []  # what "Save anyway" would confirm

    def validate(self, extra_validators=None) -> bool:
        self.warnings = []
        extra = {name: [*(extra_validators or {}).get(name, ()), readable] for name in self._fields}
        ok = super().validate(extra)
        for field in self:
            _reword_parse_errors(field)
        for name, window in self.date_windows.items():
            field = self._fields.get(name)
            question = date_warning(field, window) if field is not None and not field.errors else None
            if question and self.confirm_first(field, f"date-{name}", question):
                ok = False
        return ok

    def confirm_first(self, field, key: str, message: str, link: str = "", link_text: str = "") -> bool:
        """True when the user has yet to confirm this warning: it is then shown at `field`
        with a "Save anyway" button, and the caller saves nothing. False once confirmed."""
        if key in confirmed_keys():
            return False
        self.warnings.append(FormWarning(key, field.name, message, link, link_text))
        field.warnings = [*getattr(field, "warnings", ()), message]
        return True


def _as_typed(unbound_field) -> dict:
    """Number fields are text inputs, read by the server; length limits say what was typed.

    A type="number" input posts "" for text it cannot read ("kaksitoista", "1 000"), so the
    field was saved empty without a word; as text (with the numeric keyboard hint) the
    server sees what was typed and says what to type instead. A maxlength attribute cut a
    pasted name off silently: MaxChars refuses it at the field instead, saying by how much.
    """
    kwargs = unbound_field.kwargs
    out: dict = {}
    if issubclass(unbound_field.field_class, (IntegerField, DecimalField, FloatField)):
        decimal = not issubclass(unbound_field.field_class, IntegerField)
        render_kw = {k: v for k, v in (kwargs.get("render_kw") or {}).items() if k not in ("min", "max", "step")}
        render_kw.setdefault("inputmode", "decimal" if decimal else "numeric")
        out.update(widget=TextInput(), render_kw=render_kw)
    validators = kwargs.get("validators")
    if validators and any(_plain_max_length(v) for v in validators):
        out["validators"] = [MaxChars(v.max) if _plain_max_length(v) else v for v in validators]
    return out


def _plain_max_length(validator) -> bool:
    return type(validator) is Length and validator.max >= 0 and validator.min <= 0 and validator.message is None


def _reword_parse_errors(field) -> None:
    """WTForms' "Not a valid integer value." becomes a message naming the field and saying what
    to type; the range checks that then failed on the missing value are dropped. (An empty
    optional field's parse error was already cleared by Optional(): it stays cleared.)"""
    survived = [e for e in field.process_errors if e in field.errors]
    reworded = [m for m in (parse_message(field, e) for e in survived) if m]
    if reworded:
        field.errors = reworded
