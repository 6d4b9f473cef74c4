"""The period report's read model: totals and per-unit and per-method rows of one period.

What the reports page shows and the period PDF prints, built from app.queries.periods
and the shared totals (attendance_totals, method_totals, minutes_between,
phase_changes_between's and count_by_phase's rules), so both show the same numbers as the
dashboard and the feature pages. Aggregates only: no person's name is in here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.core import collation
from app.core.periods import Period
from app.models import Method, Unit
from app.models.deployments import PHASES
from app.queries import periods as q
from app.queries import survey_results
from app.queries.common import by_name
from app.queries.events import AttendanceTotals, MonthCount, attendance_totals, sum_counts
from app.queries.goals import GoalRow
from app.queries.guidance import Totals
from app.queries.phase_metrics import ReportSection, report_section
from app.queries.survey_cache import memo
from app.queries.survey_results import Results


@dataclass(frozen=True)
class MonthRow:
    month: dt.date  # its first day
    events: MonthCount
    guidance: Totals


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    events: MonthCount  # events that concern the unit
    attendance: AttendanceTotals  # from the unit, at held events
    guidance: Totals  # sessions with the unit's trainees present, each once
    trainees: int  # the unit's trainees guided
    phase_changes: int


@dataclass(frozen=True)
class MethodRow:
    method: Method
    events: MonthCount  # events that name the method
    guidance: Totals
    trainees: int  # trainees guided in the method's sessions
    phases: dict[str, int]  # live deployments by phase on PeriodReport.phases_on
    phase_changes: int

    @property
    def deployments(self) -> int:
        return sum(self.phases.values())


@dataclass(frozen=True)
class PeriodReport:
    period: Period
    events_by_type: dict[str, MonthCount]
    attendance: AttendanceTotals
    guidance: Totals
    trainees_guided: int
    phases_on: dt.date  # the period's last day, or today for a period that has not ended
    phases: dict[str, int]
    phase_changes: int
    months: list[MonthRow]
    units: list[UnitRow]
    methods: list[MethodRow]
    goals: list[GoalRow]
    # Follow-up survey results (issue 12): the period's rounds that may leave the laptop, by method,
    # and the county level (every method pooled) for the trend charts.
    surveys: Results | None = None
    surveys_county: Results | None = None
    surveys_left_out: int = 0  # small rounds not marked shareable, left out
    # What the phase history tells as it stood on phases_on (issue 13): app.queries.phase_metrics.
    phase_history: ReportSection | None = None

    @property
    def events(self) -> MonthCount:
        return sum_counts(self.events_by_type.values())

    @property
    def goal_statuses(self) -> Counter:
        return Counter(row.goal.status for row in self.goals)


def period_report(s: Session, period: Period, today: dt.date, lang: str, full: bool = True) -> PeriodReport:
    """The period's figures. `full=False` (the reports page, which shows neither units, goals,
    surveys nor the phase history) leaves those empty and unread: a third of the work at
    benchmark scale (issue 17); every figure it does give is the full report's."""
    start, end = period.start, period.end
    by_type = q.events_by_type(s, start, end)
    by_month = q.events_by_month(s, period)
    # Kept until the data next changes (app.queries.survey_cache): the reports page reads the
    # period's guidance, and the PDF of the same period asked for next reads it again.
    guidance = memo(s, whole=True).kept(("period_guidance", start, end), lambda: q.period_guidance(s, period))
    guidance_months, method_guidance = guidance.by_month, guidance.by_method
    unit_guidance, guided = guidance.by_unit, guidance.guided
    phases_day = min(end, today)
    phases_by_method = q.phases_on(s, phases_day)
    changes = q.phase_change_counts(s, start, end)
    changes_by_unit: Counter[str] = Counter()
    changes_by_method: Counter[str] = Counter()
    for (unit_id, method_id), n in changes.items():
        changes_by_unit[unit_id] += n
        changes_by_method[method_id] += n

    unit_rows = _unit_rows(s, start, end, unit_guidance, guided.by_unit, changes_by_unit) if full else []

    method_events = q.events_by_method(s, start, end)
    method_ids = set(method_events) | set(method_guidance) | set(phases_by_method) | set(changes_by_method)
    methods = s.scalars(select(Method).where(Method.id.in_(method_ids))).all() if method_ids else []
    method_rows = sorted(
        (
            MethodRow(
                m,
                method_events.get(m.id, MonthCount()),
                method_guidance.get(m.id, Totals()),
                guided.by_method.get(m.id, 0),
                phases_by_method.get(m.id, dict.fromkeys(PHASES, 0)),
                changes_by_method.get(m.id, 0),
            )
            for m in methods
        ),
        key=lambda row: (collation.key(row.method.name(lang)), row.method.id),
    )

    phases = dict.fromkeys(PHASES, 0)
    for counts in phases_by_method.values():
        for phase, n in counts.items():
            phases[phase] = phases.get(phase, 0) + n
    report = PeriodReport(
        period=period,
        events_by_type=by_type,
        attendance=attendance_totals(s, start, end),
        guidance=Totals(sum(t.sessions for t in method_guidance.values()), sum(t.minutes for t in method_guidance.values())),
        trainees_guided=guided.total,
        phases_on=phases_day,
        phases=phases,
        phase_changes=sum(changes.values()),
        months=[MonthRow(m, by_month[m], guidance_months[m]) for m in period.months()],
        units=unit_rows,
        methods=method_rows,
        goals=q.goals_for_period(s, start, end) if full else [],
    )
    if not full:
        return report
    survey_filter = survey_results.Filter(start=start, end=end, shareable_only=True)
    survey_rounds = survey_results.load_rounds(s, survey_filter)
    return replace(
        report,
        surveys=survey_results.group(survey_rounds, lang, per_method=True),
        surveys_county=survey_results.group(survey_rounds, lang),
        surveys_left_out=survey_results.small_left_out(s, survey_filter),
        phase_history=report_section(s, phases_day, lang),
    )


def _unit_rows(
    s: Session,
    start: dt.date,
    end: dt.date,
    guidance: dict[str, Totals],
    guided: dict[str, int],
    changes: Counter[str],
) -> list[UnitRow]:
    unit_events, unit_attendance = q.events_and_attendance_by_unit(s, start, end)
    units = _units(s, set(unit_events) | set(guidance) | set(changes))
    return [
        UnitRow(
            unit,
            unit_events.get(unit.id, MonthCount()),
            unit_attendance.get(unit.id, AttendanceTotals(0, 0, 0, 0)),
            guidance.get(unit.id, Totals()),
            guided.get(unit.id, 0),
            changes.get(unit.id, 0),
        )
        for unit in units
    ]


def _units(s: Session, active_ids: set[str]) -> list[Unit]:
    """Live units that are active or had something in the period, by name."""
    cond: ColumnElement[bool] = Unit.active.is_(True)
    if active_ids:
        cond = cond | Unit.id.in_(list(active_ids))
    return list(s.scalars(select(Unit).where(Unit.deleted.is_(False), cond).order_by(by_name(Unit.name_key), Unit.id)))
