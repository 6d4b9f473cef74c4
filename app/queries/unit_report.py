"""The unit summary's read model: one unit's deployments, events, guidance and goals in a period.

Built from the queries the unit page uses (unit_deployments, trainee_guidance_totals,
unit_goals) and the shared totals (attendance_totals, app.queries.periods), so the PDF
a unit manager gets says what the unit page and the period report say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.periods import Period
from app.models import Deployment, Event, EventUnit, PhaseChange, Unit
from app.queries import periods as q
from app.queries import survey_results
from app.queries.common import live
from app.queries.deployments import phase_history
from app.queries.events import AttendanceTotals, MonthCount, attendance_totals, sum_counts
from app.queries.guidance import Totals
from app.queries.survey_results import Results
from app.queries.units import (
    GoalProgress,
    TraineeTotals,
    UnitEvent,
    sum_totals,
    trainee_guidance_totals,
    unit_deployments,
    unit_goals,
)


@dataclass(frozen=True)
class DeploymentHistory:
    deployment: Deployment
    changes: list[PhaseChange]  # oldest first

    def in_period(self, period: Period) -> list[PhaseChange]:
        return [c for c in self.changes if c.changed_on in period]


@dataclass(frozen=True)
class UnitReport:
    unit: Unit
    period: Period
    deployments: list[DeploymentHistory]
    events: list[UnitEvent]  # in the period, in time order
    events_by_type: dict[str, MonthCount]
    attendance: AttendanceTotals
    trainees: list[TraineeTotals]  # the unit's trainees with guidance in the period
    trainee_sum: Totals
    guidance: Totals  # sessions with at least one of the unit's trainees, each once
    goals: list[GoalProgress]
    # Follow-up survey results (issue 12): rounds of the period that may leave the laptop, by method.
    surveys: Results | None = None
    surveys_left_out: int = 0  # small rounds not marked shareable, left out

    @property
    def events_total(self) -> MonthCount:
        return sum_counts(self.events_by_type.values())


def unit_events_between(s: Session, unit_id: str, start: dt.date, end: dt.date) -> list[UnitEvent]:
    """The live events dated start..end that concern the unit, with its attendance row, in time order."""
    stmt = (
        select(Event, EventUnit)
        .join(EventUnit, EventUnit.event_id == Event.id)
        .where(
            EventUnit.unit_id == unit_id,
            live(EventUnit.deleted),
            live(Event.deleted),
            Event.date >= start,
            Event.date <= end,
        )
        .order_by(Event.date, Event.start_time, Event.title, Event.id)
    )
    return [UnitEvent(*row) for row in s.execute(stmt)]


def unit_report(s: Session, unit: Unit, period: Period, lang: str = "fi") -> UnitReport:
    start, end = period.start, period.end
    survey_filter = survey_results.Filter(unit_id=unit.id, start=start, end=end, shareable_only=True)
    trainees = [row for row in trainee_guidance_totals(s, unit.id, start, end) if row.totals.sessions]
    return UnitReport(
        unit=unit,
        period=period,
        deployments=[DeploymentHistory(d, phase_history(s, d.id)) for d in unit_deployments(s, unit.id)],
        events=unit_events_between(s, unit.id, start, end),
        events_by_type=q.events_by_type(s, start, end, unit.id),
        attendance=attendance_totals(s, start, end, unit.id),
        trainees=trainees,
        trainee_sum=sum_totals(trainees),
        guidance=q.guidance_by_unit(s, start, end, unit.id).get(unit.id, Totals()),
        goals=unit_goals(s, unit.id),
        surveys=survey_results.results(s, survey_filter, lang, per_method=True),
        surveys_left_out=survey_results.small_left_out(s, survey_filter),
    )
