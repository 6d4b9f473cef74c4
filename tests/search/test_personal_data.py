"""Professionals' names and emails: shown only where the coordinator's work needs them, and
gone everywhere (pages, search, the full-text index's own pages) once erased.

Where names are shown, and why (the decision; see also the units and guidance tests):
- a trainee's name: the trainee list and page, guidance session entry and a session's
  page (who was there), the unit's page (its people in training), and search (finding a
  trainee is the point of searching trainees). Never an email outside the trainee's page
  and form.
- a supervisor's name and email: the unit's page and its form only.
- nowhere else: not on the dashboard, event pages, goal pages, method or deployment
  pages, lists of units or events, search snippets of other records, nor in the log.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text as sqltext

from app import logs
from app.core import clock
from app.models import Event, EventUnit, Goal, GuidanceSession, SessionTrainee, Trainee, Unit
from tests.common import IPC, add, db, get, in_english, squash, text, unit_row

NAME, EMAIL = "Örjan Mäkelä", "orjan.makela@example.org"
SUPERVISOR, SUPERVISOR_EMAIL = "Sanna Esimies", "sanna.esimies@example.org"


@pytest.fixture
def en(profiled):
    in_english(profiled)
    return profiled


@pytest.fixture
def world(app):
    today = clock.today()
    unit = unit_row("Kuhmon terveysasema", supervisor_name=SUPERVISOR, supervisor_email=SUPERVISOR_EMAIL)
    add(app, unit)
    trainee = Trainee(name=NAME, name_key="örjan mäkelä", email=EMAIL, method_id=IPC, unit_id=unit.id, profession="psykologi")
    event = Event(type="guidance_group", title="IPC-ryhmä", date=today)
    session = GuidanceSession(date=today, method_id=IPC, duration_minutes=90, topics="Uniongelmat")
    goal = Goal(title="Kymmenen koulutettua", unit_id=unit.id, method_id=IPC, target_value=10)
    add(app, trainee, event, session, goal)
    add(app, EventUnit(event_id=event.id, unit_id=unit.id), SessionTrainee(session_id=session.id, trainee_id=trainee.id))
    return {"unit": unit, "trainee": trainee, "event": event, "session": session, "goal": goal}


def index_terms(app, table: str = "search_index") -> set[str]:
    """Every term a full-text index holds in its own pages (not only what a query matches)."""
    with db(app) as s:
        s.execute(sqltext(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms_{table} USING fts5vocab(main, {table}, 'row')"))
        return set(s.scalars(sqltext(f"SELECT term FROM temp.terms_{table}")))


def found(client, q: str) -> str:
    return squash(text(client.get("/search", query_string={"q": q})))


def test_names_are_only_where_the_work_needs_them(en, app, world):
    unit, trainee = world["unit"], world["trainee"]
    needed = [
        "/guidance/trainees",
        f"/guidance/trainees/{trainee.id}",
        f"/guidance/sessions/{world['session'].id}",
        f"/guidance/sessions/new?method={IPC}",
        f"/units/{unit.id}",
    ]
    for path in needed:
        assert NAME in text(en.get(path)), path
    assert NAME in found(en, "örjan")
    assert SUPERVISOR in text(en.get(f"/units/{unit.id}")) and SUPERVISOR_EMAIL in text(en.get(f"/units/{unit.id}"))
    assert EMAIL in text(en.get(f"/guidance/trainees/{trainee.id}"))

    not_needed = [
        "/",
        "/units",
        "/events",
        f"/events/{world['event'].id}",
        "/events/plan",
        "/goals",
        f"/goals/{world['goal'].id}",
        f"/methods/{IPC}",
        "/deployments",
        "/guidance",
        "/guidance/totals",
    ]
    for path in not_needed:
        page = text(en.get(path))
        assert en.get(path).status_code == 200, path
        for personal in (NAME, EMAIL, SUPERVISOR, SUPERVISOR_EMAIL):
            assert personal not in page, (path, personal)
    for path in ("/guidance/trainees", f"/units/{unit.id}", f"/guidance/sessions/{world['session'].id}"):
        assert EMAIL not in text(en.get(path)), path
    for q in ("psykologi", "uniongelmat", "kuhmon", "ipc"):  # other records' results and snippets
        page = found(en, q)
        assert EMAIL not in page and SUPERVISOR not in page, q
    # Neither searchable nor in the index: emails and supervisors have no search use.
    assert "Nothing found" in found(en, "esimies") and "Nothing found" in found(en, "sanna")
    assert not {"sanna", "esimies", "orjan", "example"} & index_terms(app)
    log = logs.log_file(app.config["DATA_DIR"])
    assert not log.exists() or NAME not in log.read_text(encoding="utf-8")


def test_erased_trainee_leaves_every_page_and_the_index_itself(en, app, world):
    trainee = world["trainee"]
    assert {"örjan", "mäkelä"} <= index_terms(app) and {"orjan", "makela"} <= index_terms(app, "search_index_folded")
    before = get(app, Trainee, trainee.id).updated_at
    page = f"/guidance/trainees/{trainee.id}/erase"
    assert en.post(page, {}, csrf_from=page).status_code == 302

    erased = get(app, Trainee, trainee.id)
    assert (erased.name, erased.name_key, erased.email) == ("", "", "") and erased.updated_at > before
    assert erased.profession == "psykologi"  # a profession is not personal data: the totals keep their meaning
    for path in (
        "/guidance/trainees",
        f"/guidance/trainees/{trainee.id}",
        f"/guidance/sessions/{world['session'].id}",
        f"/units/{world['unit'].id}",
        f"/guidance/sessions/new?method={IPC}",
    ):
        page = text(en.get(path))
        assert NAME not in page and EMAIL not in page, path
    assert "Nothing found" in found(en, "örjan") and "Nothing found" in found(en, "mäkelä")
    assert not {"örjan", "mäkelä", "orjan"} & index_terms(app)  # gone from the index's pages, not just hidden
    assert not {"orjan", "makela"} & index_terms(app, "search_index_folded")  # and from the one without ä and ö
    assert "Did you mean" not in found(en, "örjn")  # nor offered as a suggestion
    with db(app) as s:
        row = s.execute(sqltext("SELECT title, body FROM search_docs WHERE ref_id = :id"), {"id": trainee.id}).one()
    assert tuple(row) == ("", "")


def test_erased_supervisor_leaves_the_unit_page_and_the_row_travels(en, app, world):
    unit = world["unit"]
    before = get(app, Unit, unit.id).updated_at
    page = f"/units/{unit.id}/erase-supervisor"
    assert en.post(page, {}, csrf_from=page).status_code == 302
    after = get(app, Unit, unit.id)
    assert (after.supervisor_name, after.supervisor_email) == ("", "") and after.updated_at > before
    unit_page = text(en.get(f"/units/{unit.id}"))
    assert SUPERVISOR not in unit_page and SUPERVISOR_EMAIL not in unit_page
    assert "Nothing found" in found(en, "sanna")
