"""What every form does with the text it is given (app.web.forms): trimmed before any check, so
blank-looking text in a required field is refused as missing and nothing is saved; characters
no one types (NUL, what invalid UTF-8 becomes) refused at the field; a body that is not UTF-8
refused whole. And the settings folder, a free-text field too, refuses identity codes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text as sqltext

from app.core import hetu
from app.models import Event, Goal, Method, Trainee, Unit
from tests.common import db, text
from tests.test_bad_input import BY_NAME, data_dir, en, field_error, fill, post, prepared, profiled, records, snapshot  # noqa: F401  (fixtures)

# Blank to a reader: nothing, spaces, a no-break space, a tab, an ideographic space, an em
# space with a zero-width space, line breaks.
BLANKS = ["", "   ", "\u00a0", "\t", "\u3000", "\u2003\u200b", "\r\n"]
REQUIRED = [
    ("unit new", "name"),
    ("method new", "name_fi"),
    ("event new", "title"),
    ("trainee new", "name"),
    ("goal new", "title"),
    ("goal edit", "title"),
    ("profile", "name"),
]


@pytest.mark.parametrize(("case_name", "name"), REQUIRED, ids=lambda x: x)
@pytest.mark.parametrize("blank", BLANKS, ids=repr)
def test_blank_looking_text_in_a_required_field_is_refused_as_missing(en, app, records, case_name, name, blank):
    case = BY_NAME[case_name]
    before = snapshot(app)
    resp = post(en, case, records, **{name: blank})
    assert resp.status_code == 422, (case_name, name, repr(blank), resp.status_code)
    assert "required" in field_error(text(resp), name)
    assert snapshot(app) == before


# Each record's text fields, typed with invisible characters around them: what is stored.
PADDED = [
    ("unit new", Unit, {"name": "Padyksikkö", "municipality": "Lohja", "supervisor_name": "Sanna", "notes": "Huom"}),
    ("method new", Method, {"name_fi": "Padmenetelmä", "name_sv": "Metod", "name_en": "Method", "description": "Kuvaus"}),
    ("event new", Event, {"title": "Padtyöpaja", "theme": "Teema", "place": "Lohja", "notes": "Huom"}),
    ("trainee new", Trainee, {"name": "Pad Ohjattava", "profession": "psykologi", "cohort": "Syksy"}),
    ("goal new", Goal, {"title": "Padtavoite", "metric": "ohjaajia", "notes": "Huom"}),
]


@pytest.mark.parametrize(("case_name", "model", "values"), PADDED, ids=lambda x: x if isinstance(x, str) else "")
def test_every_text_field_is_stored_without_surrounding_whitespace(en, app, records, case_name, model, values):
    case = BY_NAME[case_name]
    padded = {name: f"\u00a0 \t{value}\u3000\u200b" for name, value in values.items()}
    empty_optional = {"unit new": "supervisor_email", "trainee new": "email"}.get(case_name)
    if empty_optional:
        padded[empty_optional] = "\u00a0\t"
    resp = post(en, case, records, **padded)
    assert resp.status_code == 302, (case_name, resp.status_code)
    first = next(iter(values))
    with db(app) as s:
        row = s.query(model).filter(getattr(model, first) == values[first]).one()
        assert {name: getattr(row, name) for name in values} == values
        if empty_optional:
            assert getattr(row, empty_optional) == ""


@pytest.mark.parametrize("value", ["Yksikkö\x00", "Yksi\x07kkö", "Yksikkö \ufffd\ufffd"], ids=["NUL", "bell", "U+FFFD"])
def test_characters_no_one_types_are_refused_at_the_field(en, app, records, value):
    before = snapshot(app)
    resp = post(en, BY_NAME["unit new"], records, name=value)
    assert resp.status_code == 422
    assert "cannot be saved" in field_error(text(resp), "name")
    assert snapshot(app) == before


def test_a_form_body_that_is_not_utf8_is_refused_and_nothing_is_saved(en, app, records):
    """Werkzeug kept %FF%FE as that literal text, and the unit was saved under it."""
    before = snapshot(app)
    body = b"name=%FF%FE&service_line=health_station&age_group=adults&status=active&csrf_token=" + en.csrf().encode()
    resp = en.http.post("/units/new", data=body, content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 400
    assert snapshot(app) == before


def test_invalid_utf8_in_a_multipart_body_is_refused_at_the_field(en, app, records):
    before = snapshot(app)
    boundary = "xYzZy"
    parts = {
        "name": b"Yksikk\xff\xfe",
        "service_line": b"health_station",
        "age_group": b"adults",
        "status": b"active",
        "csrf_token": en.csrf().encode(),
    }
    head = 'Content-Disposition: form-data; name="{}"\r\n\r\n'
    body = b"".join(f"--{boundary}\r\n{head.format(k)}".encode() + v + b"\r\n" for k, v in parts.items())
    body += f"--{boundary}--\r\n".encode()
    resp = en.http.post("/units/new", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 422
    assert "cannot be saved" in field_error(text(resp), "name")
    assert snapshot(app) == before


def test_the_settings_folder_refuses_an_identity_code(en, app):
    code = hetu.generate(dt.date(1979, 3, 4), 515, "-")  # made here, never a real person's
    folder = f"C:\\Asiakkaat\\{code}"
    resp = en.post("/settings/files", {"save_mode": "folder", "folder": folder}, csrf_from="/settings/files")
    assert resp.status_code == 422
    message = field_error(text(resp), "folder")
    assert "identity code" in message and "Folder for files" in message and code not in message
    with db(app) as s:
        saved = s.execute(sqltext("SELECT value FROM settings WHERE key = 'files_folder'")).scalar()
    assert saved != folder


def test_every_form_of_the_app_is_a_koordi_form(app):
    """A form on FlaskForm directly would skip the trimming and the character check."""
    from flask_wtf import FlaskForm

    from app.web.forms import KoordiForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    strays = {
        f"{c.__module__}.{c.__qualname__}"
        for c in subclasses(FlaskForm)
        if c.__module__.startswith("app.") and not issubclass(c, KoordiForm)
    }
    assert not strays
