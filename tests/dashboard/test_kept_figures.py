"""The dashboard's costly figures are kept between visits (app.queries.survey_cache's memo of
the whole database) and never shown stale: not after this app's writes, and not after another
program's (`koordi export`, `koordi survey` ... write the same file beside an open Koordi)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid

from app.models import Event, EventUnit, Goal, GoalUpdate, GuidanceSession
from app.models.sync import SyncRecord
from app.queries.survey_cache import memo
from app.store import DB_NAME
from tests.common import IPC, add, db, text, unit_row
from tests.dashboard.test_dashboard import (  # noqa: F401 (en: a fixture)
    WEDNESDAY,
    contacts,
    en,
    listed,
    section,
    week_table,
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


def test_kept_weeks_and_past_planned_events_follow_writes(en, app, data_dir):
    """The weeks' events (with their units) and the past events still planned are kept between
    visits too (issue 17): the next visit after a write, the app's or another program's, shows it."""
    unit = unit_row("Kajaanin terveysasema")
    old = Event(type="workshop", title="Vanha työpaja", date=WEDNESDAY - dt.timedelta(days=20))
    add(app, unit, old, *[Event(type="workshop", title=f"Työpaja {i:02d}", date=WEDNESDAY) for i in range(16)])
    html = text(en.get("/"))
    this_week = week_table(html, dt.date(2026, 11, 23))
    assert "Työpaja 14" in this_week and "1 more event this week" in this_week
    assert "Vanha työpaja" in section(html, "dash-past-planned")
    early = Event(type="workshop", title="Aamun tuki", date=dt.date(2026, 11, 23), start_time=dt.time(7, 0))
    add(app, early)
    add(app, EventUnit(event_id=early.id, unit_id=unit.id))
    html = text(en.get("/"))
    this_week = week_table(html, dt.date(2026, 11, 23))
    assert "23.11.2026 7:00 Aamun tuki Workshop Planned Kajaanin terveysasema" in this_week
    assert "Työpaja 14" not in this_week and "2 more events this week" in this_week
    assert "Aamun tuki" in section(html, "dash-past-planned")  # Monday's, before today
    another_program(data_dir, f"UPDATE events SET status = 'held' WHERE id = '{old.id}'")
    past = section(text(en.get("/")), "dash-past-planned")
    assert "Aamun tuki" in past and "Vanha työpaja" not in past


def test_kept_goals_due_follow_writes(en, app, data_dir):
    """The goals due are kept between visits (issue 17): an update, a new goal and another
    program's edit each show on the next visit."""
    goal = Goal(title="Edistyvä", method_id=IPC, target_value=8, metric="koulutetut", target_date=WEDNESDAY)
    add(app, goal)
    add(app, GoalUpdate(goal_id=goal.id, date=WEDNESDAY, value=2))
    assert "Edistyvä 25.11.2026 25 % 25 % · 2 / 8 koulutetut" in section(text(en.get("/")), "dash-goals")  # bar, text
    add(app, GoalUpdate(goal_id=goal.id, date=WEDNESDAY, value=6))
    add(app, Goal(title="Uusi tavoite", method_id=IPC, target_value=5, target_date=WEDNESDAY + dt.timedelta(days=3)))
    part = section(text(en.get("/")), "dash-goals")
    assert "Edistyvä 25.11.2026 75 % 75 % · 6 / 8 koulutetut" in part and "Uusi tavoite 28.11.2026 No updates yet" in part
    another_program(data_dir, f"UPDATE goals SET title = 'Uudelleen nimetty' WHERE id = '{goal.id}'")
    part = section(text(en.get("/")), "dash-goals")
    assert "Uudelleen nimetty 25.11.2026 75 %" in part and "Edistyvä" not in part
