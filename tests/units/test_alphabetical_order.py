"""Finnish and Swedish order on the pages (issue 15): … Z, Å, Ä, Ö, with É among the E's and Ü
among the Y's, in the lists and in the choices other forms offer."""

from __future__ import annotations

import re

import pytest

from app.core.text import fold
from app.models import Method, Trainee
from tests.common import IPC, add, text, unit_row

# As a Finnish or a Swedish reader expects them; SQLite's own order had Ä before Å, É and Ü last.
ORDER = ["Eero", "Émile", "Erkki", "Ylva", "Ünal", "Yrjö", "Zeta", "Åbo", "Äänekoski", "Öja"]


def shuffled() -> list[str]:
    return ORDER[1::2] + ORDER[::2]


def linked(html: str, prefix: str) -> list[str]:
    """The texts of links to `prefix`<id>, in page order."""
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(rf'<a href="{prefix}[0-9a-f-]{{36}}">(.*?)</a>', html, re.S)]


@pytest.fixture
def named(app):
    add(app, *[unit_row(name) for name in shuffled()])
    add(app, *[Trainee(name=name, name_key=fold(name), method_id=IPC) for name in shuffled()])
    add(
        app,
        *[
            Method(name_fi=f"{name}-malli", name_sv=f"{name}-modell", name_en=f"{name} model", target_group="adult")
            for name in shuffled()
        ],
    )


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_lists_sort_z_å_ä_ö_with_é_as_e_and_ü_as_y(profiled, named, lang):
    profiled.post("/language", {"lang": lang, "next": "/about"})
    assert linked(text(profiled.get("/units")), "/units/") == ORDER
    assert [n for n in linked(text(profiled.get("/guidance/trainees")), "/guidance/trainees/") if n in ORDER] == ORDER
    suffix = {"fi": "-malli", "sv": "-modell"}[lang]
    methods = [m.removesuffix(suffix) for m in linked(text(profiled.get("/methods")), "/methods/") if m.endswith(suffix)]
    assert methods == ORDER


def checked_labels(html: str, name: str) -> list[str]:
    """The labels of a form's checkboxes named `name`, in page order."""
    return re.findall(rf'<input id="([\w-]+)" name="{name}" type="checkbox"[^>]*> <label for="\1">([^<]+)</label>', html)


def test_choices_in_other_forms_follow_the_same_order(profiled, named):
    page = text(profiled.get("/events/new"))
    assert [label for _id, label in checked_labels(page, "units")] == ORDER
    offered = [label.removesuffix("-malli") for _id, label in checked_labels(page, "methods") if label.endswith("-malli")]
    assert offered == ORDER
