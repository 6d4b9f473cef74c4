"""Reads about deployments: the list and the units × methods map, a deployment's phase history, and the counts
the dashboard and reports use.

Plain functions over a Session (no Flask). A deployment "counts" when it, its unit and its
method are all live (not deleted): deleting a unit hides its deployments everywhere, and
restoring the unit brings them back. Every function here applies that same rule, so a
number means the same on the board, the dashboard and in a report.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, contains_eager

from app.core import collation, phases
from app.models import Deployment, Method, PhaseChange, Unit
from app.models.deployments import PHASES
from app.queries.common import by_name
from app.queries.methods import name_column

__all__ = [
    "PHASES",
    "DeploymentFilter",
    "PhaseChangeRow",
    "live_condition",
    "deployment_list_stmt",
    "MapCell",
    "DeploymentMap",
    "deployment_map",
    "count_by_phase",
    "phase_history",
    "phase_changes_between",
    "active_duplicate",
    "live_deployment",
]


class DeploymentFilter(NamedTuple):
    """The deployments list's filters (empty: any)."""

    phase: str = ""
    unit_id: str = ""
    method_id: str = ""
    target_group: str = ""
    service_line: str = ""  # the units' service line (a health station, family counselling…)


def live_condition():
    """Deployment, unit and method all live. Use with both joins in place (see _joined)."""
    return and_(Deployment.deleted.is_(False), Unit.deleted.is_(False), Method.deleted.is_(False))


def _joined(stmt: Select) -> Select:
    return stmt.join(Unit, Unit.id == Deployment.unit_id).join(Method, Method.id == Deployment.method_id)


def _filtered(stmt: Select, f: DeploymentFilter) -> Select:
    stmt = _joined(stmt).where(live_condition())
    if f.phase in PHASES:
        stmt = stmt.where(Deployment.phase == f.phase)
    if f.unit_id:
        stmt = stmt.where(Deployment.unit_id == f.unit_id)
    if f.method_id:
        stmt = stmt.where(Deployment.method_id == f.method_id)
    if f.target_group:
        stmt = stmt.where(Method.target_group == f.target_group)
    if f.service_line:
        stmt = stmt.where(Unit.service_line == f.service_line)
    return stmt


def deployment_list_stmt(f: DeploymentFilter, lang: str) -> Select:
    """Live deployments matching the filter, by unit name then method name in `lang`.

    The unit and method come from the same joins the filter uses (contains_eager),
    not from the models' own eager joins, so the list is one plain query.
    """
    stmt = _filtered(select(Deployment), f).options(contains_eager(Deployment.unit), contains_eager(Deployment.method))
    return stmt.order_by(by_name(Unit.name_key), by_name(name_column(lang)), Deployment.id)


class MapCell(NamedTuple):
    """A cell of the deployment map: a unit × method's deployment, its phase and since when."""

    id: str
    phase: str
    phase_since: dt.date


class DeploymentMap(NamedTuple):
    """Units (rows) × methods (columns), a cell per unit and method that has a deployment."""

    units: list[tuple[str, str]]  # (id, name) of this page's units
    methods: list[tuple[str, str]]  # (id, name) of the methods deployed in them
    cells: dict[tuple[str, str], MapCell]  # (unit id, method id) -> the deployment shown
    total_units: int  # on every page
    counts: dict[str, int]  # deployments by phase under the filter (all pages)


def deployment_map(s: Session, f: DeploymentFilter, lang: str, offset: int = 0, limit: int = 40) -> DeploymentMap:
    """The units × methods map: a page of the units that have deployments under the filter, by
    name; a column for each method deployed in them. A unit holds at most one active deployment
    of a method (the rules say so); where there is none, the latest ended one is shown. Four
    queries whatever the size: the units' count and page, its cells, the phase counts."""
    units_stmt = _filtered(select(Unit.id, Unit.name, Unit.name_key).select_from(Deployment), f).distinct()
    total = s.scalar(select(func.count()).select_from(units_stmt.subquery())) or 0
    rows = s.execute(units_stmt.order_by(by_name(Unit.name_key), Unit.id).offset(offset).limit(limit))
    units = [(row.id, row.name) for row in rows]
    cells: dict[tuple[str, str], MapCell] = {}
    methods: dict[str, str] = {}
    if units:
        rows = s.execute(
            _filtered(
                select(
                    Deployment.id, Deployment.unit_id, Deployment.method_id, Deployment.phase, Deployment.phase_since
                ).add_columns(name_column(lang).label("method_name")),
                f,
            )
            .where(Deployment.unit_id.in_([u for u, _ in units]))
            .order_by(Deployment.phase_since, Deployment.id)
        )
        for row in rows:
            key = (row.unit_id, row.method_id)
            methods[row.method_id] = row.method_name
            shown = cells.get(key)
            # An active deployment wins over an ended one; among ended ones the latest (rows come oldest first).
            if shown is None or phases.is_active(row.phase) or not phases.is_active(shown.phase):
                cells[key] = MapCell(row.id, row.phase, row.phase_since)
    ordered = sorted(methods.items(), key=lambda item: (collation.key(item[1]), item[0]))
    counts = _counts(s, _filtered(select(Deployment.phase, func.count()), f))
    return DeploymentMap(units, ordered, cells, total, counts)


def _counts(s: Session, stmt: Select[str, int]) -> dict[str, int]:
    counts = dict.fromkeys(PHASES, 0)
    for phase, n in s.execute(stmt.group_by(Deployment.phase)):
        if phase in counts:
            counts[phase] = n
    return counts


def count_by_phase(s: Session, unit_id: str | None = None, method_id: str | None = None) -> dict[str, int]:
    """{phase: number of live deployments now in it}, every phase present (0 when none),
    in the phases' order; optionally for one unit and/or one method."""
    f = DeploymentFilter(unit_id=unit_id or "", method_id=method_id or "")
    return _counts(s, _filtered(select(Deployment.phase, func.count()), f))


def phase_history(s: Session, deployment_id: str) -> list[PhaseChange]:
    """The phases a deployment entered, oldest first (same-day moves in the order made)."""
    stmt = (
        select(PhaseChange)
        .where(PhaseChange.deployment_id == deployment_id, PhaseChange.deleted.is_(False))
        .order_by(PhaseChange.changed_on, PhaseChange.created_at, PhaseChange.id)
    )
    return list(s.scalars(stmt))


class PhaseChangeRow(NamedTuple):
    change: PhaseChange
    deployment: Deployment  # with .unit and .method loaded

    @property
    def phase(self) -> str:
        return self.change.phase

    @property
    def changed_on(self) -> dt.date:
        return self.change.changed_on


def phase_changes_between(s: Session, start: dt.date, end: dt.date) -> list[PhaseChangeRow]:
    """Phases entered from `start` to `end` (both days included) by live deployments,
    by date, then unit name: what a report lists as "moved forward this period".

    The first row of every deployment (the phase it was created in) counts as entered too.
    """
    stmt: Select[PhaseChange, Deployment] = (
        _joined(select(PhaseChange, Deployment).join(Deployment, Deployment.id == PhaseChange.deployment_id))
        .where(
            live_condition(),
            PhaseChange.deleted.is_(False),
            PhaseChange.changed_on >= start,
            PhaseChange.changed_on <= end,
        )
        .options(contains_eager(Deployment.unit), contains_eager(Deployment.method))
        .order_by(PhaseChange.changed_on, by_name(Unit.name_key), PhaseChange.created_at, PhaseChange.id)
    )
    return [PhaseChangeRow(change, deployment) for change, deployment in s.execute(stmt)]


def active_duplicate(s: Session, unit_id: str, method_id: str, exclude_id: str | None = None) -> Deployment | None:
    """Another live, not ended deployment of this method in this unit, if there is one."""
    stmt = select(Deployment).where(
        Deployment.unit_id == unit_id,
        Deployment.method_id == method_id,
        Deployment.deleted.is_(False),
        Deployment.phase != "ended",
    )
    if exclude_id:
        stmt = stmt.where(Deployment.id != exclude_id)
    return s.scalars(stmt.limit(1)).first()


def live_deployment(s: Session, deployment_id: str) -> Deployment | None:
    deployment = s.get(Deployment, deployment_id)
    return deployment if deployment is not None and not deployment.deleted else None
