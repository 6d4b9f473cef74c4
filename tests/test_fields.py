"""app.web.fields: SelectField renders exactly what WTForms' own SelectField renders (bench/pages.py
shows the time saved); DateField and TimeField speak the app's formats whatever the web engine's."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import g
from wtforms import Form
from wtforms import SelectField as WTFormsSelectField
from wtforms.validators import InputRequired, Optional

from app.web.fields import DateField, SelectField, TimeField
from app.web.forms import KoordiForm

# The features hand choices over as tuples (pyproject pins WTForms below 3.4, which drops
# them); WTForms' own field, the reference here, warns about that on every render.
pytestmark = pytest.mark.filterwarnings("ignore:Passing SelectField choices as tuples:DeprecationWarning")

CHOICES = [
    ("", "All"),
    ("a&b", 'A <&> "B"'),
    ("x", "Äänekosken terveysasema"),
    (True, "yes"),
    ("z", ""),
    ("kw", "With attributes", {"disabled": True}),
]


class Both(Form):
    wtforms = WTFormsSelectField(choices=CHOICES)
    fast = SelectField(choices=CHOICES)


def rendered(form: Both, name: str, **kwargs) -> str:
    return str(form[name](**kwargs)).replace(f'id="{name}" name="{name}"', 'id="f" name="f"')


def test_same_markup_as_wtforms_for_every_kind_of_choice():
    for data in ("", "x", "a&b", "kw", "nothing chosen"):
        form = Both(data={"wtforms": data, "fast": data})
        assert rendered(form, "fast") == rendered(form, "wtforms"), data
        assert rendered(form, "fast", required=True) == rendered(form, "wtforms", required=True)
    assert '<option selected value="x">Äänekosken terveysasema</option>' in rendered(Both(data={"fast": "x"}), "fast")


# -- dates and times in the app's way, whatever the web engine's language ------------------


class Dated(KoordiForm):
    class Meta:
        csrf = False

    day = DateField("Päivämäärä", validators=[InputRequired()])
    until = DateField("Asti", validators=[Optional()])
    start = TimeField("Alkamisaika", validators=[Optional()])


def posted(app, lang: str = "fi", **values) -> Dated:
    with app.test_request_context("/", method="POST", data=values):
        g.language = lang
        form = Dated()
        form.validate()
        form.html = {name: str(form[name]()) for name in ("day", "until", "start")}
        return form


def shown(app, lang: str, **data) -> dict[str, str]:
    """The form's inputs as a page shows a saved record's values."""
    with app.test_request_context("/"):
        g.language = lang
        form = Dated(data=data)
        return {name: str(form[name]()) for name in ("day", "until", "start")}


def test_dates_and_times_are_text_inputs_in_the_apps_format(app):
    html = shown(app, "fi", day=dt.date(2026, 3, 5), start=dt.time(9, 30))
    # Never the engine's own pickers (mm/dd/yyyy and AM/PM on an English Windows).
    assert 'type="text"' in html["day"] and 'type="date"' not in html["day"] and 'type="time"' not in html["start"]
    assert 'value="5.3.2026"' in html["day"] and 'value="9.30"' in html["start"]
    assert 'placeholder="pp.kk.vvvv"' in html["until"] and 'placeholder="tt.mm"' in html["start"]
    sv = shown(app, "sv", start=dt.time(14, 5))
    assert 'placeholder="dd.mm.åååå"' in sv["day"] and 'value="14.05"' in sv["start"]


def test_finnish_typing_and_iso_are_read(app):
    form = posted(app, day="5.3.2026", until="31.12.2026", start="9.30")
    assert not form.errors, form.errors
    assert (form.day.data, form.until.data, form.start.data) == (dt.date(2026, 3, 5), dt.date(2026, 12, 31), dt.time(9, 30))
    form = posted(app, day="2026-03-05", start="09:30")  # what a link or an older page sends
    assert (form.day.data, form.start.data) == (dt.date(2026, 3, 5), dt.time(9, 30))


def test_a_date_that_does_not_exist_says_so_naming_the_field(app):
    form = posted(app, "en", day="31.2.2026")
    (message,) = form.errors["day"]
    assert "Päivämäärä" in message and "31.2.2026" in message and "no such date" in message
    assert 'value="31.2.2026"' in form.html["day"]  # what was typed stays, to be corrected


def test_text_that_is_not_a_date_or_a_time_says_how_to_type_it(app):
    form = posted(app, "en", day="3/5/2026", start="9.30 PM")
    assert "Päivämäärä" in form.errors["day"][0] and "5.3.2026" in form.errors["day"][0]
    assert "Alkamisaika" in form.errors["start"][0] and "9.30" in form.errors["start"][0]
    assert "day" in posted(app, day="").errors  # required: still its own message
