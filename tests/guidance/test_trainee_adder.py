"""Issue 15's guidance entry: a trainee added without leaving the session form (with and without
JavaScript), a cohort ticked at once, and trainees listed by surname wherever they are listed."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from app.core import hetu
from app.models import Trainee
from tests.guidance.helpers import (
    COOL_KIDS,
    IPC,
    add_session,
    add_trainee,
    add_unit,
    checked_trainees,
    counts,
    db,
    offered_trainees,
    session_form,
    text,
)

NEW = "/guidance/sessions/new"
FETCH = {"X-Requested-With": "fetch"}


def adding(name: str, **fields) -> dict:
    """The session form as posted by its "Add trainee" button."""
    return {**session_form(**fields), "add_trainee": "1", "new-name": name, "new-unit_id": "", "new-cohort": ""}


def names_in_order(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", n).strip() for n in re.findall(r'<label for="trainee[^"]*">(.*?)</label>', page, re.DOTALL)]


def trainee_named(app, name: str) -> Trainee:
    with db(app) as s:
        return s.scalars(select(Trainee).where(Trainee.name == name)).one()


def test_add_trainee_without_javascript_keeps_the_form_and_ticks_the_newcomer(profiled, app):
    unit = add_unit(app)
    anna = add_trainee(profiled, "Anna Aalto")
    data = adding("Björn Ek", duration_minutes="75", topics="Aloitus", trainees=[anna])
    data.update({"new-unit_id": unit, "new-cohort": "Syksy 2026", "new-profession": "psykologi"})
    before = counts(app)
    resp = profiled.post(NEW, data, csrf_from=NEW)
    assert resp.status_code == 200, text(resp)
    page = text(resp)
    bjorn = trainee_named(app, "Björn Ek")
    assert (bjorn.method_id, bjorn.unit_id, bjorn.cohort, bjorn.profession) == (IPC, unit, "Syksy 2026", "psykologi")
    assert counts(app) == (before[0] + 1, before[1], before[2])  # the trainee only: no session saved
    assert checked_trainees(page) == {anna, bjorn.id}
    assert 'value="75"' in page and "Aloitus</textarea>" in page  # everything typed is kept
    assert "Björn Ek added to the method&#39;s trainees and ticked present." in page
    # The fieldset is ready for the next person: name empty and focused, unit and cohort kept.
    assert re.search(r'<input autofocus id="new-name" name="new-name" [^>]*value=""', page), page
    assert re.search(rf'<option selected value="{unit}"', page)
    assert 'id="date"' in page and not re.search(r'<input [^>]*\bautofocus\b[^>]*id="date"', page)


def test_add_trainee_with_javascript_answers_with_the_checkboxes(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    resp = profiled.post(NEW, adding("Ceija Öhman", trainees=[anna]), csrf_from=NEW, headers=FETCH)
    assert resp.status_code == 200
    reply = json.loads(text(resp))
    ceija = trainee_named(app, "Ceija Öhman")
    assert reply["ok"] and "Ceija Öhman" in reply["message"]
    assert checked_trainees(reply["options"]) == {anna, ceija.id}
    assert 'id="trainee-adder"' in reply["adder"] and 'name="new-name"' in reply["adder"]
    # A second press (or a reload re-sending the post) ticks the same person, never a twin.
    again = json.loads(text(profiled.post(NEW, adding("ceija öhman"), csrf_from=NEW, headers=FETCH)))
    assert again["ok"] and "already" in again["message"]
    assert checked_trainees(again["options"]) == {ceija.id}
    with db(app) as s:
        assert len(s.scalars(select(Trainee).where(Trainee.name_key == "ceija öhman")).all()) == 1


def test_add_trainee_refuses_at_its_fields_and_saves_nothing(profiled, app):
    before = counts(app)
    resp = profiled.post(NEW, adding(""), csrf_from=NEW)
    assert resp.status_code == 422
    page = text(resp)
    assert re.search(r'id="new-name-error"', page) and 'href="#new-name"' in page  # at the field, and summarised
    code = hetu.generate(dt.date(1980, 5, 17), 234)
    resp = profiled.post(NEW, adding(f"Aino {code}"), csrf_from=NEW, headers=FETCH)
    assert resp.status_code == 422
    reply = json.loads(text(resp))
    assert not reply["ok"] and "identity code" in reply["message"].lower()
    assert 'aria-invalid="true"' in reply["adder"] and code in reply["adder"]  # kept to correct
    assert counts(app) == before


def test_save_with_a_name_typed_but_never_added_asks_to_add_first(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    before = counts(app)
    data = {**session_form(), "trainees": [anna], "new-name": "Björn Ek", "new-unit_id": ""}
    resp = profiled.post(NEW, data, csrf_from=NEW)
    assert resp.status_code == 422
    assert "Press “Add trainee” to add Björn Ek first" in text(resp)
    assert counts(app) == before


def test_checkboxes_come_by_cohort_by_surname_with_no_cohort_last(profiled):
    ids = {
        name: add_trainee(profiled, name, cohort=cohort)
        for name, cohort in [
            ("Östen Berg", ""),
            ("Aino Öhman", "Syksy 2026"),
            ("Ville Åberg", "Syksy 2026"),
            ("Zoe Aalto", "Syksy 2026"),
            ("Eero Ärlig", "Kevät 2026"),
            ("Émile Eklund", "Kevät 2026"),
        ]
    }
    page = text(profiled.get(f"{NEW}?method={IPC}"))
    legends = re.findall(r'<fieldset class="cohort-group"[^>]*>\s*<legend>([^<]+?) <', page)
    assert legends == ["Kevät 2026", "Syksy 2026", "No cohort"]
    # Within a group by surname (the last word), … Z, Å, Ä, Ö; É as E.
    assert names_in_order(page) == ["Émile Eklund", "Eero Ärlig", "Zoe Aalto", "Ville Åberg", "Aino Öhman", "Östen Berg"]
    assert page.count('name="tick_cohort"') == 2  # a button per cohort, none for "no cohort"
    # Without JavaScript the button sends the form by GET: the page comes back with the group ticked.
    resp = profiled.get(
        f"{NEW}?method={IPC}&duration_minutes=45&trainees={ids['Östen Berg']}&tick_cohort=Syksy+2026&csrf_token=x"
    )
    assert resp.status_code == 302
    query = parse_qs(urlsplit(resp.headers["Location"]).query)
    assert "tick_cohort" not in query and "csrf_token" not in query and query["duration_minutes"] == ["45"]
    page = text(profiled.get(resp.headers["Location"]))
    assert checked_trainees(page) == {ids[n] for n in ("Östen Berg", "Aino Öhman", "Ville Åberg", "Zoe Aalto")}
    assert 'value="45"' in page


def test_every_trainee_list_is_by_surname(profiled, app):
    unit = add_unit(app)
    for name in ("Anna Öberg", "Örjan Aalto", "Bo Ek", "Cilla Ekström", "Nils von Wright"):
        add_trainee(profiled, name, unit_id=unit)
    add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    order = ["Örjan Aalto", "Bo Ek", "Cilla Ekström", "Nils von Wright", "Anna Öberg"]
    listed = re.findall(r'<a href="/guidance/trainees/[^"]+">([^<]+)</a>', text(profiled.get(f"/guidance/trainees?method={IPC}")))
    assert listed == order
    assert names_in_order(text(profiled.get(f"{NEW}?method={IPC}"))) == order
    unit_page = text(profiled.get(f"/units/{unit}"))
    assert [n for n in re.findall(r">([^<>]+)</a>", unit_page) if n in order] == order
    # The attendance on a session's page too.
    with db(app) as s:
        present = [t.id for t in s.scalars(select(Trainee).where(Trainee.method_id == IPC))]
    session_id = add_session(profiled, present)
    detail = text(profiled.get(f"/guidance/sessions/{session_id}"))
    assert [n for n in re.findall(r">([^<>]+)</a>", detail) if n in order] == order
    assert offered_trainees(text(profiled.get(f"/guidance/sessions/{session_id}/edit")))
