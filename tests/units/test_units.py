"""Units as a coordinator uses them: add, find, open, edit, delete and undo, erase a supervisor."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core import hetu
from app.i18n import HELSINKI
from app.models import Unit
from app.queries.units import unit_choices
from tests.units.factories import (
    UNIT,
    a_world,
    add,
    created_id,
    db,
    errors_of,
    get,
    in_english,
    text,
    unit_row,
    units_in_db,
)


@pytest.fixture
def c(profiled):
    in_english(profiled)
    return profiled


def add_unit(c, **changes) -> str:
    resp = c.post("/units/new", {**UNIT, **changes}, csrf_from="/units/new")
    assert resp.status_code == 302, text(resp)
    return created_id(resp)


# -- create, read, edit, delete, undo -------------------------------------------------


def test_add_a_unit_then_see_it_in_the_list_and_on_its_page(c, app):
    assert "No units yet" in text(c.get("/units"))
    unit_id = add_unit(c)

    page = text(c.get(f"/units/{unit_id}"))
    assert "Unit Äänekosken terveysasema added." in page
    assert "<h1>Äänekosken terveysasema</h1>" in page
    for shown in ("Health station", "Adults", "Äänekoski", "14", "Active", "Pilotti alkaa syksyllä."):
        assert shown in page
    # The supervisor is personal data: on the unit's page…
    assert "Sanna Esimies" in page and "sanna.esimies@hyvaks.fi" in page

    listing = text(c.get("/units"))
    assert f'href="/units/{unit_id}"' in listing and "Health station" in listing
    # …but never in a list.
    assert "Sanna Esimies" not in listing and "sanna.esimies" not in listing

    (unit,) = units_in_db(app)
    assert unit.name_key == "äänekosken terveysasema"
    assert unit.professionals == 14 and unit.active is True


def test_edit_a_unit(c, app):
    unit_id = add_unit(c)
    form = text(c.get(f"/units/{unit_id}/edit"))
    assert 'value="Äänekosken terveysasema"' in form and 'value="sanna.esimies@hyvaks.fi"' in form

    resp = c.post(
        f"/units/{unit_id}/edit",
        {
            **UNIT,
            "name": "Äänekosken perheneuvola",
            "service_line": "family_counselling",
            "age_group": "children_youth",
            "status": "ended",
            "professionals": "",
        },
        csrf_from=f"/units/{unit_id}/edit",
    )
    assert resp.status_code == 302
    page = text(c.get(f"/units/{unit_id}"))
    assert "Unit Äänekosken perheneuvola saved." in page
    assert "Family counselling" in page and "Children and youth" in page and "Ended" in page
    unit = get(app, Unit, unit_id)
    assert unit.id == unit_id and unit.name_key == "äänekosken perheneuvola"
    assert unit.active is False and unit.professionals is None
    assert len(units_in_db(app)) == 1  # edited in place


def test_delete_hides_the_unit_and_undo_brings_it_back(c, app):
    unit_id = add_unit(c)
    resp = c.post(f"/units/{unit_id}/delete", csrf_from=f"/units/{unit_id}")
    assert resp.status_code == 302 and resp.headers["Location"] == "/units"

    listing = text(c.get("/units"))
    assert "Unit Äänekosken terveysasema deleted." in listing
    assert f'<form method="post" action="/units/{unit_id}/restore">' in listing  # the Undo button
    assert f'href="/units/{unit_id}"' not in listing
    assert c.get(f"/units/{unit_id}").status_code == 404
    assert c.get(f"/units/{unit_id}/edit").status_code == 404
    assert get(app, Unit, unit_id).deleted is True  # soft: history stays for undo and export

    resp = c.post(f"/units/{unit_id}/restore", csrf_from="/units")
    assert resp.headers["Location"] == f"/units/{unit_id}"
    assert "Unit Äänekosken terveysasema restored." in text(c.get(f"/units/{unit_id}"))
    assert f'href="/units/{unit_id}"' in text(c.get("/units"))


def test_unknown_unit_is_a_404_not_an_error(c):
    assert c.get("/units/no-such-id").status_code == 404
    assert c.post("/units/no-such-id/delete", csrf_from="/units").status_code == 404
    assert c.post("/units/no-such-id/restore", csrf_from="/units").status_code == 404


# -- refusing bad input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "field,label",
    [("name", "Name"), ("municipality", "Municipality"), ("notes", "Notes"), ("supervisor_name", "Supervisor's name")],
)
def test_identity_code_is_refused_naming_the_field(c, app, field, label):
    code = hetu.generate(dt.date(1979, 2, 3), 456)
    resp = c.post("/units/new", {**UNIT, field: f"{UNIT[field]} {code}"}, csrf_from="/units/new")
    assert resp.status_code == 422
    page = text(resp)
    errors = dict(errors_of(page))
    assert field in errors
    assert label.replace("'", "&#39;") in errors[field] and "personal identity code" in errors[field]
    assert code not in errors[field]
    assert 'aria-invalid="true"' in page
    assert units_in_db(app) == []


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"professionals": "-3"}, "professionals", "must be a whole number from 0 to"),
        ({"professionals": "10000000000000000000000"}, "professionals", "must be a whole number from 0 to"),
        ({"professionals": "kolme"}, "professionals", ""),
        ({"name": "x" * 201}, "name", "200"),
        ({"name": "   "}, "name", ""),
        ({"supervisor_email": "sanna(at)hyvaks.fi"}, "supervisor_email", "is not an email address"),
        ({"service_line": "hospital"}, "service_line", ""),
        ({"age_group": ""}, "age_group", ""),
        ({"municipality": "y" * 101}, "municipality", "100"),
    ],
)
def test_invalid_input_is_422_at_the_field_and_nothing_is_saved(c, app, changes, field, message):
    resp = c.post("/units/new", {**UNIT, **changes}, csrf_from="/units/new")
    assert resp.status_code == 422
    page = text(resp)
    errors = dict(errors_of(page))
    assert field in errors, errors
    assert message in errors[field]
    assert "Check these fields" in page
    assert units_in_db(app) == []


def test_invalid_edit_changes_nothing(c, app):
    unit_id = add_unit(c)
    resp = c.post(
        f"/units/{unit_id}/edit", {**UNIT, "name": "Uusi nimi", "professionals": "-1"}, csrf_from=f"/units/{unit_id}/edit"
    )
    assert resp.status_code == 422
    unit = get(app, Unit, unit_id)
    assert unit.name == "Äänekosken terveysasema" and unit.professionals == 14


# -- finding units ---------------------------------------------------------------------


def listed_names(c, query: str = "") -> list[str]:
    page = text(c.get("/units" + query))
    return re.findall(r'<th scope="row"><a href="/units/[^"]+">(.*?)</a></th>', page)


def test_search_folds_finnish_letters_in_names_and_municipalities(c, app):
    add(
        app,
        unit_row("Äänekosken terveysasema", municipality="Äänekoski"),
        unit_row(
            "Keski-Suomen perheneuvola", municipality="Äänekoski", service_line="family_counselling", age_group="children_youth"
        ),
        unit_row("Jyväskylän mielenterveysyksikkö", municipality="Jyväskylä", service_line="mental_health_substance"),
        unit_row("Ahvenanmaan 100%_yksikkö", municipality="Maarianhamina"),
    )
    assert listed_names(c, "?q=äänekoski") == ["Keski-Suomen perheneuvola", "Äänekosken terveysasema"]
    assert listed_names(c, "?q=ÄÄNEKOSKEN") == ["Äänekosken terveysasema"]
    assert listed_names(c, "?q=jyväs") == ["Jyväskylän mielenterveysyksikkö"]
    assert listed_names(c, "?q=JYVÄSKYLÄ") == ["Jyväskylän mielenterveysyksikkö"]
    assert listed_names(c, "?q=aanekoski") == []  # ä is its own letter, not an a
    # LIKE wildcards in the search text are matched literally.
    assert listed_names(c, "?q=%25") == ["Ahvenanmaan 100%_yksikkö"]
    assert listed_names(c, "?q=_") == ["Ahvenanmaan 100%_yksikkö"]


def test_filters_by_service_line_age_group_and_status(c, app):
    add(
        app,
        unit_row("A-terveysasema"),
        unit_row("B-perheneuvola", service_line="family_counselling", age_group="children_youth"),
        unit_row("C-koulu", service_line="school_student_health", age_group="children_youth", active=False),
        unit_row("D-poistettu", deleted=True),
    )
    assert listed_names(c) == ["A-terveysasema", "B-perheneuvola", "C-koulu"]
    assert listed_names(c, "?service_line=family_counselling") == ["B-perheneuvola"]
    assert listed_names(c, "?age_group=children_youth") == ["B-perheneuvola", "C-koulu"]
    assert listed_names(c, "?status=ended") == ["C-koulu"]
    assert listed_names(c, "?status=active&age_group=children_youth") == ["B-perheneuvola"]
    # A hand-typed unknown value is ignored, never an error page.
    assert listed_names(c, "?service_line=hospital&status=maybe") == ["A-terveysasema", "B-perheneuvola", "C-koulu"]
    page = text(c.get("/units?status=ended"))
    assert '<option selected value="ended">' in page  # the filter shows what is applied
    assert "No units match these filters." in text(c.get("/units?q=zzz"))


def test_list_is_paginated_keeping_the_filters(c, app):
    add(app, *[unit_row(f"Yksikkö {i:03d}", municipality="Oulu") for i in range(60)])
    first = text(c.get("/units?q=oulu"))
    assert first.count('<th scope="row">') == 50
    assert "60 rows" in first
    assert 'href="/units?q=oulu&amp;page=2"' in first
    second = listed_names(c, "?q=oulu&page=2")
    assert second == [f"Yksikkö {i:03d}" for i in range(50, 60)]


# -- personal data -------------------------------------------------------------------


def test_erase_supervisor_asks_first_then_blanks_name_and_email(c, app):
    unit_id = add_unit(c)
    before = get(app, Unit, unit_id).updated_at

    confirm = text(c.get(f"/units/{unit_id}/erase-supervisor"))
    assert "<h1>Erase supervisor's personal data</h1>" in confirm
    assert "cannot be undone" in confirm
    assert "Sanna Esimies" not in confirm  # personal data only on the unit's page and its form
    assert get(app, Unit, unit_id).supervisor_name == "Sanna Esimies"  # the GET changed nothing

    resp = c.post(f"/units/{unit_id}/erase-supervisor", csrf_from=f"/units/{unit_id}/erase-supervisor")
    assert resp.headers["Location"] == f"/units/{unit_id}"
    page = text(c.get(f"/units/{unit_id}"))
    assert "personal data was erased" in page
    assert "Sanna Esimies" not in page and "sanna.esimies" not in page
    assert "No supervisor recorded." in page

    unit = get(app, Unit, unit_id)
    assert unit.supervisor_name == "" and unit.supervisor_email == ""
    assert unit.name == "Äänekosken terveysasema" and unit.professionals == 14  # the rest stays
    assert unit.updated_at > before  # so the next export carries the erasure


def test_erase_needs_the_form_token(c, app):
    unit_id = add_unit(c)
    resp = c.http.post(f"/units/{unit_id}/erase-supervisor", data={})
    assert resp.status_code == 400
    assert get(app, Unit, unit_id).supervisor_name == "Sanna Esimies"


# -- everything that touches a unit ---------------------------------------------------


def test_unit_page_shows_deployments_events_trainees_and_goals(c, app):
    unit_id = add_unit(c)
    today = dt.datetime.now(HELSINKI).date()
    world = a_world(app, unit_id, today)
    page = text(c.get(f"/units/{unit_id}"))

    deployments = page.split("<h2>Deployments</h2>")[1].split("<h2>")[0]
    assert "Interpersonal counselling IPC" in deployments and "Pilot" in deployments and "1.9.2026" in deployments
    assert "Cool Kids" not in deployments  # a deleted deployment

    upcoming = page.split("<h3>Upcoming</h3>")[1].split("<h3>")[0]
    recent = page.split("<h3>Recent</h3>")[1].split("<h2>")[0]
    assert "Tukitapaaminen syksy" in upcoming and "Support meeting" in upcoming and "Planned" in upcoming
    assert "Työpaja: IPC käyttöön" in recent and "Workshop" in recent and "Held" in recent
    assert re.search(r'<td class="num">7</td>\s*<td class="num">1</td>\s*<td class="num">0</td>', recent)
    assert "Poistettu työpaja" not in page
    past = world["past"].date
    assert f"{past.day}.{past.month}.{past.year} 9:00" in recent  # English time: 9:00

    trainees = page.split("<h2>Trainees and method guidance</h2>")[1].split("<h2>")[0]
    assert "Ville Muualta" not in trainees  # another unit's trainee
    anna = re.search(r"Anna Kouluttautuja.*?</tr>", trainees, re.S).group(0)
    # Two live sessions (one recorded twice), 90 + 45 minutes = 2,3 h (half up, as on the guidance pages); the deleted 600-minute one is not counted.
    assert re.findall(r'<td class="num">([^<]*)</td>', anna) == ["2", "135", "2,3"]
    erased = re.search(r"Personal data erased.*?</tr>", trainees, re.S).group(0)
    assert re.findall(r'<td class="num">([^<]*)</td>', erased) == ["1", "90", "1,5"]
    total = re.search(r"<tfoot>.*?</tfoot>", trainees, re.S).group(0)
    assert "2 trainees" in total and re.findall(r'<td class="num">([^<]*)</td>', total) == ["3", "225", "3,8"]

    goals = page.split("<h2>Goals</h2>")[1]
    assert "Kymmenen ammattilaista koulutettu" in goals and "koulutetut" in goals
    latest = today - dt.timedelta(days=5)
    assert f'6 <span class="muted">({latest.day}.{latest.month}.{latest.year})</span>' in goals  # not the deleted 9


def test_every_record_page_names_its_id_id(app):
    """One spelling of a record's id in every URL rule (`/events/<id>`, never `<event_id>`), so a
    page can link to any other record's page with url_for(endpoint, id=…)."""
    arguments = {arg for rule in app.url_map.iter_rules() for arg in rule.arguments}
    assert "id" in arguments
    assert not {arg for arg in arguments if arg.endswith("_id")}, arguments


def test_unit_page_is_quick_enough_with_many_records(c, app):
    """No N+1 queries: the page issues a fixed number of statements however much touches the unit."""
    from sqlalchemy import event

    unit_id = add_unit(c)
    today = dt.datetime.now(HELSINKI).date()
    a_world(app, unit_id, today)
    engine = app.extensions["koordi.store"].engine
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        c.get(f"/units/{unit_id}")
        small = len(statements)
        a_world(app, unit_id, today)  # twice as much of everything
        statements.clear()
        assert c.get(f"/units/{unit_id}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == small


# -- choices for other features' forms ------------------------------------------------------


def test_unit_choices_are_active_live_units_by_name(app):
    ended, deleted = unit_row("Bb loppunut", active=False), unit_row("Cc poistettu", deleted=True)
    add(app, unit_row("Öö viimeinen"), unit_row("äänekoski"), unit_row("Aa ensimmäinen"), ended, deleted)
    with db(app) as s:
        names = [name for _id, name in unit_choices(s)]
        assert names == ["Aa ensimmäinen", "äänekoski", "Öö viimeinen"]
        kept = [name for _id, name in unit_choices(s, include=ended.id)]
        assert kept == ["Aa ensimmäinen", "Bb loppunut", "äänekoski", "Öö viimeinen"]


def test_unit_page_totals_match_the_guidance_features_own(c, app):
    """A number means the same everywhere: the unit page's per-trainee totals are the guidance totals."""
    from app.queries.guidance import trainee_totals
    from app.queries.units import trainee_guidance_totals

    unit_id = add_unit(c)
    a_world(app, unit_id, dt.datetime.now(HELSINKI).date())
    with db(app) as s:
        rows = trainee_guidance_totals(s, unit_id)
        assert len(rows) == 2
        assert {r.trainee.id: r.totals for r in rows} == trainee_totals(s, [r.trainee.id for r in rows])
