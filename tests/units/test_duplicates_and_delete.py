"""A second unit of the same name asks "Save anyway" first; a delete says what goes with the unit."""

from __future__ import annotations

import re

import pytest

from app.core.clock import today
from app.models import Unit
from tests.units.factories import UNIT, a_world, add, created_id, db, get, in_english, text, unit_row


@pytest.fixture
def c(profiled):
    in_english(profiled)
    return profiled


def names(app) -> list[str]:
    with db(app) as s:
        return sorted(u.name for u in s.query(Unit).filter(Unit.deleted.is_(False)))


def confirm_value(page: str) -> str | None:
    m = re.search(r'<button type="submit" name="confirm" value="([^"]*)"', page)
    return m.group(1) if m else None


@pytest.mark.parametrize("typed", ["Kuhmon terveysasema", "KUHMON TERVEYSASEMA", "  kuhmon   terveysasema "])
def test_a_second_unit_of_the_same_name_asks_first_and_saves_only_when_confirmed(c, app, typed):
    (first,) = add(app, unit_row("Kuhmon terveysasema"))
    resp = c.post("/units/new", {**UNIT, "name": typed}, csrf_from="/units/new")
    page = text(resp)
    assert resp.status_code == 422
    warning = re.search(r'<p class="warning" id="name-warning">(.*?)</p>', page).group(1)
    assert "A unit named Kuhmon terveysasema is already saved" in warning
    assert f'href="/units/{first}"' in page  # the saved one, to open instead
    assert 'aria-describedby="name-warning"' in page
    assert names(app) == ["Kuhmon terveysasema"]  # nothing saved

    # Enter presses the first submit button, Save: that never confirms.
    assert page.index(">Save</button>") < page.index(">Save anyway</button>")
    again = c.post("/units/new", {**UNIT, "name": typed}, csrf_from="/units/new")
    assert again.status_code == 422 and len(names(app)) == 1

    resp = c.post("/units/new", {**UNIT, "name": typed, "confirm": confirm_value(page)}, csrf_from="/units/new")
    assert resp.status_code == 302
    assert len(names(app)) == 2


def test_a_deleted_unit_or_the_unit_itself_is_no_twin(c, app):
    (gone,) = add(app, unit_row("Sotkamon perheneuvola", deleted=True))
    resp = c.post("/units/new", {**UNIT, "name": "Sotkamon perheneuvola"}, csrf_from="/units/new")
    assert resp.status_code == 302, text(resp)
    saved = created_id(resp)
    edit = f"/units/{saved}/edit"
    assert c.post(edit, {**UNIT, "name": "Sotkamon Perheneuvola"}, csrf_from=edit).status_code == 302
    # Renaming another unit to a saved one's name asks first.
    (other,) = add(app, unit_row("Kajaanin terveysasema"))
    edit = f"/units/{other}/edit"
    resp = c.post(edit, {**UNIT, "name": "sotkamon perheneuvola"}, csrf_from=edit)
    assert resp.status_code == 422 and "already saved" in text(resp)
    assert get(app, Unit, other).name == "Kajaanin terveysasema"
    assert gone != saved


def test_delete_asks_first_naming_what_goes_and_what_stays(c, app):
    unit_id = add_unit(c)
    a_world(app, unit_id, today())
    page = text(c.get(f"/units/{unit_id}"))
    assert f'href="/units/{unit_id}/delete"' in page  # a link to the question, no one-click delete
    assert f'action="/units/{unit_id}/delete"' not in page

    page = text(c.get(f"/units/{unit_id}/delete"))
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Delete Äänekosken terveysasema?" in plain
    # a_world: one live deployment (a deleted one not counted), two live events of three,
    # two trainees of the unit, the two live sessions they attended, one goal.
    for line in (
        "1 method deployment",
        "2 events the unit took part in",
        "2 trainees of the unit",
        "2 guidance sessions they attended",
        "1 goal",
    ):
        assert line in plain, line
    assert "survey round" not in plain  # nothing of a kind with no records
    assert 'href="/settings/deleted"' in page
    assert get(app, Unit, unit_id).deleted is False  # asking deletes nothing
    assert c.http.post(f"/units/{unit_id}/delete").status_code == 400  # the POST needs its form token
    assert get(app, Unit, unit_id).deleted is False

    resp = c.post(f"/units/{unit_id}/delete", csrf_from=f"/units/{unit_id}/delete")
    assert resp.status_code == 302 and get(app, Unit, unit_id).deleted is True
    assert c.get(f"/units/{unit_id}/delete").status_code == 404  # a deleted unit is not asked about again


def add_unit(c) -> str:
    resp = c.post("/units/new", UNIT, csrf_from="/units/new")
    assert resp.status_code == 302, text(resp)
    return created_id(resp)


def test_same_name_check_reads_live_rows_only(app):
    from app.queries.duplicates import name_key, unit_named

    add(app, unit_row("Iisalmen  Nuorisoasema"), unit_row("Iisalmen nuorisoasema 2"), unit_row("Iisalmi", deleted=True))
    with db(app) as s:
        assert name_key(" Iisalmen\u00a0 NUORISOASEMA ") == "iisalmen nuorisoasema"
        assert unit_named(s, "iisalmen nuorisoasema").name == "Iisalmen  Nuorisoasema"
        assert unit_named(s, "Iisalmi") is None
        assert unit_named(s, "100% nuorisoasema") is None  # a % typed is a letter, not a wildcard
        assert unit_named(s, "") is None
