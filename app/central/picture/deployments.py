"""Deployments by phase: on a day, at the end of every period of a span, and the time they spend
in each phase, from the merged deployments and their phase histories.

A deployment's timeline is the rule the national summary counts by (app.central.summary): from
`phase_since` on it is in its current phase; before that, in the phase its history last entered
(entries of one day: the one written last). A deployment is counted where its unit and method
are live too. Time in phase (FOLLOWUP.md, from the phase history alone): a stay ends when the
next phase begins; the stays that ended within the span give the median days a phase took, the
stays still going on the day how long those have lasted so far.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, select

from app.central.picture.scope import Period, Scope
from app.central.schema import DATA
from app.core.geography import COUNTY_BY_KEY
from app.core.phases import PHASES

Counts = dict[str, int]  # phase -> deployments


@dataclass(frozen=True)
class Timeline:
    coordinator_id: str
    county: str
    method_id: str
    deployment_id: str
    unit_id: str
    steps: tuple[tuple[dt.date, str], ...]  # (first day, phase), in order; the last one goes on

    def phase_on(self, day: dt.date) -> str | None:
        i = bisect.bisect_right([start for start, _phase in self.steps], day)
        return self.steps[i - 1][1] if i else None

    def stays(self, day: dt.date) -> list[tuple[str, dt.date, dt.date | None]]:
        """(phase, start, end or None while it goes on) of every stay begun by `day`."""
        out: list[tuple[str, dt.date, dt.date | None]] = []
        for i, (start, phase) in enumerate(self.steps):
            if start > day:
                break
            end = self.steps[i + 1][0] if i + 1 < len(self.steps) else None
            out.append((phase, start, end if end is not None and end <= day else None))
        return out


def timelines(conn: Connection, scope: Scope) -> list[Timeline]:
    """Every live deployment of the scope (its unit and method live too) with its timeline."""
    D, U, M, PC = DATA["deployments"], DATA["units"], DATA["methods"], DATA["deployment_phases"]
    conditions = [D.c.deleted.is_(False), U.c.deleted.is_(False), M.c.deleted.is_(False), scope.where(D)]
    if scope.method:
        conditions.append(D.c.method_id == scope.method)
    stmt = (
        select(D.c.coordinator_id, D.c.id, D.c.county, D.c.method_id, D.c.unit_id, D.c.phase, D.c.phase_since)
        .select_from(D)
        .join(U, and_(U.c.coordinator_id == D.c.coordinator_id, U.c.id == D.c.unit_id))
        .join(M, and_(M.c.coordinator_id == D.c.coordinator_id, M.c.id == D.c.method_id))
        .where(*conditions)
    )
    history: dict[tuple[str, str], list[tuple[dt.date, str]]] = defaultdict(list)
    changes = (
        select(PC.c.coordinator_id, PC.c.deployment_id, PC.c.changed_on, PC.c.phase)
        .where(PC.c.deleted.is_(False), scope.where(PC))
        .order_by(PC.c.changed_on, PC.c.created_at, PC.c.id)
    )
    found: Any = conn.execute(changes)  # (coordinator, deployment, changed_on, phase)
    for coordinator_id, deployment_id, changed_on, phase in found:
        history[(coordinator_id, deployment_id)].append((changed_on, phase))
    out = []
    for row in conn.execute(stmt):
        steps: dict[dt.date, str] = {}
        for changed_on, phase in history.get((row.coordinator_id, row.id), ()):
            if changed_on < row.phase_since:
                steps[changed_on] = phase  # of one day's entries, the one written last
        steps[row.phase_since] = row.phase
        ordered = tuple(sorted(steps.items()))
        # Two stays in a row in the same phase are one stay.
        merged = tuple(s for i, s in enumerate(ordered) if i == 0 or ordered[i - 1][1] != s[1])
        out.append(Timeline(row.coordinator_id, row.county, row.method_id, row.id, row.unit_id, merged))
    return out


@dataclass
class PhaseMap:
    """Deployments by phase on `day`: per row of the scope's level, per (row, method) (the map), and in all."""

    day: dt.date
    rows: dict[str, Counts] = field(default_factory=dict)
    cells: dict[tuple[str, str], Counts] = field(default_factory=dict)
    total: Counts = field(default_factory=lambda: dict.fromkeys(PHASES, 0))
    methods: set[str] = field(default_factory=set)


def phase_map(lines: list[Timeline], scope: Scope, day: dt.date, map_level: str | None = None) -> PhaseMap:
    """`map_level`: what the map's rows are (the scope's level unless given: county for the country)."""
    found = PhaseMap(day)
    for t in lines:
        phase = t.phase_on(day)
        if phase is None:
            continue
        key = scope.group_key(t.coordinator_id, t.county, t.method_id)
        _add(found.rows.setdefault(key, _zero()), phase)
        cell_key = _map_key(t, map_level or scope.level)
        _add(found.cells.setdefault((cell_key, t.method_id), _zero()), phase)
        _add(found.total, phase)
        found.methods.add(t.method_id)
    return found


def _map_key(t: Timeline, level: str) -> str:
    if level == "coordinator":
        return t.coordinator_id
    if level == "area":
        county = COUNTY_BY_KEY.get(t.county)
        return county.area if county else ""
    return t.county


def _zero() -> Counts:
    return dict.fromkeys(PHASES, 0)


def _add(counts: Counts, phase: str) -> None:
    counts[phase] = counts.get(phase, 0) + 1


def phase_trend(lines: list[Timeline], periods: list[Period], today: dt.date) -> list[Counts]:
    """Deployments by phase on each period's last day (today for a period not yet over): each
    stay adds one to the days it covers, found by bisection (not one pass per period)."""
    days = [min(p.end, today) for p in periods]
    diff: dict[str, list[int]] = {phase: [0] * (len(days) + 1) for phase in PHASES}
    for t in lines:
        for i, (start, phase) in enumerate(t.steps):
            end = t.steps[i + 1][0] if i + 1 < len(t.steps) else None
            first = bisect.bisect_left(days, start)  # the first counted day on or after the start
            last = bisect.bisect_left(days, end) if end is not None else len(days)  # days before the next stay
            if first < last:
                series = diff.setdefault(phase, [0] * (len(days) + 1))
                series[first] += 1
                series[last] -= 1
    out: list[Counts] = [_zero() for _ in days]
    for phase, series in diff.items():
        running = 0
        for i in range(len(days)):
            running += series[i]
            out[i][phase] = running
    return out


@dataclass(frozen=True)
class PhaseTime:
    phase: str
    ended: tuple[int, ...]  # days of the stays that ended within the span
    ongoing: tuple[int, ...]  # days so far of the stays going on on the day

    @property
    def median_ended(self) -> float | None:
        return statistics.median(self.ended) if self.ended else None

    @property
    def median_ongoing(self) -> float | None:
        return statistics.median(self.ongoing) if self.ongoing else None


def time_in_phase(lines: list[Timeline], scope: Scope, day: dt.date) -> list[PhaseTime]:
    ended: dict[str, list[int]] = defaultdict(list)
    ongoing: dict[str, list[int]] = defaultdict(list)
    for t in lines:
        for phase, start, end in t.stays(day):
            if end is None:  # the stay the deployment is in on the day
                ongoing[phase].append((day - start).days)
            elif end >= scope.start:
                ended[phase].append((end - start).days)
    # An ended deployment's last stay never ends: its time in "ended" means nothing.
    return [PhaseTime(p, tuple(ended[p]), tuple(ongoing[p]) if p != "ended" else ()) for p in PHASES]
