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

StrictRequest refuses (400) a urlencoded body that is not UTF-8: Werkzeug would keep
`%FF%FE` as that literal text and the record would store it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from flask import Request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser
from wtforms import StringField
from wtforms.validators import ValidationError

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
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        extra = {name: [*(extra_validators or {}).get(name, ()), readable] for name in self._fields}
        return super().validate(extra)


class _StrictFormDataParser(FormDataParser):
    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        try:
            items = parse_qsl(stream.read().decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise BadRequest() from None
        return stream, self.cls(items), self.cls()


class StrictRequest(Request):
    form_data_parser_class = _StrictFormDataParser
