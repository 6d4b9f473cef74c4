"""Search: Finnish letters, prefixes, grouping and links, hidden deleted and erased rows,
and no query a coordinator can type ever breaks the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sqltext

from app.models import Deployment, Event, Goal, GuidanceSession, Trainee, Unit
from app.search.query import ANYWHERE, EXACT, FOLDED, TITLE, kind_expression, search, terms, tiers
from tests.common import IPC, add, db, get, in_english, squash, text, unit_row


@pytest.fixture
def en(profiled):
    in_english(profiled)
    return profiled


def results(client, q: str) -> dict[str, list[str]]:
    """{kind heading id: [link text, ...]} of a search page."""
    resp = client.get("/search", query_string={"q": q})
    assert resp.status_code == 200
    html = text(resp)
    found = {}
    for kind, body in re.findall(r'<h2 id="results-(\w+)">.*?<ul class="search-results">(.*?)</ul>', html, re.S):
        found[kind] = [re.sub(r"<[^>]+>", "", a).strip() for a in re.findall(r"<li>\s*<a [^>]*>(.*?)</a>", body, re.S)]
    return found


def hrefs(client, q: str) -> list[str]:
    html = text(client.get("/search", query_string={"q": q}))
    lists = re.findall(r'<ul class="search-results">(.*?)</ul>', html, re.S)
    return [href for body in lists for href in re.findall(r'<li>\s*<a href="([^"]+)"', body)]


@pytest.fixture
def world(app):
    unit = unit_row("Äänekosken terveysasema", municipality="Äänekoski", notes="IPC-pilotti syksyllä")
    plain = unit_row("Alavuden neuvola", municipality="Alavus")
    add(app, unit, plain)
    event = Event(type="workshop", title="Työpaja: ÖVERTORNEÅN tiimi", theme="Ahdistuksen hoito", date=dt.date(2026, 3, 5))
    session = GuidanceSession(
        date=dt.date(2026, 2, 9),
        method_id=IPC,
        duration_minutes=90,
        topics="Uniongelmat ja väsymys",
        notes="Käytiin läpi kotitehtävät",
    )
    trainee = Trainee(
        name="Örjan Mäkelä",
        name_key="örjan mäkelä",
        method_id=IPC,
        unit_id=unit.id,
        profession="sairaanhoitaja",
        email="orjan@example.org",
    )
    goal = Goal(title="Kymmenen koulutettua ammattilaista", method_id=IPC, target_value=10, metric="koulutetut")
    add(app, event, session, trainee, goal)
    return {"unit": unit, "plain": plain, "event": event, "session": session, "trainee": trainee, "goal": goal}


def test_lowercase_finnish_letters_find_capitalised_words(en, world):
    assert results(en, "äänekoski") == {"unit": ["Äänekosken terveysasema"]}  # via the municipality
    assert results(en, "äänekosken") == {"unit": ["Äänekosken terveysasema"]}
    assert results(en, "övertorneån") == {"event": ["Työpaja: ÖVERTORNEÅN tiimi"]}
    assert results(en, "örjan") == {"trainee": ["Örjan Mäkelä"]}
    assert results(en, "ÄÄNEKOSKI") == {"unit": ["Äänekosken terveysasema"]}


def test_typing_without_ä_and_ö_finds_them_after_what_matches_as_typed(en, world):
    """A laptop without a Finnish keyboard (or a hurry) types a for ä and o for ö: still found,
    but a word that matches as typed comes first."""
    assert results(en, "aanekoski") == {"unit": ["Äänekosken terveysasema"]}
    assert results(en, "orjan") == {"trainee": ["Örjan Mäkelä"]}
    assert results(en, "overtornean") == {"event": ["Työpaja: ÖVERTORNEÅN tiimi"]}  # Å as A too
    # words starting with "a" first (Alavuden), then "ä" (Äänekosken); and the other way round
    assert results(en, "a")["unit"] == ["Alavuden neuvola", "Äänekosken terveysasema"]
    assert results(en, "ä")["unit"] == ["Äänekosken terveysasema", "Alavuden neuvola"]


def test_prefixes_and_every_word_must_match(en, world):
    assert results(en, "työp") == {"event": ["Työpaja: ÖVERTORNEÅN tiimi"]}
    assert results(en, "uniong väsy") == {"guidance": ["Uniongelmat ja väsymys"]}
    assert results(en, "uniong ahdistus") == {}
    assert results(en, "koulutet") == {"goal": ["Kymmenen koulutettua ammattilaista"]}  # title and metric


def test_results_link_to_each_records_page(en, world):
    assert hrefs(en, "äänekosken") == [f"/units/{world['unit'].id}"]
    assert hrefs(en, "övertorneån") == [f"/events/{world['event'].id}"]
    assert hrefs(en, "uniongelmat") == [f"/guidance/sessions/{world['session'].id}"]
    assert hrefs(en, "kymmenen") == [f"/goals/{world['goal'].id}"]
    # a trainee's name is shown only as a link to the trainee's guidance page
    assert hrefs(en, "örjan") == [f"/guidance/trainees/{world['trainee'].id}"]
    for q in ("örjan", "äänekosken", "övertorneån", "uniongelmat", "kymmenen"):
        (href,) = hrefs(en, q)
        assert en.get(href).status_code == 200, href


def test_results_mark_the_matched_words_and_show_dates(en, world):
    html = text(en.get("/search", query_string={"q": "kotiteht"}))
    assert "<mark>kotitehtävät</mark>" in html
    assert "9.2.2026" in squash(html) and "Interpersonal counselling IPC" in squash(html)
    assert "<mark>Uniongelmat</mark>" not in html  # the title is shown, only the matched words marked


def test_email_is_not_searchable(en, world):
    assert results(en, "orjan example") == {}


def test_kinds_states_and_ids_are_not_searchable_text(en, world):
    """kind and deleted are indexed for filtering, ids not at all: none of them is found as text."""
    for q in ("unit", "goal", "trainee", "guidance", "event", "0", "1", world["unit"].id[:8]):
        assert results(en, q) == {}, q


def test_deleted_records_are_hidden_and_come_back_when_restored(en, app, world):
    with db(app) as s:
        for model, key in ((Unit, "unit"), (Event, "event"), (GuidanceSession, "session"), (Goal, "goal"), (Trainee, "trainee")):
            s.get(model, world[key].id).deleted = True
        s.commit()
    for q in ("äänekosken", "övertorneån", "uniongelmat", "kymmenen", "örjan"):
        assert results(en, q) == {}, q
    with db(app) as s:
        s.get(Unit, world["unit"].id).deleted = False
        s.commit()
    assert results(en, "äänekosken") == {"unit": ["Äänekosken terveysasema"]}


def test_edits_are_searchable_at_once(en, app, world):
    with db(app) as s:
        s.get(Unit, world["unit"].id).name = "Kuopion terveysasema"
        s.commit()
    assert results(en, "kuopion") == {"unit": ["Kuopion terveysasema"]}
    html = text(en.get("/search", query_string={"q": "äänekosken"}))
    assert "<mark>Äänekosken</mark> terveysasema" not in html and "Kuopion terveysasema" in html  # via its municipality
    assert results(en, "äänekoski") == {"unit": ["Kuopion terveysasema"]}  # the municipality stays


def test_erased_trainee_leaves_the_index(en, app, world):
    with db(app) as s:
        t = s.get(Trainee, world["trainee"].id)
        t.name, t.name_key, t.email = "", "", ""
        t.erased_at = dt.datetime.now(dt.UTC)
        s.commit()
        leftovers = s.execute(
            sqltext("SELECT count(*) FROM search_index WHERE search_index MATCH 'örjan OR sairaanhoitaja'")
        ).scalar()
    assert leftovers == 0
    assert results(en, "örjan") == {} and results(en, "sairaanhoitaja") == {}


def test_erasure_through_the_guidance_page_empties_the_index(en, app, world):
    trainee_id = world["trainee"].id
    page = f"/guidance/trainees/{trainee_id}/erase"
    resp = en.post(page, {}, csrf_from=page)
    assert resp.status_code in (302, 303), resp.status_code
    assert get(app, Trainee, trainee_id).erased_at is not None
    assert results(en, "örjan") == {}


def test_deployments_are_found_by_their_notes_and_named_by_unit_and_method(en, app, world):
    deployment = Deployment(
        unit_id=world["unit"].id,
        method_id=IPC,
        phase="pilot",
        phase_since=dt.date(2026, 2, 1),
        notes="Pilotti viivästyi: esihenkilö vaihtui",
    )
    add(app, deployment)
    assert results(en, "viivästyi") == {"deployment": ["Äänekosken terveysasema – Interpersonal counselling IPC"]}
    assert hrefs(en, "esihenkilö vaihtui") == [f"/deployments/{deployment.id}"]
    assert "esihenkilö vaihtui" in squash(text(en.get("/search", query_string={"q": "viivästyi"})))  # the snippet
    page = f"/deployments/{deployment.id}"
    en.post(f"{page}/delete", {}, csrf_from=page)
    assert results(en, "viivästyi") == {}
    en.post(f"{page}/restore", {}, csrf_from="/deployments")
    assert list(results(en, "viivästyi")) == ["deployment"]
    with db(app) as s:
        s.get(Deployment, deployment.id).notes = "Käyttöönotto sujuu"
        s.commit()
    assert results(en, "viivästyi") == {} and list(results(en, "sujuu")) == ["deployment"]


def test_many_hits_are_capped_per_kind_with_the_total_told(en, app):
    add(app, *[unit_row(f"Terveysasema {i:02d}") for i in range(25)])
    html = text(en.get("/search", query_string={"q": "terveysasema"}))
    assert len(re.findall(r"<li>\s*<a href=\"/units/", html)) == 20
    assert 'Units <span class="muted">(25)</span>' in html and "5 more" in html


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '""',
        "'",
        "*",
        "-",
        "- -",
        "AND",
        "OR",
        "NOT",
        "NEAR",
        "a AND",
        "AND b",
        "(",
        ")",
        "äänekoski)",
        "^",
        "col:äänekoski",
        "title:x",
        "{title}: x",
        "NEAR(a b)",
        "x*y",
        "\\",
        "%",
        "_",
        "a" * 5000,
        "\x00",
        "\u0345",
        "🙂",
        "'; DROP TABLE units; --",
        "ä" * 300,
    ],
)
def test_hostile_queries_never_break_the_page(en, world, hostile):
    resp = en.get("/search", query_string={"q": hostile})
    assert resp.status_code == 200


def test_empty_query_shows_only_the_box(en, world):
    html = text(en.get("/search"))
    assert 'type="search"' in html and "result" not in squash(html).split("Search units")[-1].lower()
    assert results(en, "   ") == {}


def test_tiers_quote_every_word_whole_then_as_a_prefix_then_inflected():
    words = '"äänekoski"* AND "AND"* AND "ipc"*'
    inflected = '("äänekoski"* OR "äänekos"*) AND "AND"* AND "ipc"*'
    passes = tiers('äänekoski "AND" -ipc*')
    assert [(t.table, t.words) for t in passes[::2]] == [
        (EXACT, '"äänekoski" AND "AND" AND "ipc"'),
        (EXACT, words),
        (EXACT, inflected),
        (FOLDED, words),
        (FOLDED, inflected),
    ]
    assert [t.columns for t in passes] == [TITLE, ANYWHERE] * 5  # each in the name first, then anywhere
    assert tiers("- * ( ) ^ :") == []
    assert [(t.table, t.words) for t in tiers("ipc")[::2]] == [(EXACT, '"ipc"'), (EXACT, '"ipc"*'), (FOLDED, '"ipc"*')]
    assert terms("Äänekoski_IPC  2026") == ["Äänekoski", "IPC", "2026"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60))
def test_any_text_is_a_valid_query(app, world, q):
    """Hypothesis over text(): whatever is typed makes a valid FTS5 query (checked raw, without
    search()'s safety net), and search() returns groups."""
    with db(app) as s:
        for tier in tiers(q):
            for expression in (tier.words, kind_expression("unit", tier)):
                s.execute(sqltext(f"SELECT count(*) FROM {tier.table} WHERE {tier.table} MATCH :q"), {"q": expression}).scalar()
        assert isinstance(search(s, q), list)


def test_snippets_show_a_records_fields_on_one_line():
    from app.search.query import Segment, segments

    assert segments("Teema\n\nPaikka\n \x02muistiinpano\x03 jatkuu") == [
        Segment("Teema · Paikka · ", False),
        Segment("muistiinpano", True),
        Segment(" jatkuu", False),
    ]
