"""Reads behind deleting and restoring: what hangs on a unit, and what was deleted lately.

The rule (app/web/undo.py): a delete soft-deletes the one record asked for, nothing else.
A unit's deployments, event links, trainees, goals and survey rounds keep their rows; the
deployments (and the unit's survey results) are hidden through the deleted unit, the rest
still show it by name. So restoring the unit brings back exactly what went with it, and a
record deleted on its own earlier stays deleted. Events of a series deleted together share
one updated_at (events/ops.py: delete_following) and come back together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from app.models import (
    Deployment,
    Event,
    EventUnit,
    Goal,
    GuidanceSession,
    Method,
    MonthlyFigure,
    PhaseChange,
    SessionTrainee,
    SurveyRound,
    SurveyRoundUnit,
    Trainee,
    Unit,
)
from app.queries.common import live


@dataclass(frozen=True)
class UnitLinks:
    """Live records linked to one unit, counted."""

    deployments: int
    phase_changes: int
    events: int
    trainees: int
    sessions: int
    goals: int
    survey_rounds: int
    monthly_figures: int


def unit_links(s: Session, unit_id: str) -> UnitLinks:
    def count(stmt) -> int:
        return int(s.scalar(stmt) or 0)

    deployments = select(Deployment.id).where(Deployment.unit_id == unit_id, live(Deployment.deleted))
    trainees = select(Trainee.id).where(Trainee.unit_id == unit_id, live(Trainee.deleted))
    return UnitLinks(
        deployments=count(select(func.count()).select_from(deployments.subquery())),
        phase_changes=count(
            select(func.count())
            .select_from(PhaseChange)
            .where(PhaseChange.deployment_id.in_(deployments), live(PhaseChange.deleted))
        ),
        events=count(
            select(func.count(distinct(Event.id)))
            .join(EventUnit, EventUnit.event_id == Event.id)
            .where(EventUnit.unit_id == unit_id, live(EventUnit.deleted), live(Event.deleted))
        ),
        trainees=count(select(func.count()).select_from(trainees.subquery())),
        sessions=count(
            select(func.count(distinct(GuidanceSession.id)))
            .join(SessionTrainee, SessionTrainee.session_id == GuidanceSession.id)
            .where(SessionTrainee.trainee_id.in_(trainees), live(SessionTrainee.deleted), live(GuidanceSession.deleted))
        ),
        goals=count(select(func.count()).select_from(Goal).where(Goal.unit_id == unit_id, live(Goal.deleted))),
        survey_rounds=count(
            select(func.count(distinct(SurveyRound.id)))
            .join(SurveyRoundUnit, SurveyRoundUnit.round_id == SurveyRound.id)
            .where(SurveyRoundUnit.unit_id == unit_id, live(SurveyRoundUnit.deleted), live(SurveyRound.deleted))
        ),
        monthly_figures=count(
            select(func.count()).select_from(MonthlyFigure).where(MonthlyFigure.unit_id == unit_id, live(MonthlyFigure.deleted))
        ),
    )


# -- recently deleted ----------------------------------------------------------------------

KINDS = ("unit", "deployment", "event", "session", "trainee", "goal")


@dataclass(frozen=True)
class Deleted:
    kind: str  # one of KINDS
    id: str
    name: str  # what the list shows: a name, a title, a date and method
    when: dt.datetime  # the deletion (updated_at of a deleted row)
    day: dt.date | None = None  # an event's or a session's date
    count: int = 1  # events of a series deleted together
    series: bool = False  # restore the batch (events.restore?scope=following)
    erased: bool = False  # a trainee whose personal data is erased: no name to show


def recently_deleted(s: Session, lang: str, limit: int = 100) -> list[Deleted]:
    """The newest `limit` deletions of the kinds a coordinator deletes, newest first."""

    def newest(model):
        return select(model).where(model.deleted.is_(True)).order_by(model.updated_at.desc(), model.id).limit(limit)

    methods = {m.id: m.name(lang) for m in s.scalars(select(Method))}
    rows: list[Deleted] = []
    rows += [Deleted("unit", u.id, u.name, u.updated_at) for u in s.scalars(newest(Unit))]
    for d in s.scalars(newest(Deployment)):
        rows.append(Deleted("deployment", d.id, f"{d.unit.name} · {methods.get(d.method_id, '')}", d.updated_at))
    rows += _event_batches(list(s.scalars(newest(Event))))
    for g in s.scalars(newest(GuidanceSession)):
        rows.append(Deleted("session", g.id, methods.get(g.method_id, ""), g.updated_at, day=g.date))
    for t in s.scalars(newest(Trainee)):
        rows.append(Deleted("trainee", t.id, t.name, t.updated_at, erased=t.erased_at is not None))
    rows += [Deleted("goal", g.id, g.title, g.updated_at) for g in s.scalars(newest(Goal))]
    rows.sort(key=lambda r: (r.when, r.id), reverse=True)
    return rows[:limit]


def _event_batches(events: list[Event]) -> list[Deleted]:
    """One row per event, or per series batch: events of one series deleted at one moment."""
    batches: dict[tuple, list[Event]] = {}
    for e in events:
        key = (e.series_id, e.updated_at) if e.series_id else (e.id,)
        batches.setdefault(key, []).append(e)
    out = []
    for batch in batches.values():
        first = min(batch, key=lambda e: (e.date, e.id))
        out.append(
            Deleted("event", first.id, first.title, first.updated_at, day=first.date, count=len(batch), series=len(batch) > 1)
        )
    return out
