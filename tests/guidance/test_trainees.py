"""Trainees: create and edit with validation, the filtered list, the page, delete/undo, erasure."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from app.core import clock, hetu
from app.models import SessionTrainee, Trainee
from app.queries.guidance import Totals, trainee_totals
from tests.guidance.helpers import (
    COOL_KIDS,
    IPC,
    add_session,
    add_trainee,
    add_unit,
    counts,
    db,
    text,
)

NEW = "/guidance/trainees/new"
CODE = hetu.generate(dt.date(1979, 11, 30), 456)


def trainee_form(**fields) -> dict:
    data = {
        "name": "Anna Aalto",
        "email": "anna.aalto@example.org",
        "profession": "Psykiatrinen sairaanhoitaja",
        "unit_id": "",
        "method_id": IPC,
        "cohort": "Syksy 2026",
        "start_date": "2026-09-01",
        "end_date": "2027-06-30",
    }
    data.update(fields)
    return data


def test_add_trainee_then_page_shows_details_and_email(profiled, app):
    unit = add_unit(app, "Terveysasema Keskus")
    resp = profiled.post(NEW, trainee_form(unit_id=unit, name="  Ääni Öhman "), csrf_from=NEW)
    assert resp.status_code == 302
    page = text(profiled.get(resp.headers["Location"]))
    assert "<h1>Ääni Öhman</h1>" in page
    for shown in (
        "anna.aalto@example.org",
        "Psykiatrinen sairaanhoitaja",
        "Terveysasema Keskus",
        "Syksy 2026",
        "1.9.2026",
        "30.6.2027",
    ):
        assert shown in page
    with db(app) as s:
        (t,) = s.scalars(select(Trainee)).all()
        assert (t.name, t.name_key) == ("Ääni Öhman", "ääni öhman")


def test_save_and_add_another_keeps_the_method(profiled):
    resp = profiled.post(NEW, {**trainee_form(method_id=COOL_KIDS), "another": "1"}, csrf_from=NEW)
    assert resp.headers["Location"] == f"{NEW}?method={COOL_KIDS}"
    page = text(profiled.get(resp.headers["Location"]))
    assert "Trainee saved." in page
    assert f'<option selected value="{COOL_KIDS}">' in page


def test_save_anyway_after_save_and_add_another_still_adds_another(profiled, app):
    # A start date in 1999 asks "Is the date right?"; pressing "Save anyway" must not forget
    # that the user chose "Save and add another".
    resp = profiled.post(NEW, {**trainee_form(method_id=COOL_KIDS, start_date="1999-09-01"), "another": "1"}, csrf_from=NEW)
    assert resp.status_code == 422
    page = text(resp)
    form = page.split('<form method="post"', 1)[1].split("</form>", 1)[0]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    confirm = re.search(r'<button type="submit" name="confirm" value="([^"]*)"[^>]*>Save anyway', form)
    assert confirm, form
    # What the browser sends when "Save anyway" is pressed: the form's fields and that button.
    data = {**trainee_form(method_id=COOL_KIDS, start_date="1999-09-01"), **hidden, "confirm": confirm.group(1)}
    resp = profiled.post(NEW, data)
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"{NEW}?method={COOL_KIDS}"
    with db(app) as s:
        (t,) = s.scalars(select(Trainee)).all()
        assert t.start_date == dt.date(1999, 9, 1)


@pytest.mark.parametrize(
    "fields, field_id, message",
    [
        ({"end_date": "2026-08-31"}, "end_date", "ends before it starts"),
        ({"name": ""}, "name", ""),
        ({"name": "x" * 121}, "name", ""),
        ({"name": f"Anna {CODE}"}, "name", "personal identity code"),
        ({"profession": f"hoitaja {CODE}"}, "profession", "personal identity code"),
        ({"cohort": f"ryhmä {CODE.lower()}"}, "cohort", "personal identity code"),
        ({"email": "not-an-address"}, "email", "not an email address"),
        ({"method_id": "no-such-method"}, "method_id", "Choose Method from the list"),
        ({"unit_id": "no-such-unit"}, "unit_id", "Choose Unit from the list"),
        ({"start_date": "2026-13-01"}, "start_date", ""),
    ],
)
def test_invalid_trainee_is_refused_at_the_field_and_nothing_saved(profiled, app, fields, field_id, message):
    before = counts(app)
    resp = profiled.post(NEW, trainee_form(**fields), csrf_from=NEW)
    assert resp.status_code == 422
    error = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', text(resp), re.DOTALL)
    assert error, f"no error at {field_id}"
    assert message in error.group(1)
    assert CODE not in error.group(1)
    assert counts(app) == before


def test_trainee_list_filters_and_shows_totals(profiled, app):
    north = add_unit(app, "Pohjoinen")
    south = add_unit(app, "Eteläinen")
    yesterday = (clock.today() - dt.timedelta(days=2)).isoformat()
    anna = add_trainee(profiled, "Anna Äijälä", unit_id=north, cohort="Syksy 2026", email="anna@example.org")
    add_trainee(profiled, "Bertil Björk", unit_id=south, cohort="Kevät 2026", start_date="2025-01-01", end_date=yesterday)
    add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    add_session(profiled, [anna], duration_minutes="150")

    page = text(profiled.get("/guidance/trainees"))
    # By surname, Ä after Z (issue 15): Björk, Cool, Äijälä.
    assert page.index("Bertil Björk") < page.index("Cecilia Cool") < page.index("Anna Äijälä")
    assert "2,5 h" in page
    assert "anna@example.org" not in page  # emails only on the trainee's own page and form

    def names(query: str) -> list[str]:
        html = text(profiled.get(f"/guidance/trainees?{query}"))
        return re.findall(r'<th scope="row"[^>]*><a href="/guidance/trainees/[^"]+">([^<]+)</a>', html)

    assert names("q=ÄIJÄ") == ["Anna Äijälä"]  # folded, not just ASCII
    assert names("q=%25") == []  # a LIKE wildcard is matched literally
    assert names(f"method={COOL_KIDS}") == ["Cecilia Cool"]
    assert names(f"unit={south}") == ["Bertil Björk"]
    assert names("cohort=Syksy+2026") == ["Anna Äijälä"]
    assert names("status=ended") == ["Bertil Björk"]
    assert names("status=active") == ["Cecilia Cool", "Anna Äijälä"]
    assert names("status=nonsense&page=-3") == ["Bertil Björk", "Cecilia Cool", "Anna Äijälä"]


def test_trainee_list_paginates(profiled, app):
    from app.guidance.ops import TraineeData, save_trainee

    with db(app) as s:
        for i in range(53):
            save_trainee(s, TraineeData(name=f"Trainee {i:02d}", method_id=IPC))
    page = text(profiled.get("/guidance/trainees"))
    assert "Page 1 of 2" in page and "Trainee 49" in page and "Trainee 50" not in page
    assert "Trainee 52" in text(profiled.get("/guidance/trainees?page=2"))


def test_edit_and_delete_with_undo(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    edit = f"/guidance/trainees/{anna}/edit"
    resp = profiled.post(edit, trainee_form(name="Anna Berg", end_date="", start_date=""), csrf_from=edit)
    assert resp.status_code == 302
    assert "<h1>Anna Berg</h1>" in text(profiled.get(f"/guidance/trainees/{anna}"))

    resp = profiled.post(f"/guidance/trainees/{anna}/delete", csrf_from=f"/guidance/trainees/{anna}")
    assert resp.headers["Location"] == "/guidance/trainees"
    page = text(profiled.get("/guidance/trainees"))
    assert "Trainee deleted." in page and f'action="/guidance/trainees/{anna}/restore"' in page
    assert f'href="/guidance/trainees/{anna}"' not in page
    assert profiled.get(f"/guidance/trainees/{anna}").status_code == 404
    resp = profiled.post(f"/guidance/trainees/{anna}/restore")
    assert resp.headers["Location"] == f"/guidance/trainees/{anna}"
    assert "Anna Berg" in text(profiled.get("/guidance/trainees"))


def test_erase_person_blanks_name_and_email_and_keeps_totals(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto", email="anna@example.org", profession="Psykologi")
    bertil = add_trainee(profiled, "Bertil Björk")
    sid = add_session(profiled, [anna, bertil], duration_minutes="90")
    add_session(profiled, [anna], duration_minutes="45", kind="individual")
    with db(app) as s:
        before = s.get(Trainee, anna).updated_at

    # The confirm step names what goes; nothing changes until it is confirmed.
    confirm = text(profiled.get(f"/guidance/trainees/{anna}/erase"))
    assert "Anna Aalto" in confirm and "anna@example.org" in confirm and "cannot be undone" in confirm
    with db(app) as s:
        assert s.get(Trainee, anna).erased_at is None

    resp = profiled.post(f"/guidance/trainees/{anna}/erase", csrf_from=f"/guidance/trainees/{anna}/erase")
    assert resp.headers["Location"] == f"/guidance/trainees/{anna}"
    with db(app) as s:
        t = s.get(Trainee, anna)
        assert (t.name, t.name_key, t.email, t.profession, t.deleted) == ("", "", "", "Psykologi", False)
        assert t.erased_at is not None and t.updated_at > before
        assert len(s.scalars(select(SessionTrainee).where(SessionTrainee.trainee_id == anna)).all()) == 2
        assert trainee_totals(s, [anna]) == {anna: Totals(2, 135)}

    page = text(profiled.get(f"/guidance/trainees/{anna}"))
    assert '<h1><span class="erased">(erased)</span></h1>' in page and "2,3 h" in page
    assert "anna@example.org" not in page and "Anna Aalto" not in page
    assert "(erased)" in text(profiled.get("/guidance/trainees"))
    assert "(erased)" in text(profiled.get(f"/guidance/sessions/{sid}"))

    # An erased trainee can never be given a name again.
    edit = f"/guidance/trainees/{anna}/edit"
    assert 'name="name"' not in text(profiled.get(edit))
    resp = profiled.post(edit, trainee_form(name="Anna Aalto", email="anna@example.org"), csrf_from=edit)
    assert resp.status_code == 302
    with db(app) as s:
        t = s.get(Trainee, anna)
        assert (t.name, t.email) == ("", "")
        assert t.cohort == "Syksy 2026"  # the rest is still editable


def test_trainee_names_stay_on_guidance_pages(profiled, app):
    anna = add_trainee(profiled, "Anna Salainen", email="salainen@example.org")
    add_session(profiled, [anna])
    for path in ("/", "/guidance/totals"):
        resp = profiled.get(path)
        assert resp.status_code == 200, path
        assert "Salainen" not in text(resp), path
    assert "Salainen" in text(profiled.get("/guidance/trainees"))
    assert "Salainen" in text(profiled.get("/guidance/sessions/new"))


def test_trainee_page_pages_the_sessions_attended(profiled, app):
    from app.guidance.ops import SessionData, save_session

    anna = add_trainee(profiled, "Anna Aalto")
    with db(app) as s:
        for i in range(52):
            save_session(
                s, SessionData(dt.date(2026, 1, 1) + dt.timedelta(days=i), IPC, "group", "onsite", 30, trainee_ids=[anna])
            )
    page = text(profiled.get(f"/guidance/trainees/{anna}"))
    assert 'data-total="sessions">52<' in page and "26,0 h" in page
    assert f'href="/guidance/trainees/{anna}?page=2"' in page
    assert text(profiled.get(f"/guidance/trainees/{anna}?page=2")).count('<th scope="row">') == 2


@pytest.mark.parametrize(("lang", "name"), [("en", "Interpersonal counselling IPC"), ("sv", "Interpersonell rådgivning IPC")])
def test_the_method_is_named_in_the_pages_language(profiled, app, lang, name):
    anna = add_trainee(profiled, "Anna Aalto")
    add_session(profiled, [anna])
    profiled.post("/language", {"lang": lang, "next": "/"})
    for path in (f"/guidance/trainees/{anna}", "/guidance/trainees"):
        page = text(profiled.get(path))
        assert name in page and "Interpersonaalinen ohjanta IPC" not in page, path


def test_trainee_list_asks_a_fixed_number_of_statements(profiled, app):
    """No N+1: the list's totals, methods and units come in the same statements for 3 trainees as for 40."""
    from app.models import GuidanceSession, Unit
    from tests.common import statements_of

    def trainees(first: int, count: int) -> None:
        with db(app) as s:
            for i in range(first, first + count):
                unit = Unit(
                    name=f"Yksikkö {i:02d}", name_key=f"yksikkö {i:02d}", service_line="health_station", age_group="adults"
                )
                session = GuidanceSession(date=dt.date(2026, 3, 2), method_id=IPC, duration_minutes=90)
                s.add_all([unit, session])
                s.flush()  # the ids
                trainee = Trainee(name=f"Ohjattava {i:02d}", name_key=f"ohjattava {i:02d}", method_id=IPC, unit_id=unit.id)
                s.add(trainee)
                s.flush()
                s.add(SessionTrainee(session_id=session.id, trainee_id=trainee.id))
            s.commit()

    trainees(0, 3)
    small = statements_of(app, profiled, "/guidance/trainees")
    trainees(3, 37)
    assert statements_of(app, profiled, "/guidance/trainees") == small
    page = text(profiled.get("/guidance/trainees"))
    row = re.search(r"Ohjattava 39</a></th>(.*?)</tr>", page, re.S).group(1)
    assert "Yksikkö 39" in row and "1,5 h" in row
