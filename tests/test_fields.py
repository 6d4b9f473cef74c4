"""app.web.fields.SelectField renders exactly what WTForms' own SelectField renders (bench/pages.py shows the time saved)."""

from __future__ import annotations

import pytest
from wtforms import Form
from wtforms import SelectField as WTFormsSelectField

from app.web.fields import SelectField

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
