"""Units without contact as the records change and as days pass.

units_without_contact reads the records themselves (no stored "last contact" that could
go stale), so these tests change the records the way the pages do (the features' ops
and undo) and ask again. Its guidance check takes one of two routes by the size of the
data (the units' trainees' own attendance, or all the window's sessions): both are
driven here and must agree.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.events import ops as event_ops
from app.guidance import ops as guidance_ops
from app.models import Event, EventUnit, GuidanceSession, SessionTrainee, Trainee, Unit
from app.queries.dashboard import units_without_contact
from app.web.undo import restore
from tests.common import IPC, add, db, unit_row

TODAY = dt.date(2026, 11, 25)
WEEKS = 6


def listed(app, today: dt.date = TODAY) -> list[str]:
    with db(app) as s:
        return [row.unit.name for row in units_without_contact(s, today, WEEKS, limit=100).units]


def last_contact(app, name: str, today: dt.date = TODAY) -> dt.date | None:
    with db(app) as s:
        rows = units_without_contact(s, today, WEEKS, limit=100).units
    return next(row.last_contact for row in rows if row.unit.name == name)


@pytest.fixture
def unit(app):
    row = unit_row("Kuhmon terveysasema")
    add(app, row)
    return row.id


def event_on(app, unit_id: str, day: dt.date, **kw) -> str:
    with db(app) as s:
        data = event_ops.EventData(type="workshop", title="Työpaja", date=day, unit_ids=[unit_id], **kw)
        return event_ops.create_events(s, data)[0].id


def edit_event(app, event_id: str, **changes) -> None:
    with db(app) as s:
        event = s.get(Event, event_id)
        units = [u.unit_id for u in s.query(EventUnit).filter_by(event_id=event_id, deleted=False)]
        data = event_ops.EventData(type=event.type, title=event.title, date=event.date, status=event.status, unit_ids=units)
        for name, value in changes.items():
            setattr(data, name, value)
        event_ops.update_event(s, event, data)


def trainee_of(app, unit_id: str, name: str = "Tiina Testi") -> str:
    with db(app) as s:
        data = guidance_ops.TraineeData(name=name, method_id=IPC, unit_id=unit_id)
        return guidance_ops.save_trainee(s, data).id


def session_on(app, day: dt.date, *trainee_ids: str) -> str:
    with db(app) as s:
        data = guidance_ops.SessionData(
            date=day, method_id=IPC, kind="group", mode="onsite", duration_minutes=60, trainee_ids=list(trainee_ids)
        )
        return guidance_ops.save_session(s, data).id


def soft_delete(app, model, row_id: str) -> None:
    with db(app) as s:
        s.get(model, row_id).soft_delete()
        s.commit()


def undo(app, model, row_id: str) -> None:
    with db(app) as s:
        restore(s, s.get(model, row_id))


# -- events ------------------------------------------------------------------------------


def test_an_event_is_contact_from_its_day_on_until_the_weeks_run_out(app, unit):
    day = TODAY + dt.timedelta(days=3)
    event_on(app, unit, day)
    assert listed(app) == ["Kuhmon terveysasema"]  # planned for Saturday: not contact yet
    assert listed(app, day - dt.timedelta(days=1)) == ["Kuhmon terveysasema"]
    assert listed(app, day) == []  # its day has come
    assert listed(app, day + dt.timedelta(weeks=WEEKS)) == []  # the last day it still counts
    assert listed(app, day + dt.timedelta(weeks=WEEKS, days=1)) == ["Kuhmon terveysasema"]
    assert last_contact(app, "Kuhmon terveysasema", day + dt.timedelta(weeks=WEEKS, days=1)) == day


def test_deleting_undoing_and_cancelling_an_event_change_the_answer_at_once(app, unit):
    event_id = event_on(app, unit, TODAY - dt.timedelta(days=10))
    assert listed(app) == []
    soft_delete(app, Event, event_id)
    assert listed(app) == ["Kuhmon terveysasema"]
    undo(app, Event, event_id)
    assert listed(app) == []
    edit_event(app, event_id, status="cancelled")
    assert listed(app) == ["Kuhmon terveysasema"]
    edit_event(app, event_id, status="held")
    assert listed(app) == []


def test_editing_an_events_date_or_units_moves_the_contact(app, unit):
    other = unit_row("Sotkamon perheneuvola")
    add(app, other)
    event_id = event_on(app, unit, TODAY - dt.timedelta(days=10))
    assert listed(app) == ["Sotkamon perheneuvola"]
    edit_event(app, event_id, unit_ids=[other.id])  # the unit taken off the event
    assert listed(app) == ["Kuhmon terveysasema"]
    edit_event(app, event_id, date=TODAY - dt.timedelta(weeks=10))  # moved back in time
    assert sorted(listed(app)) == ["Kuhmon terveysasema", "Sotkamon perheneuvola"]
    assert last_contact(app, "Sotkamon perheneuvola") == TODAY - dt.timedelta(weeks=10)


def test_an_ended_unit_is_never_listed_and_a_reactivated_one_is(app, unit):
    with db(app) as s:
        s.get(Unit, unit).active = False
        s.commit()
    assert listed(app) == []
    with db(app) as s:
        s.get(Unit, unit).active = True
        s.commit()
    assert listed(app) == ["Kuhmon terveysasema"]


# -- guidance, by both routes ---------------------------------------------------------------


def busy_window(app, sessions: int) -> None:
    """Guidance in the window of a trainee with no unit: the window holds many sessions."""
    with db(app) as s:
        someone = guidance_ops.save_trainee(s, guidance_ops.TraineeData(name="Yksiköttä", method_id=IPC)).id
    for i in range(sessions):
        session_on(app, TODAY - dt.timedelta(days=i % 20), someone)


def long_history(app, trainee_id: str, sessions: int) -> None:
    """The unit's trainee's own guidance, long before the window."""
    for i in range(sessions):
        session_on(app, TODAY - dt.timedelta(weeks=20, days=i), trainee_id)


@contextmanager
def routes_taken(app):
    """The routes the guidance checks took while the block ran."""
    taken: list[str] = []

    def record(conn, cursor, statement, params, context, executemany):
        if statement.startswith("SELECT DISTINCT guidance_attendance.trainee_id"):
            by_trainee = "guidance_attendance.trainee_id IN" in statement
            taken.append("through the trainees" if by_trainee else "through the window")

    engine = app.extensions["koordi.store"].engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield taken
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture(params=["through the trainees", "through the window"])
def route(request, app):
    """Data that makes units_without_contact take each route for the unit under test;
    after the test, every guidance check it made must have taken that route."""
    if request.param == "through the trainees":
        busy_window(app, 12)  # 12 sessions in the window, the unit's trainee has a few
    with routes_taken(app) as taken:
        yield request.param
    assert taken and set(taken) == {request.param}, taken


def test_guidance_is_contact_by_either_route(app, unit, route):
    trainee = trainee_of(app, unit)
    if route == "through the window":
        long_history(app, trainee, 12)  # 12 of the trainee's own, the window has one
    assert "Kuhmon terveysasema" in listed(app)
    session = session_on(app, TODAY - dt.timedelta(days=4), trainee)
    assert "Kuhmon terveysasema" not in listed(app)

    soft_delete(app, GuidanceSession, session)  # the session deleted
    assert "Kuhmon terveysasema" in listed(app)
    undo(app, GuidanceSession, session)
    assert "Kuhmon terveysasema" not in listed(app)

    with db(app) as s:  # the trainee taken off the session's attendance
        record = s.get(GuidanceSession, session)
        data = guidance_ops.SessionData(
            date=record.date, method_id=IPC, kind="group", mode="onsite", duration_minutes=60, trainee_ids=[]
        )
        guidance_ops.save_session(s, data, record)
    assert "Kuhmon terveysasema" in listed(app)
    with db(app) as s:
        row = s.query(SessionTrainee).filter_by(session_id=session).one()
        row.undelete()
        s.commit()
    assert "Kuhmon terveysasema" not in listed(app)

    with db(app) as s:  # an erased trainee's sessions still happened
        guidance_ops.erase_trainee(s, s.get(Trainee, trainee))
    assert "Kuhmon terveysasema" not in listed(app)
    soft_delete(app, Trainee, trainee)  # a deleted trainee's do not count
    assert "Kuhmon terveysasema" in listed(app)
    undo(app, Trainee, trainee)
    assert "Kuhmon terveysasema" not in listed(app)


def test_a_trainee_moving_to_another_unit_takes_the_contact_along(app, unit, route):
    other = unit_row("Sotkamon perheneuvola")
    add(app, other)
    trainee = trainee_of(app, unit)
    if route == "through the window":
        long_history(app, trainee, 12)
    session_on(app, TODAY - dt.timedelta(days=4), trainee)
    assert "Kuhmon terveysasema" not in listed(app) and "Sotkamon perheneuvola" in listed(app)
    with db(app) as s:
        s.get(Trainee, trainee).unit_id = other.id
        s.commit()
    assert "Kuhmon terveysasema" in listed(app) and "Sotkamon perheneuvola" not in listed(app)


def test_guidance_in_the_future_or_before_the_window_is_not_recent_contact(app, unit, route):
    trainee = trainee_of(app, unit)
    if route == "through the window":
        long_history(app, trainee, 12)
    session_on(app, TODAY + dt.timedelta(days=1), trainee)  # tomorrow (entered ahead by mistake)
    session_on(app, TODAY - dt.timedelta(weeks=WEEKS, days=1), trainee)  # one day too early
    assert "Kuhmon terveysasema" in listed(app)
    assert last_contact(app, "Kuhmon terveysasema") == TODAY - dt.timedelta(weeks=WEEKS, days=1)
    assert "Kuhmon terveysasema" not in listed(app, TODAY + dt.timedelta(days=1))  # tomorrow it is


def test_both_routes_give_the_same_list(app):
    """Many units, some met by events, some by guidance, some not at all: one answer."""
    names = [f"Yksikkö {i:02d}" for i in range(12)]
    units = [unit_row(n) for n in names]
    add(app, *units)
    for u in units[:4]:
        event_on(app, u.id, TODAY - dt.timedelta(days=5))
    trainees = [trainee_of(app, u.id, f"Ohjattava {i}") for i, u in enumerate(units[4:10])]
    for t in trainees[:3]:
        session_on(app, TODAY - dt.timedelta(days=2), t)
    for t in trainees[3:]:
        session_on(app, TODAY - dt.timedelta(weeks=9), t)
    with routes_taken(app) as taken:
        first = listed(app)
    assert taken == ["through the window"]  # 6 sessions of the units' trainees, 3 in the window
    assert first == ["Yksikkö 10", "Yksikkö 11", "Yksikkö 07", "Yksikkö 08", "Yksikkö 09"]
    busy_window(app, 40)
    with routes_taken(app) as taken:
        assert listed(app) == first
    assert taken == ["through the trainees"]


# -- the last contact, against a plain reading of every row --------------------------------


def brute_force(app, today: dt.date, weeks: int) -> dict[str, dt.date | None]:
    """{unit name: last contact} of the listed units, read the slow and obvious way."""
    since = today - dt.timedelta(weeks=weeks)
    with db(app) as s:
        units = {u.id: u.name for u in s.query(Unit).filter_by(deleted=False, active=True)}
        trainees = {t.id: t.unit_id for t in s.query(Trainee).filter_by(deleted=False)}
        sessions = {g.id: g.date for g in s.query(GuidanceSession).filter_by(deleted=False)}
        events = {e.id: e.date for e in s.query(Event).filter_by(deleted=False) if e.status != "cancelled"}
        dates: dict[str, list[dt.date]] = {u: [] for u in units}
        for row in s.query(EventUnit).filter_by(deleted=False):
            if row.event_id in events and row.unit_id in dates:
                dates[row.unit_id].append(events[row.event_id])
        for row in s.query(SessionTrainee).filter_by(deleted=False):
            unit_id = trainees.get(row.trainee_id)
            if row.session_id in sessions and unit_id in dates:
                dates[unit_id].append(sessions[row.session_id])
    out = {}
    for unit_id, days in dates.items():
        days = [d for d in days if d <= today]
        if not any(d >= since for d in days):
            out[units[unit_id]] = max(days, default=None)
    return out


def test_last_contacts_match_a_plain_reading_of_every_row_by_every_route(app):
    """Units with long histories, some met lately, some after a long break, some only by
    guidance, some never: every listed unit's last contact is right, whichever way it was
    found (a walk back over the events' dates, or per unit; guidance by dates or by trainee)."""
    rng = random.Random(7)
    units = [unit_row(f"Yksikkö {i:02d}") for i in range(30)]
    add(app, *units)
    start = TODAY - dt.timedelta(days=700)
    for u in units[:24]:  # events over two years; a few units stop early
        stop = TODAY - dt.timedelta(days=rng.choice((0, 0, 90, 400)))
        for _ in range(rng.randrange(10, 40)):
            day = start + dt.timedelta(days=rng.randrange((stop - start).days + 1))
            e = Event(type="workshop", title="T", date=day, status=rng.choice(("held", "held", "planned", "cancelled")))
            add(app, e)
            add(app, EventUnit(event_id=e.id, unit_id=u.id, deleted=rng.random() < 0.05))
    trainees = [Trainee(name=f"O {i}", name_key=f"o {i}", method_id=IPC, unit_id=units[i % 30].id) for i in range(20, 50)]
    add(app, *trainees)
    for t in trainees:
        for _ in range(rng.randrange(0, 15)):
            g = GuidanceSession(date=start + dt.timedelta(days=rng.randrange(700)), method_id=IPC, duration_minutes=60)
            add(app, g)
            add(app, SessionTrainee(session_id=g.id, trainee_id=t.id))
    spans, per_unit = 0, 0
    for today in (TODAY, TODAY - dt.timedelta(days=200), TODAY + dt.timedelta(days=120), TODAY + dt.timedelta(days=600)):
        engine = app.extensions["koordi.store"].engine
        seen: list[str] = []
        record = lambda conn, cursor, statement, *a, seen=seen: seen.append(statement)  # noqa: E731
        event.listen(engine, "before_cursor_execute", record)
        try:
            with db(app) as s:
                result = units_without_contact(s, today, WEEKS, limit=100)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        spans += sum("max(events.date)" in q and "event_attendance.unit_id IN" not in q for q in seen)
        per_unit += sum("max(events.date)" in q and "event_attendance.unit_id IN" in q for q in seen)
        assert {row.unit.name: row.last_contact for row in result.units} == brute_force(app, today, WEEKS), today
    assert spans and per_unit  # both ways of finding the last event were taken and checked
