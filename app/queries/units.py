"""Reads about units: the list and its filters, choices for other forms, and a unit's page.

Plain functions over a Session (no Flask), so the dashboard, reports and exports
count exactly what the unit page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from app.core import collation
from app.core.text import fold
from app.models import (
    Deployment,
    Event,
    EventUnit,
    Goal,
    GoalUpdate,
    GuidanceSession,
    Method,
    SessionTrainee,
    Trainee,
    Unit,
)
from app.queries.common import by_name, by_surname, contains, get_live, live
from app.queries.goals import GoalRow, goal_rows
from app.queries.guidance import Totals
from app.queries.survey_cache import memo

STATUSES = ("active", "ended")


@dataclass(frozen=True)
class UnitFilter:
    q: str = ""
    service_line: str = ""
    age_group: str = ""
    status: str = ""  # "", "active" or "ended"


def matching_municipalities(s: Session, q: str) -> list[str]:
    """Municipality spellings that contain `q`, compared folded.

    SQLite's lower() folds only ASCII and the column has no folded twin, so the
    (few hundred at most) distinct spellings are folded here instead.
    """
    key = fold(q)
    names = s.scalars(select(Unit.municipality).where(Unit.deleted.is_(False), Unit.municipality != "").distinct())
    return [name for name in names if key in fold(name)]


def unit_list_stmt(s: Session, f: UnitFilter) -> Select:
    """Live units matching the filter, by name (Finnish-aware key)."""
    stmt = select(Unit).where(Unit.deleted.is_(False))
    if f.q.strip():
        name_match = contains(Unit.name_key, fold(f.q))
        places = matching_municipalities(s, f.q)
        stmt = stmt.where(or_(name_match, Unit.municipality.in_(places)) if places else name_match)
    if f.service_line:
        stmt = stmt.where(Unit.service_line == f.service_line)
    if f.age_group:
        stmt = stmt.where(Unit.age_group == f.age_group)
    if f.status in STATUSES:
        stmt = stmt.where(Unit.active.is_(f.status == "active"))
    return stmt.order_by(by_name(Unit.name_key), Unit.id)


def unit_choices(s: Session, include: str | Iterable[str] | None = None, include_ended: bool = False) -> list[tuple[str, str]]:
    """[(id, name)] of live, active units by name, for other records' forms (with `include_ended`,
    every live unit: the filters of lists).

    `include` (a record's current unit, or units) stays selectable whatever became of it since,
    so editing the record never fails on a choice the record already holds.
    """
    cond = live(Unit.deleted) if include_ended else and_(live(Unit.deleted), Unit.active.is_(True))
    kept = [include] if isinstance(include, str) else [i for i in include or () if i]
    if kept:
        cond = or_(cond, Unit.id.in_(kept))

    # Kept until the data next changes (app.queries.survey_cache): every list's filter asks.
    def read() -> list[tuple[str, str]]:
        # Sorted here by the collation's own key, not by ORDER BY ... COLLATE koordi: the same order,
        # but SQLite would call back into Python for each of a county's ~4 500 comparisons (half
        # the cost of the filters of every list page: issue 17).
        rows = sorted(
            s.execute(select(Unit.id, Unit.name, Unit.name_key).where(cond)),
            key=lambda row: (collation.key(row.name_key), row.id),
        )
        return [(row.id, row.name) for row in rows]

    found = memo(s, whole=True).kept(("unit_choices", tuple(kept), include_ended), read)
    return list(found)  # a copy: callers add their own choices to it


def live_unit(s: Session, unit_id: str) -> Unit | None:
    return get_live(s, Unit, unit_id)


# -- what touches one unit ---------------------------------------------------------


def unit_deployments(s: Session, unit_id: str) -> list[Deployment]:
    """The unit's live deployments (each with its method loaded), newest phase change first."""
    stmt = (
        select(Deployment)
        .where(Deployment.unit_id == unit_id, live(Deployment.deleted))
        .order_by(Deployment.phase_since.desc(), Deployment.id)
    )
    return list(s.scalars(stmt))


@dataclass(frozen=True)
class UnitEvent:
    event: Event
    attendance: EventUnit

    @property
    def attended(self) -> int | None:
        """Everyone from the unit, or None while no role's count is known."""
        counts = [self.attendance.professionals, self.attendance.supervisors, self.attendance.others]
        known = [c for c in counts if c is not None]
        return sum(known) if known else None


def unit_events(s: Session, unit_id: str, today: dt.date, limit: int = 10) -> tuple[list[UnitEvent], list[UnitEvent]]:
    """(recent, upcoming): the last `limit` events before today, newest first, and the next
    `limit` from today on, soonest first. Only events the unit is concerned in."""
    base = (
        select(Event, EventUnit)
        .join(EventUnit, EventUnit.event_id == Event.id)
        .where(EventUnit.unit_id == unit_id, live(EventUnit.deleted), live(Event.deleted))
    )
    recent = s.execute(base.where(Event.date < today).order_by(Event.date.desc(), Event.start_time.desc(), Event.id).limit(limit))
    upcoming = s.execute(base.where(Event.date >= today).order_by(Event.date, Event.start_time, Event.id).limit(limit))
    return [UnitEvent(*row) for row in recent], [UnitEvent(*row) for row in upcoming]


@dataclass(frozen=True)
class TraineeTotals:
    trainee: Trainee
    method: Method
    totals: Totals


def trainee_guidance_totals(
    s: Session, unit_id: str, start: dt.date | None = None, end: dt.date | None = None
) -> list[TraineeTotals]:
    """The unit's live trainees by name, each with their guidance Totals (of sessions dated
    start..end, both included, when given; a None end is open).

    Counted by the rules of app.queries.guidance.trainee_totals (live sessions only,
    one count per trainee and session, erased trainees keep theirs) -- a test holds
    the two equal -- but in one query keyed on the unit, which stays fast at
    benchmark scale where an IN-list of trainee ids made SQLite scan attendance.
    """
    pairs = (
        select(SessionTrainee.trainee_id, SessionTrainee.session_id)
        .join(Trainee, Trainee.id == SessionTrainee.trainee_id)
        .where(Trainee.unit_id == unit_id, live(SessionTrainee.deleted))
        .distinct()
        .subquery()
    )
    dated = []
    if start is not None:
        dated.append(GuidanceSession.date >= start)
    if end is not None:
        dated.append(GuidanceSession.date <= end)
    sums = (
        select(
            pairs.c.trainee_id,
            func.count(GuidanceSession.id).label("sessions"),
            func.coalesce(func.sum(GuidanceSession.duration_minutes), 0).label("minutes"),
        )
        .join(GuidanceSession, and_(GuidanceSession.id == pairs.c.session_id, live(GuidanceSession.deleted), *dated))
        .group_by(pairs.c.trainee_id)
        .subquery()
    )
    stmt: Select[Trainee, Method, int, int] = (
        select(Trainee, Method, func.coalesce(sums.c.sessions, 0), func.coalesce(sums.c.minutes, 0))
        .join(Method, Method.id == Trainee.method_id)
        .outerjoin(sums, sums.c.trainee_id == Trainee.id)
        .where(Trainee.unit_id == unit_id, live(Trainee.deleted))
        .order_by(by_surname(Trainee.name_key), Trainee.id)
    )
    return [TraineeTotals(t, m, Totals(int(n), int(mins))) for t, m, n, mins in s.execute(stmt)]


def sum_totals(rows: list[TraineeTotals]) -> Totals:
    """The unit's line under the table: sessions and minutes summed over its trainees."""
    return Totals(sum(r.totals.sessions for r in rows), sum(r.totals.minutes for r in rows))


GoalProgress = GoalRow  # a goal with its current value and direction-correct progress


def unit_goals(s: Session, unit_id: str) -> list[GoalProgress]:
    """The unit's live goals with the value of their newest live update (None before any), or for a
    goal on an indicator its monthly figures' (app.queries.goals.GoalRow; unit and method left None)."""
    ranked = (
        select(
            GoalUpdate.goal_id,
            GoalUpdate.value,
            GoalUpdate.date,
            func.row_number()
            .over(partition_by=GoalUpdate.goal_id, order_by=(GoalUpdate.date.desc(), GoalUpdate.created_at.desc()))
            .label("rank"),
        )
        .join(Goal, Goal.id == GoalUpdate.goal_id)
        .where(live(GoalUpdate.deleted), Goal.unit_id == unit_id)
        .subquery()
    )
    stmt: Select[Goal, int | None, dt.date | None] = (
        select(Goal, ranked.c.value, ranked.c.date)
        .outerjoin(ranked, and_(ranked.c.goal_id == Goal.id, ranked.c.rank == 1))
        .where(Goal.unit_id == unit_id, live(Goal.deleted))
        .order_by(Goal.target_date.is_(None), Goal.target_date, by_name(Goal.title), Goal.id)
    )
    return goal_rows([(g, None, None, v, d) for g, v, d in s.execute(stmt)], s)
