"""Search that knows Finnish (issue 15): inflected forms, typing without ä and ö, ranking,
"Did you mean …?" when nothing is found, and the box ready to type in."""

from __future__ import annotations

import re

import pytest

from app.models import Trainee, Unit
from tests.common import IPC, add, db, in_english, squash, text, unit_row
from tests.search.test_search import results


@pytest.fixture
def en(profiled):
    in_english(profiled)
    return profiled


@pytest.fixture
def places(app):
    units = [
        unit_row("Haapakosken perheneuvola", municipality="Haapavesi"),
        unit_row("Lehtomäen terveysasema", municipality="Kuhmo"),
        unit_row("Äänekosken nuorisoasema", municipality="Äänekoski"),
        unit_row("Perheneuvola Kivimäki"),
        unit_row("Kivimäkitalon nuorisoasema"),
        unit_row("Kivimäen terveysasema"),
        unit_row("Kivimaki-koti"),  # typed once without ä
    ]
    trainees = [
        Trainee(name="Anna Strandberg", name_key="anna strandberg", method_id=IPC, profession="psykologi"),
        Trainee(name="Veikko Virtanen", name_key="veikko virtanen", method_id=IPC, profession="sairaanhoitaja"),
    ]
    add(app, *units, *trainees)
    return units


def test_inflected_forms_are_found(en, places):
    assert results(en, "haapakoski") == {"unit": ["Haapakosken perheneuvola"]}
    assert results(en, "lehtomäki") == {"unit": ["Lehtomäen terveysasema"]}
    assert results(en, "lehtomäessä") == {"unit": ["Lehtomäen terveysasema"]}
    assert results(en, "strandbergin") == {"trainee": ["Anna Strandberg"]}
    assert results(en, "virtasen") == {"trainee": ["Veikko Virtanen"]}
    assert results(en, "haapak") == {"unit": ["Haapakosken perheneuvola"]}  # the start of a word, as before


def test_typing_without_ä_and_ö_finds_them(en, places):
    assert results(en, "aanekoski") == {"unit": ["Äänekosken nuorisoasema"]}
    assert results(en, "lehtomaki") == {"unit": ["Lehtomäen terveysasema"]}
    assert results(en, "lehtomaen terveys") == {"unit": ["Lehtomäen terveysasema"]}


def test_results_are_ranked_whole_word_then_start_then_inflected_then_without_ä(en, places):
    assert results(en, "kivimäki") == {
        "unit": ["Perheneuvola Kivimäki", "Kivimäkitalon nuorisoasema", "Kivimäen terveysasema", "Kivimaki-koti"]
    }


def suggestion_links(html: str) -> list[tuple[str, str]]:
    (block,) = re.findall(r'<p class="search-suggestion">(.*?)</p>', html, re.S) or [""]
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)


def test_nothing_found_suggests_the_nearest_names(en, app, places):
    html = text(en.get("/search", query_string={"q": "haapakisken"}))
    assert "Nothing found" in html and "Did you mean:" in squash(html)
    (href, word), *_ = suggestion_links(html)
    assert word == "haapakosken"
    assert results(en, word) == {"unit": ["Haapakosken perheneuvola"]}
    assert "<mark>Haapakosken</mark> perheneuvola" in text(en.get(href))  # the link is that search
    # a misspelt word beside a right one: only the wrong one changes
    assert [w for _h, w in suggestion_links(text(en.get("/search", query_string={"q": "lehtomäki terveysasma"})))][
        0
    ] == "lehtomäki terveysasema"
    assert suggestion_links(text(en.get("/search", query_string={"q": "xyzzyq"}))) == []
    # a deleted record's name is never offered
    with db(app) as s:
        s.get(Unit, places[0].id).deleted = True
        s.commit()
    assert "haapakosken" not in [w for _h, w in suggestion_links(text(en.get("/search", query_string={"q": "haapakisken"})))]


@pytest.mark.parametrize(("lang", "words"), [("fi", "Tarkoititko:"), ("sv", "Menade du:")])
def test_the_suggestion_speaks_the_users_language(profiled, places, lang, words):
    profiled.post("/language", {"lang": lang, "next": "/about"})
    html = squash(text(profiled.get("/search", query_string={"q": "haapakisken"})))
    assert words in html


def test_the_box_is_focused_with_and_without_a_query(en, places):
    for q in ("", "haapakoski", "xyzzyq"):
        html = text(en.get("/search", query_string={"q": q}))
        assert re.search(r'<input type="search" id="q"[^>]* autofocus', html), q
