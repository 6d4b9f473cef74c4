"""Figures of a period (start..end, both days included), split by type, month, unit or method.

Plain functions over a Session (no Flask), for the reports page and the PDF documents.
Each one counts by the rules of the function the dashboard and the feature pages
already use, only grouped, so that a number means the same everywhere (tests hold
every split's sum equal to the shared total):

- events: live events; "planned" is every event of the period whatever became of it,
  "held" those marked held (app.queries.events.MonthCount, the annual plan's rule);
  an event concerns a unit through a live attendance row;
- attendance: held events only, a role whose count is unknown adds 0
  (app.queries.events.attendance_totals);
- guidance: live sessions, each counted once however many trainees were present
  (app.queries.guidance.method_totals); a unit's guidance is the sessions at which at
  least one of its trainees was present, each once (minutes_between(unit_id=...));
- deployments: deployment, unit and method all live (app.queries.deployments).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from app.core.periods import Period
from app.models import (
    Deployment,
    Event,
    EventMethod,
    EventUnit,
    Goal,
    GuidanceSession,
    Method,
    PhaseChange,
    SessionTrainee,
    Trainee,
    Unit,
)
from app.models.deployments import PHASES
from app.models.events import EVENT_TYPES
from app.queries.common import live
from app.queries.deployments import live_condition
from app.queries.events import AttendanceTotals, MonthCount
from app.queries.goals import GoalFilter, GoalRow, goal_list_stmt, goal_rows
from app.queries.guidance import Totals

__all__ = [
    "events_by_type",
    "events_by_month",
    "events_by_method",
    "events_and_attendance_by_unit",
    "guidance_by_month",
    "guidance_by_unit",
    "TraineesGuided",
    "trainees_guided",
    "guidance_by_unit_and_trainees",
    "PeriodGuidance",
    "period_guidance",
    "phases_on",
    "phase_change_counts",
    "goals_for_period",
]


def _month_key(column):
    return func.strftime("%Y-%m", column)


def _month_date(key: str) -> dt.date:
    year, month = key.split("-")
    return dt.date(int(year), int(month), 1)


def _events_in(start: dt.date, end: dt.date):
    return and_(live(Event.deleted), Event.date >= start, Event.date <= end)


def _unit_events(unit_id: str):
    # IN (not EXISTS): the unit's few rows are found by index, then their events.
    return Event.id.in_(select(EventUnit.event_id).where(EventUnit.unit_id == unit_id, live(EventUnit.deleted)))


def events_by_type(s: Session, start: dt.date, end: dt.date, unit_id: str | None = None) -> dict[str, MonthCount]:
    """{event type: MonthCount}, every known type present (zeros included), in the types' order;
    with `unit_id`, only the events that concern that unit."""
    stmt = select(Event.type, Event.status, func.count()).where(_events_in(start, end))
    if unit_id:
        stmt = stmt.where(_unit_events(unit_id))
    out = {t: MonthCount() for t in EVENT_TYPES}
    for type_, status, n in s.execute(stmt.group_by(Event.type, Event.status)):
        out.setdefault(type_, MonthCount()).add(status, n)
    return out


def events_by_month(s: Session, period: Period) -> dict[dt.date, MonthCount]:
    """{first day of month: MonthCount} for every month the period touches."""
    key = _month_key(Event.date)
    stmt: Select[str, str, int] = (
        select(key, Event.status, func.count()).where(_events_in(period.start, period.end)).group_by(key, Event.status)
    )
    out = {m: MonthCount() for m in period.months()}
    for month, status, n in s.execute(stmt):
        out[_month_date(month)].add(status, n)
    return out


def _events_by_link(s: Session, link, key_column, start: dt.date, end: dt.date) -> dict[str, MonthCount]:
    """{key: MonthCount} of the events a link table ties to each key (keys without any are absent)."""
    stmt: Select[str, str, int] = (
        select(key_column, Event.status, func.count(func.distinct(Event.id)))
        .join(Event, Event.id == link.event_id)
        .where(_events_in(start, end), live(link.deleted))
        .group_by(key_column, Event.status)
    )
    out: dict[str, MonthCount] = {}
    for key, status, n in s.execute(stmt):
        out.setdefault(key, MonthCount()).add(status, n)
    return out


def events_by_method(s: Session, start: dt.date, end: dt.date) -> dict[str, MonthCount]:
    """{method_id: MonthCount} of the events that name each method (absent when none)."""
    return _events_by_link(s, EventMethod, EventMethod.method_id, start, end)


def events_and_attendance_by_unit(
    s: Session, start: dt.date, end: dt.date
) -> tuple[dict[str, MonthCount], dict[str, AttendanceTotals]]:
    """{unit_id: MonthCount} of the events that concern each unit, and {unit_id: AttendanceTotals}
    as attendance_totals(unit_id=...) counts them (units without any are absent), from one join
    of the period's events and their attendance rows grouped by unit and status: the held rows
    give the attendance (issue 17: the period report's unit rows joined the same rows twice)."""
    # SQLAlchemy types coalesce(sum(x), 0) as x's Optional type; it is never None.
    stmt: Select[str, str, int, int, int, int] = (
        select(  # type: ignore[assignment]
            EventUnit.unit_id,
            Event.status,
            func.count(func.distinct(Event.id)),
            func.coalesce(func.sum(EventUnit.professionals), 0),
            func.coalesce(func.sum(EventUnit.supervisors), 0),
            func.coalesce(func.sum(EventUnit.others), 0),
        )
        .join(EventUnit, EventUnit.event_id == Event.id)
        .where(_events_in(start, end), live(EventUnit.deleted))
        .group_by(EventUnit.unit_id, Event.status)
    )
    events: dict[str, MonthCount] = {}
    attendance: dict[str, AttendanceTotals] = {}
    for uid, status, n, p, sup, o in s.execute(stmt):
        events.setdefault(uid, MonthCount()).add(status, n)
        if status == "held":
            attendance[uid] = AttendanceTotals(int(n), int(p), int(sup), int(o))
    return events, attendance


def _sessions_in(start: dt.date, end: dt.date):
    return and_(live(GuidanceSession.deleted), GuidanceSession.date >= start, GuidanceSession.date <= end)


def guidance_by_month(s: Session, period: Period) -> dict[dt.date, Totals]:
    """{first day of month: Totals} of live sessions, every month of the period present."""
    key = _month_key(GuidanceSession.date)
    stmt: Select[str, int, int] = (
        select(key, func.count(GuidanceSession.id), func.coalesce(func.sum(GuidanceSession.duration_minutes), 0))
        .where(_sessions_in(period.start, period.end))
        .group_by(key)
    )
    out = {m: Totals() for m in period.months()}
    for month, n, minutes in s.execute(stmt):
        out[_month_date(month)] = Totals(int(n), int(minutes))
    return out


def _present(s: Session, start: dt.date, end: dt.date, unit_id: str | None = None):
    """(session id, minutes, method id, trainee id, trainee's unit id) of every live attendance
    at a live session of the period: one pass over the period's sessions that both
    guidance_by_unit and trainees_guided count from (at benchmark scale a year is 50 000
    sessions: grouping it three ways in SQL took seconds, once in Python a fraction)."""
    stmt = (
        select(
            GuidanceSession.id,
            GuidanceSession.duration_minutes,
            GuidanceSession.method_id,
            SessionTrainee.trainee_id,
            Trainee.unit_id,
        )
        .select_from(GuidanceSession)
        .join(SessionTrainee, SessionTrainee.session_id == GuidanceSession.id)
        .join(Trainee, Trainee.id == SessionTrainee.trainee_id)
        .where(_sessions_in(start, end), live(SessionTrainee.deleted))
    )
    if unit_id is not None:
        stmt = stmt.where(Trainee.unit_id == unit_id)
    return s.execute(stmt).all()


def _by_unit(rows) -> dict[str, Totals]:
    sessions: dict[str, dict[str, int]] = {}
    for session_id, minutes, _method, _trainee, unit_id in rows:
        if unit_id is not None:
            sessions.setdefault(unit_id, {})[session_id] = minutes  # each session once per unit
    return {uid: Totals(len(found), sum(found.values())) for uid, found in sessions.items()}


def guidance_by_unit(s: Session, start: dt.date, end: dt.date, unit_id: str | None = None) -> dict[str, Totals]:
    """{unit_id: Totals} of the sessions at which at least one trainee of the unit was present,
    each session once per unit (minutes_between(unit_id=...) for every unit at once, or
    for the one unit asked for)."""
    return _by_unit(_present(s, start, end, unit_id))


@dataclass(frozen=True)
class TraineesGuided:
    """Distinct trainees present at one or more live sessions of the period."""

    total: int
    by_method: dict[str, int]  # by the session's method
    by_unit: dict[str, int]  # by the trainee's unit (trainees without a unit are in the total only)


def _guided(rows) -> TraineesGuided:
    people: set[str] = set()
    by_method: dict[str, set[str]] = {}
    by_unit: dict[str, set[str]] = {}
    for _session, _minutes, method_id, trainee_id, unit_id in rows:
        people.add(trainee_id)
        by_method.setdefault(method_id, set()).add(trainee_id)
        if unit_id is not None:
            by_unit.setdefault(unit_id, set()).add(trainee_id)
    return TraineesGuided(len(people), {k: len(v) for k, v in by_method.items()}, {k: len(v) for k, v in by_unit.items()})


def trainees_guided(s: Session, start: dt.date, end: dt.date) -> TraineesGuided:
    return _guided(_present(s, start, end))


def guidance_by_unit_and_trainees(s: Session, start: dt.date, end: dt.date) -> tuple[dict[str, Totals], TraineesGuided]:
    """guidance_by_unit() and trainees_guided() from one read of the period's attendance."""
    rows = _present(s, start, end)
    return _by_unit(rows), _guided(rows)


@dataclass(frozen=True)
class PeriodGuidance:
    """What guidance_by_month, guidance.method_totals and guidance_by_unit_and_trainees give, read once."""

    by_month: dict[dt.date, Totals]
    by_method: dict[str, Totals]
    by_unit: dict[str, Totals]
    guided: TraineesGuided


def period_guidance(s: Session, period: Period) -> PeriodGuidance:
    """The period's guidance every way the period report splits it, from one pass over the period's
    live sessions and one over the live attendance and the trainees' units, joined here: at
    benchmark scale a year is 50 000 sessions, which the three queries it replaces read three
    times, the attendance joined in SQL a trainee lookup at a time (about a second in all).

    Both reads come grouped, their ids joined in one string a group (a day's sessions of one
    length and method; a trainee's sessions), split here in C: a row a session or an attendance
    made a Python tuple and two strings each was two thirds of the time (a year at bench scale
    0.45 s -> 0.2 s). Ids are UUIDs (made by the models, checked by the import): no comma."""
    months: dict[str, list[int]] = {f"{m:%Y-%m}": [0, 0] for m in period.months()}
    methods: dict[str, list[int]] = {}
    minutes_of: dict[str, int] = {}  # by session id
    method_of: dict[str, str] = {}
    for key, minutes, method_id, ids in _plain_rows(s, period_sessions_stmt(period)):
        found = ids.split(",")
        n, total = len(found), len(found) * (minutes or 0)
        for counts in (months.setdefault(key, [0, 0]), methods.setdefault(method_id, [0, 0])):
            counts[0] += n
            counts[1] += total
        minutes_of.update(dict.fromkeys(found, minutes))
        method_of.update(dict.fromkeys(found, method_id))
    unit_of: dict[str, str | None] = dict(_plain_rows(s, select(Trainee.id, Trainee.unit_id)))
    attended = (
        select(SessionTrainee.trainee_id, func.group_concat(SessionTrainee.session_id))
        .where(live(SessionTrainee.deleted))
        .group_by(SessionTrainee.trainee_id)  # the index ix_guidance_attendance_trainee_live's order: no sorting
    )
    # Each person, method or unit once per session, method or unit: sets, built in C.
    unit_sessions: dict[str, set[str]] = {}
    method_people: Counter[str] = Counter()
    unit_people: Counter[str] = Counter()
    people = 0
    for trainee_id, session_ids in _plain_rows(s, attended):
        if trainee_id not in unit_of:
            continue
        found = list(filter(method_of.__contains__, session_ids.split(",")))  # the period's live sessions
        if not found:
            continue
        people += 1
        method_people.update(set(map(method_of.__getitem__, found)))
        unit_id = unit_of[trainee_id]
        if unit_id is not None:
            unit_people[unit_id] += 1
            unit_sessions.setdefault(unit_id, set()).update(found)
    return PeriodGuidance(
        by_month={_month_date(key): Totals(n, minutes) for key, (n, minutes) in months.items()},
        by_method={mid: Totals(n, minutes) for mid, (n, minutes) in methods.items()},
        by_unit={uid: Totals(len(found), sum(map(minutes_of.__getitem__, found))) for uid, found in unit_sessions.items()},
        guided=TraineesGuided(people, dict(method_people), dict(unit_people)),
    )


def period_sessions_stmt(period: Period) -> Select:
    """("YYYY-MM", minutes, method id, the ids joined by commas) of the period's live sessions,
    grouped by day, length and method, read from the index ix_guidance_sessions_period alone
    (migration 0010: a year at bench scale 0.33 s -> 0.1 s), in its order: grouped by its columns,
    `deleted` included, SQLite walks the index instead of sorting every session; the live rule is
    a plain filter here (unlikely(x) is x), as an index term it made the planner sort anyway."""
    day, deleted = GuidanceSession.date, GuidanceSession.deleted
    minutes, method = GuidanceSession.duration_minutes, GuidanceSession.method_id
    return (
        select(_month_key(day), minutes, method, func.group_concat(GuidanceSession.id))
        .where(live(func.unlikely(deleted)), day >= period.start, day <= period.end)
        .group_by(day, deleted, minutes, method)
    )


def _plain_rows(s: Session, stmt: Select) -> list[tuple]:
    """A statement's rows as the driver's plain tuples, through the session's connection (and
    so its transaction): tens of thousands of rows without SQLAlchemy's result handling of
    each, a third of a read's time. Only dates and constants are bound: they go in as literals."""
    conn = s.connection()
    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        return cursor.execute(sql).fetchall()
    finally:
        cursor.close()


def _deployments(stmt):
    """Joined to unit and method, as live_condition() needs."""
    return stmt.join(Unit, Unit.id == Deployment.unit_id).join(Method, Method.id == Deployment.method_id)


def phases_on(s: Session, day: dt.date) -> dict[str, dict[str, int]]:
    """{method_id: {phase: live deployments in it on `day`}} (methods without any are absent).

    From the day a deployment entered its current phase it is in that phase (so on
    today this is count_by_phase per method); before that, in the last phase its
    history had entered by `day`, ordered as phase_history orders it. A deployment
    whose history starts after `day` did not exist yet.
    """
    out: dict[str, dict[str, int]] = {}

    def add(rows) -> None:
        for method_id, phase, n in rows:
            counts = out.setdefault(method_id, dict.fromkeys(PHASES, 0))
            counts[phase] = counts.get(phase, 0) + n

    current = (
        _deployments(select(Deployment.method_id, Deployment.phase, func.count()))
        .where(live_condition(), Deployment.phase_since <= day)
        .group_by(Deployment.method_id, Deployment.phase)
    )
    add(s.execute(current))
    ranked = (
        select(
            PhaseChange.deployment_id,
            PhaseChange.phase,
            func.row_number()
            .over(
                partition_by=PhaseChange.deployment_id,
                order_by=(PhaseChange.changed_on.desc(), PhaseChange.created_at.desc(), PhaseChange.id.desc()),
            )
            .label("rank"),
        )
        .where(PhaseChange.deleted.is_(False), PhaseChange.changed_on <= day)
        .subquery()
    )
    earlier = (
        _deployments(select(Deployment.method_id, ranked.c.phase, func.count()))
        .join(ranked, and_(ranked.c.deployment_id == Deployment.id, ranked.c.rank == 1))
        .where(live_condition(), Deployment.phase_since > day)
        .group_by(Deployment.method_id, ranked.c.phase)
    )
    add(s.execute(earlier))
    return out


def phase_change_counts(s: Session, start: dt.date, end: dt.date) -> dict[tuple[str, str], int]:
    """{(unit_id, method_id): phases entered from `start` to `end`}, counted as
    app.queries.deployments.phase_changes_between lists them (live deployments, the first
    phase included): the report needs only the counts, not thousands of rows made objects."""
    stmt: Select[str, str, int] = (
        _deployments(select(Deployment.unit_id, Deployment.method_id, func.count()))
        .join(PhaseChange, PhaseChange.deployment_id == Deployment.id)
        .where(live_condition(), PhaseChange.deleted.is_(False), PhaseChange.changed_on >= start, PhaseChange.changed_on <= end)
        .group_by(Deployment.unit_id, Deployment.method_id)
    )
    return {(unit_id, method_id): n for unit_id, method_id, n in s.execute(stmt)}


def goals_for_period(s: Session, start: dt.date, end: dt.date) -> list[GoalRow]:
    """Live goals whose target date falls in the period, and those without a target date,
    with their current value (app.queries.goals' rule); soonest target first."""
    stmt = goal_list_stmt(GoalFilter()).where(
        or_(and_(Goal.target_date >= start, Goal.target_date <= end), Goal.target_date.is_(None))
    )
    return goal_rows(s.execute(stmt), s)
