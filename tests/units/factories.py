"""Rows written straight to the database, for pages that show other features' records."""

from __future__ import annotations

import datetime as dt
import re

from app.core.text import fold
from app.models import (
    Deployment,
    Event,
    EventMethod,
    EventUnit,
    Goal,
    GoalUpdate,
    GuidanceSession,
    SessionTrainee,
    Trainee,
    Unit,
)
from app.models.methods import seed_id
from tests.common import db, in_english, text  # noqa: F401 - shared with other test packages

UNIT = {
    "name": "Äänekosken terveysasema",
    "service_line": "health_station",
    "age_group": "adults",
    "municipality": "Äänekoski",
    "supervisor_name": "Sanna Esimies",
    "supervisor_email": "sanna.esimies@hyvaks.fi",
    "professionals": "14",
    "status": "active",
    "notes": "Pilotti alkaa syksyllä.",
}
IPC = seed_id("ipc")
COOL_KIDS = seed_id("cool-kids")


def add(app, *rows):
    with db(app) as s:
        s.add_all(rows)
        s.commit()
        ids = [r.id for r in rows]
    return ids


def unit_row(name: str, **kw) -> Unit:
    values = {"service_line": "health_station", "age_group": "adults", "municipality": "", **kw}
    return Unit(name=name, name_key=fold(name), **values)


def units_in_db(app, include_deleted: bool = False) -> list[Unit]:
    with db(app) as s:
        rows = s.query(Unit).order_by(Unit.name_key).all()
        return [u for u in rows if include_deleted or not u.deleted]


def get(app, model, id_):
    with db(app) as s:
        return s.get(model, id_)


def created_id(resp) -> str:
    m = re.search(r"/(?:units|methods)/([0-9a-f-]{36})$", resp.headers["Location"])
    assert m, resp.headers.get("Location")
    return m.group(1)


def errors_of(page: str) -> list[str]:
    """The messages shown at the fields (not the summary)."""
    return re.findall(r'<p class="error" id="([\w-]+)-error">(.*?)</p>', page, re.S)


def a_world(app, unit_id: str, today: dt.date) -> dict:
    """A deployment, events before and after today, trainees with sessions, goals with updates."""
    past = Event(
        type="workshop",
        title="Työpaja: IPC käyttöön",
        date=today - dt.timedelta(days=20),
        start_time=dt.time(9, 0),
        status="held",
    )
    future = Event(type="support_meeting", title="Tukitapaaminen syksy", date=today + dt.timedelta(days=10), status="planned")
    gone = Event(type="workshop", title="Poistettu työpaja", date=today - dt.timedelta(days=3), status="held", deleted=True)
    other = unit_row("Muu yksikkö")
    add(app, past, future, gone, other)
    anna = Trainee(name="Anna Kouluttautuja", name_key=fold("Anna Kouluttautuja"), unit_id=unit_id, method_id=IPC)
    erased = Trainee(name="", name_key="", unit_id=unit_id, method_id=IPC, erased_at=dt.datetime.now(dt.UTC))
    elsewhere = Trainee(name="Ville Muualta", name_key=fold("Ville Muualta"), unit_id=other.id, method_id=IPC)
    s1 = GuidanceSession(date=today - dt.timedelta(days=30), method_id=IPC, duration_minutes=90)
    s2 = GuidanceSession(date=today - dt.timedelta(days=9), method_id=IPC, duration_minutes=45)
    s_deleted = GuidanceSession(date=today - dt.timedelta(days=2), method_id=IPC, duration_minutes=600, deleted=True)
    goal = Goal(
        title="Kymmenen ammattilaista koulutettu",
        unit_id=unit_id,
        method_id=IPC,
        metric="koulutetut",
        target_value=10,
        target_date=today + dt.timedelta(days=100),
    )
    add(app, anna, erased, elsewhere, s1, s2, s_deleted, goal)
    add(
        app,
        Deployment(unit_id=unit_id, method_id=IPC, phase="pilot", phase_since=dt.date(2026, 9, 1)),
        Deployment(unit_id=unit_id, method_id=COOL_KIDS, phase="ended", phase_since=dt.date(2025, 1, 1), deleted=True),
        EventUnit(event_id=past.id, unit_id=unit_id, professionals=7, supervisors=1, others=0),
        EventUnit(event_id=future.id, unit_id=unit_id),
        EventUnit(event_id=gone.id, unit_id=unit_id, professionals=99),
        EventMethod(event_id=past.id, method_id=IPC),
        SessionTrainee(session_id=s1.id, trainee_id=anna.id),
        SessionTrainee(session_id=s2.id, trainee_id=anna.id),
        SessionTrainee(session_id=s2.id, trainee_id=anna.id),  # recorded twice: still one session
        SessionTrainee(session_id=s_deleted.id, trainee_id=anna.id),
        SessionTrainee(session_id=s1.id, trainee_id=erased.id),
        SessionTrainee(session_id=s1.id, trainee_id=elsewhere.id),
        GoalUpdate(goal_id=goal.id, date=today - dt.timedelta(days=40), value=3),
        GoalUpdate(goal_id=goal.id, date=today - dt.timedelta(days=5), value=6),
        GoalUpdate(goal_id=goal.id, date=today - dt.timedelta(days=1), value=9, deleted=True),
    )
    return {"past": past, "future": future, "anna": anna, "goal": goal, "other": other}
