"""The dashboard's costly figures are kept between visits (app.queries.survey_cache's memo of
the whole database) and never shown stale: not after this app's writes, and not after another
program's (`koordi export`, `koordi survey` ... write the same file beside an open Koordi)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid

from app.models import Event, EventUnit, GuidanceSession
from app.models.sync import SyncRecord
from app.queries.survey_cache import memo
from app.store import DB_NAME
from tests.common import IPC, add, db, text
from tests.dashboard.test_dashboard import (  # noqa: F401 (en: a fixture)
    WEDNESDAY,
    contacts,
    en,
    listed,
    section,
)
from tests.guidance.helpers import add_session, add_trainee, add_unit


def hours(html: str) -> str:
    part = section(html, "dash-guidance")
    return part[part.index("Hours this month") : part.index("Hours this year") + len("Hours this year 10,0 h")]


def another_program(data_dir, *statements: str) -> None:
    """Run SQL in a process of its own, as a `koordi` command beside the app would."""
    script = (
        "import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], timeout=10)\n"
        "for statement in sys.argv[2:]:\n"
        "    conn.execute(statement)\n"
        "conn.commit()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(data_dir / DB_NAME), *statements], check=True, timeout=60)


def test_kept_figures_follow_the_apps_own_writes(en, app, contacts):
    html = text(en.get("/"))
    assert "D ei koskaan" in listed(html)
    assert "Hours this month 0,0 h Hours this year 1,0 h" in hours(html)
    add(app, GuidanceSession(date=WEDNESDAY, method_id=IPC, duration_minutes=90))
    html = text(en.get("/"))
    assert "Hours this month 1,5 h Hours this year 2,5 h" in hours(html)
    e = Event(type="workshop", title="Tapaaminen", date=WEDNESDAY)
    add(app, e)
    add(app, EventUnit(event_id=e.id, unit_id=contacts["D ei koskaan"].id))
    assert "D ei koskaan" not in listed(text(en.get("/")))


def test_kept_figures_follow_another_programs_writes(en, app, contacts, data_dir):
    sent = SyncRecord(
        at=dt.datetime.now(dt.UTC),  # after the fixture's rows: none of them is waiting
        purpose="central",
        kind="full",
        notes_included=False,
        names_included=False,
        file_name="lahetys.zip",
        export_id=str(uuid.uuid4()),
        coordinator_id=str(uuid.uuid4()),
        rows="{}",
    )
    add(app, sent)
    html = text(en.get("/"))
    assert "D ei koskaan" in listed(html)
    assert "Hours this month 0,0 h Hours this year 1,0 h" in hours(html)
    assert "there is nothing new to send" in section(html, "dash-send")
    again = text(en.get("/"))  # kept: the same figures again
    assert listed(again) == listed(html) and hours(again) == hours(html)

    stamp = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")  # as SQLAlchemy stores it
    another_program(
        data_dir,
        "UPDATE guidance_sessions SET duration_minutes = 150",
        f"UPDATE units SET active = 0, updated_at = '{stamp}' WHERE name = 'D ei koskaan'",
    )
    html = text(en.get("/"))
    assert "D ei koskaan" not in listed(html)
    assert "Hours this month 0,0 h Hours this year 2,5 h" in hours(html)
    assert "The next send holds 1 changed row." in section(html, "dash-send")


def test_the_survey_memo_is_not_kept_past_another_programs_write(app, data_dir):
    with db(app) as s:
        m = memo(s)
        m.put("figure", 1, m.generation)
        assert memo(s).get("figure") == 1
    with db(app) as s:
        assert memo(s).get("figure") == 1  # nothing written since
    another_program(data_dir, "INSERT INTO settings (key, value, updated_at) VALUES ('x', '1', '2026-11-25 12:00:00')")
    with db(app) as s:
        assert memo(s).get("figure") is None


def test_trainee_totals_and_unit_choices_follow_writes(profiled, app, data_dir):
    north = add_unit(app, "Pohjoinen")
    anna = add_trainee(profiled, "Anna Äijälä", unit_id=north)
    add_session(profiled, [anna], duration_minutes="150")
    page = text(profiled.get("/guidance/trainees"))
    assert "2,5 h" in page and ">Pohjoinen</option>" in page
    add_session(profiled, [anna], duration_minutes="30", date=(WEDNESDAY - dt.timedelta(days=7)).isoformat())
    add_unit(app, "Itäinen")
    page = text(profiled.get("/guidance/trainees"))
    assert "3,0 h" in page and ">Itäinen</option>" in page
    another_program(
        data_dir,
        "UPDATE guidance_sessions SET duration_minutes = 60",
        "UPDATE units SET name = 'Läntinen' WHERE name = 'Pohjoinen'",
    )
    page = text(profiled.get("/guidance/trainees"))
    assert "2,0 h" in page and ">Läntinen</option>" in page and ">Pohjoinen</option>" not in page
