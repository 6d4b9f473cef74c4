"""The phase history read for app.core.phase_metrics: one query per need over deployment_phases
and deployments, live rows only (the deployment, its unit and its method live, as everywhere in
app.queries.deployments), fed to the pure rules. Used by the method, unit and deployments pages
and the period report, so each shows the same figures.

Every deployment's history is a few thousand rows at bench scale: the county-wide figures (the
deployments page, the period report) are kept in the memo of app.queries.survey_cache, which
forgets them as soon as anything writes to the deployments, units, methods or settings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.core import phase_metrics as pm
from app.core.text import fold
from app.models import Deployment, Method, PhaseChange, Unit, read_setting
from app.queries.deployments import live_condition
from app.queries.survey_cache import memo

__all__ = [
    "stall_months",
    "Grouped",
    "grouped",
    "histories",
    "method_summary",
    "UnitDays",
    "unit_days",
    "Overall",
    "overall",
    "ReportSection",
    "report_section",
]


def stall_months(s: Session) -> int:
    """The local setting: months in one phase before a deployment counts as stalled."""
    return pm.stall_months(read_setting(s, pm.STALL_MONTHS_KEY))


def _statement(unit_id: str | None, method_id: str | None, until: dt.date | None) -> Select[str, str, dt.date, str, str, str]:
    live = (
        select(Deployment.id)
        .join(Unit, Unit.id == Deployment.unit_id)
        .join(Method, Method.id == Deployment.method_id)
        .where(live_condition())
    )
    if unit_id:
        live = live.where(Deployment.unit_id == unit_id)
    if method_id:
        live = live.where(Deployment.method_id == method_id)
    stmt = (
        select(
            PhaseChange.deployment_id,
            PhaseChange.phase,
            PhaseChange.changed_on,
            PhaseChange.reason,
            Deployment.unit_id,
            Deployment.method_id,
        )
        .join(Deployment, Deployment.id == PhaseChange.deployment_id)
        # The live deployments first (a few hundred lookups), then their rows by the index on
        # deployment_id: twice as fast as joining units and methods to every history row.
        .where(PhaseChange.deleted.is_(False), PhaseChange.deployment_id.in_(live.scalar_subquery()))
        # The order phase_history uses: by day, then as entered (same-day moves keep their order).
        .order_by(PhaseChange.deployment_id, PhaseChange.changed_on, PhaseChange.created_at, PhaseChange.id)
    )
    if until:
        stmt = stmt.where(PhaseChange.changed_on <= until)
    return stmt


@dataclass(frozen=True)
class Grouped:
    histories: list[pm.History]
    unit_of: dict[str, str]  # deployment id -> unit id
    method_of: dict[str, str]  # deployment id -> method id


def grouped(s: Session, unit_id: str | None = None, method_id: str | None = None, until: dt.date | None = None) -> Grouped:
    """Live deployments' histories (optionally one unit's or one method's, up to a day), in one query."""
    changes: dict[str, list[pm.Change]] = defaultdict(list)
    unit_of: dict[str, str] = {}
    method_of: dict[str, str] = {}
    # Through the connection: plain rows, without the ORM's per-row bookkeeping.
    for deployment_id, phase, on, reason, unit, method in s.connection().execute(_statement(unit_id, method_id, until)):
        changes[deployment_id].append(pm.Change(phase, on, reason or ""))
        unit_of[deployment_id] = unit
        method_of[deployment_id] = method
    return Grouped([pm.History(key, tuple(c)) for key, c in changes.items()], unit_of, method_of)


def histories(s: Session, unit_id: str | None = None, method_id: str | None = None) -> list[pm.History]:
    return grouped(s, unit_id, method_id).histories


def _memo(s: Session, key: tuple, compute):
    return memo(s).kept(key, compute)


def method_summary(s: Session, method_id: str, today: dt.date) -> pm.Summary:
    """One method's figures: medians, stalled, retention, pauses and ends with reasons."""
    months = stall_months(s)
    key = ("phase_metrics", "method", method_id, today, months)
    return _memo(s, key, lambda: pm.summarise(histories(s, method_id=method_id), today, months))


@dataclass(frozen=True)
class UnitDays:
    days: dict[str, int]  # phase -> days
    stalled: pm.Stalled | None


def unit_days(s: Session, unit_id: str, today: dt.date) -> dict[str, UnitDays]:
    """{deployment id: its days in each phase and whether it is stalled} for one unit's deployments."""
    months = stall_months(s)
    return {h.key: UnitDays(pm.days_in_phases(h, today), pm.is_stalled(h, today, months)) for h in histories(s, unit_id=unit_id)}


def _county(s: Session, on: dt.date, months: int) -> tuple[pm.Summary, dict[str, pm.Summary]]:
    """Every live deployment's figures as the history stood on `on`, and each method's."""

    def compute() -> tuple[pm.Summary, dict[str, pm.Summary]]:
        data = grouped(s, until=on)
        by_method: dict[str, list[pm.Facts]] = defaultdict(list)
        found = []
        for history in data.histories:  # each history read once, added up twice
            facts = pm.facts(history, on)
            if facts is not None:
                found.append(facts)
                by_method[data.method_of[history.key]].append(facts)
        methods = {method_id: pm.summarise_facts(f, on, months) for method_id, f in by_method.items()}
        return pm.summarise_facts(found, on, months), methods

    return _memo(s, ("phase_metrics", "county", on, months), compute)


@dataclass(frozen=True)
class Overall:
    summary: pm.Summary
    months: int
    stalled: list[tuple[pm.Stalled, Deployment]]  # the longest stalled, with unit and method loaded


def overall(s: Session, today: dt.date, shown: int = 10) -> Overall:
    """Every live deployment's figures, and the `shown` longest stalled ones to link to."""
    months = stall_months(s)
    summary, _methods = _county(s, today, months)
    first = summary.stalled[:shown]
    loaded = {d.id: d for d in s.scalars(select(Deployment).where(Deployment.id.in_([x.key for x in first])))} if first else {}
    return Overall(summary, months, [(x, loaded[x.key]) for x in first if x.key in loaded])


@dataclass(frozen=True)
class ReportSection:
    """The period report's "Phase history": the figures as the history stood on `on`."""

    on: dt.date
    months: int  # the stall setting
    overall: pm.Summary
    methods: list[tuple[Method, pm.Summary]]  # by name in the report's language


def report_section(s: Session, on: dt.date, lang: str) -> ReportSection:
    """Two queries: the histories up to `on`, then the methods they belong to."""
    months = stall_months(s)
    summary, by_method = _county(s, on, months)
    methods = s.scalars(select(Method).where(Method.id.in_(list(by_method)))).all() if by_method else []
    rows = sorted(((m, by_method[m.id]) for m in methods), key=lambda row: (fold(row[0].name(lang)), row[0].id))
    return ReportSection(on, months, summary, rows)
