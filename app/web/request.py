"""StrictRequest: the request class of the app. It refuses (400) a urlencoded body that is not
UTF-8: Werkzeug would keep `%FF%FE` as that literal text and the record would store it.

A module of its own, not beside the forms (app.web.forms): every request needs it, while the
forms and their checks wait for the first page that has a form (issue 17)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Request
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser


class _StrictFormDataParser(FormDataParser):
    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        try:
            items = parse_qsl(stream.read().decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise BadRequest() from None
        return stream, self.cls(items), self.cls()


class StrictRequest(Request):
    form_data_parser_class = _StrictFormDataParser
