"""Method guidance figures: totals per trainee and per method, minutes in a period, active trainees.

Plain functions over a Session (no Flask), shared by the guidance pages, the dashboard
("guidance hours this month and this year"), reports and exports, so that a number
means the same everywhere:

- only live sessions count (a deleted session drops out; restored, it counts again);
- attendance counts once per (trainee, session), even if a merge recorded it twice;
- a trainee whose person data was erased keeps their attendance and totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.core.clock import today
from app.core.figures import Totals
from app.models import GuidanceSession, SessionTrainee, Trainee
from app.queries.common import by_surname, live

TENTH = Decimal("0.1")


def trainee_totals(s: Session, trainee_ids: Iterable[str] | None = None) -> dict[str, Totals]:
    """{trainee_id: Totals} of the live sessions each trainee attended.

    With `trainee_ids`, every id asked for is in the answer (zero totals when none);
    without, only trainees that attended something are. Use `.get(id, Totals())`.
    """
    ids = None if trainee_ids is None else list(dict.fromkeys(trainee_ids))
    if ids == []:
        return {}
    # One row per (trainee, live session) first, so attendance recorded twice counts once;
    # joining before grouping lets SQLite walk the trainee_id index straight into sessions.
    per_session = select(
        SessionTrainee.trainee_id,
        func.min(GuidanceSession.duration_minutes).label("minutes"),
    ).join(GuidanceSession, GuidanceSession.id == SessionTrainee.session_id)
    per_session = per_session.where(live(SessionTrainee.deleted), live(GuidanceSession.deleted))
    if ids is not None:
        per_session = per_session.where(SessionTrainee.trainee_id.in_(ids))
    sessions = per_session.group_by(SessionTrainee.trainee_id, SessionTrainee.session_id).subquery()
    stmt: Select[str, int, int] = select(
        sessions.c.trainee_id, func.count(), func.coalesce(func.sum(sessions.c.minutes), 0)
    ).group_by(sessions.c.trainee_id)
    found = {tid: Totals(int(n), int(m)) for tid, n, m in s.execute(stmt)}
    if ids is None:
        return found
    return {tid: found.get(tid, Totals()) for tid in ids}


def _in_period(stmt, start: dt.date | None, end: dt.date | None):
    if start is not None:
        stmt = stmt.where(GuidanceSession.date >= start)
    if end is not None:
        stmt = stmt.where(GuidanceSession.date <= end)
    return stmt


def method_totals(s: Session, start: dt.date | None = None, end: dt.date | None = None) -> dict[str, Totals]:
    """{method_id: Totals} of live sessions dated start..end (both inclusive; None = open).

    A session counts once, however many trainees were present. Methods without
    sessions in the period are absent: use `.get(id, Totals())`.
    """
    stmt: Select[str, int, int] = select(
        GuidanceSession.method_id,
        func.count(GuidanceSession.id),
        func.coalesce(func.sum(GuidanceSession.duration_minutes), 0),
    ).where(live(GuidanceSession.deleted))
    stmt = _in_period(stmt, start, end).group_by(GuidanceSession.method_id)
    return {mid: Totals(int(n), int(m)) for mid, n, m in s.execute(stmt)}


def minutes_between(s: Session, start: dt.date, end: dt.date, unit_id: str | None = None) -> int:
    """Minutes of guidance given in live sessions dated start..end (both inclusive).

    With `unit_id`: sessions at which at least one trainee of that unit was present,
    each session counted once (the coordinator's time, not time per person).
    Hours for display: Totals(minutes=...).hours.
    """
    stmt = select(func.coalesce(func.sum(GuidanceSession.duration_minutes), 0)).where(live(GuidanceSession.deleted))
    stmt = _in_period(stmt, start, end)
    if unit_id is not None:
        # From the unit's few trainees to their sessions (unit_id, then trainee_id index),
        # rather than testing each session of the period for a trainee of the unit.
        attended = (
            select(SessionTrainee.session_id)
            .join(Trainee, Trainee.id == SessionTrainee.trainee_id)
            .where(Trainee.unit_id == unit_id, live(SessionTrainee.deleted))
        )
        stmt = stmt.where(GuidanceSession.id.in_(attended))
    return int(s.scalar(stmt) or 0)


def is_active(trainee: Trainee, on: dt.date) -> bool:
    """Still in training on `on`: no end date, or it is not yet past."""
    return trainee.end_date is None or trainee.end_date >= on


def active_condition(on: dt.date):
    return or_(Trainee.end_date.is_(None), Trainee.end_date >= on)


def active_trainees(s: Session, method_id: str, on: dt.date | None = None) -> list[Trainee]:
    """Live, not erased trainees of a method whose training has not ended by `on` (default today
    in Helsinki), by name: the people a new session of the method can tick as present."""
    if on is None:
        on = today()
    stmt = (
        select(Trainee)
        .where(
            Trainee.method_id == method_id,
            live(Trainee.deleted),
            Trainee.erased_at.is_(None),
            active_condition(on),
        )
        .order_by(by_surname(Trainee.name_key), Trainee.id)
    )
    return list(s.scalars(stmt))
