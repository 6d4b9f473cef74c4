"""Events held against planned, and method guidance (sessions, hours, people guided), by period
and by the rows of the scope's level, counted by the rules of the national summary:

- events: every live event dated in the period is planned (planned, held or cancelled: the
  plan), those marked held are held; people = attendance at held events (an unknown count
  adds 0); per method through the event's live links (an event naming two methods counts for
  both, so method rows do not add up to the total);
- guidance: live sessions dated in the period, their minutes; people guided = distinct
  trainees present at them (per coordinator: ids are unique only there, so the rows add up
  across coordinators; over a quarter a person counts once, not once per month).

SQL groups by coordinator, county (and method) and period; Python adds the groups up to the
level. The scope's total per period is counted apart from its rows when the rows are methods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, case, exists, func, literal_column, select

from app.central.picture.scope import PeriodKey, Scope, period_columns
from app.central.schema import DATA

EVENT_FIGURES = ("planned", "held", "people")
GUIDANCE_FIGURES = ("sessions", "minutes", "people")
Figures = dict[str, int]


@dataclass
class Tally:
    """Figures per row and period, per row over the span, per period (the scope's total) and in all."""

    names: tuple[str, ...]
    rows: dict[str, dict[PeriodKey, Figures]] = field(default_factory=lambda: defaultdict(dict))
    row_totals: dict[str, Figures] = field(default_factory=dict)
    series: dict[PeriodKey, Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=dict)

    def blank(self) -> Figures:
        return dict.fromkeys(self.names, 0)

    def cell(self, row: str, period: PeriodKey) -> Figures:
        return self.rows.get(row, {}).get(period) or self.blank()

    def at(self, period: PeriodKey) -> Figures:
        return self.series.get(period) or self.blank()

    def row_total(self, row: str) -> Figures:
        return self.row_totals.get(row) or self.blank()

    def grand(self) -> Figures:
        return self.total or self.blank()


def _add(target: Figures, names: Iterable[str], values: Iterable[Any]) -> None:
    for name, value in zip(names, values, strict=True):
        target[name] = target.get(name, 0) + int(value or 0)


Builder = Callable[[str | None, bool], Any]  # (grain or None for the whole span, per method) -> statement


def _tally(conn: Connection, scope: Scope, names: tuple[str, ...], build: Builder, additive: bool) -> Tally:
    """Run `build`'s statements and add them up. Its rows: coordinator, county, method ("" unless
    per method), year, sub, then the figures. `additive`: the span's figures are the sum of the
    periods' (a distinct count is not: then the span is counted apart)."""
    tally = Tally(names)
    by_method = scope.level == "method"

    def rows(grain: str | None, per_method: bool):
        found: Any = conn.execute(build(grain, per_method))
        for coordinator_id, county, method_id, year, sub, *values in found:
            yield scope.group_key(coordinator_id, county, method_id or ""), (int(year or 0), int(sub or 0)), values

    # Rows of coordinators, areas or counties split the coordinators: the period's total is their
    # sum, distinct counts included. Method rows do not (an event, a person, under two methods).
    for key, period, values in rows(scope.grain, by_method):
        _add(tally.rows[key].setdefault(period, tally.blank()), names, values)
        if additive:
            _add(tally.row_totals.setdefault(key, tally.blank()), names, values)
        if not by_method:
            _add(tally.series.setdefault(period, tally.blank()), names, values)
    if not additive:
        for key, _period, values in rows(None, by_method):
            _add(tally.row_totals.setdefault(key, tally.blank()), names, values)
    if by_method:
        for _key, period, values in rows(scope.grain, False):
            _add(tally.series.setdefault(period, tally.blank()), names, values)
    if additive:
        for figures in tally.series.values():
            _add(tally.total, names, (figures[n] for n in names))
    elif not by_method:
        for figures in tally.row_totals.values():
            _add(tally.total, names, (figures[n] for n in names))
    else:
        for _key, _period, values in rows(None, False):
            _add(tally.total, names, values)
    return tally


def _period(column: Any, grain: str | None) -> tuple[list[Any], list[Any]]:
    if grain is None:
        return [literal_column("0"), literal_column("0")], []
    return period_columns(column, grain)


# -- events --------------------------------------------------------------------------------------


def _event_stmt(scope: Scope, grain: str | None, per_method: bool) -> Any:
    """(coordinator, county, method, year, sub, planned, held, 0) per group."""
    E, EM = DATA["events"], DATA["event_methods"]
    period, group = _period(E.c.date, grain)
    held = func.sum(case((E.c.status == "held", 1), else_=0))
    method: Any = EM.c.method_id if per_method else literal_column("''")
    stmt = select(E.c.coordinator_id, E.c.county, method, *period, func.count(), held, literal_column("0")).where(
        E.c.deleted.is_(False), scope.where(E), scope.in_span(E.c.date)
    )
    stmt = _by_event_method(stmt, scope, per_method)
    return stmt.group_by(E.c.coordinator_id, E.c.county, *([EM.c.method_id] if per_method else []), *group)


def _attendance_stmt(scope: Scope, grain: str | None, per_method: bool) -> Any:
    """(coordinator, county, method, year, sub, 0, 0, people at held events) per group."""
    E, EM, EA = DATA["events"], DATA["event_methods"], DATA["event_attendance"]
    period, group = _period(E.c.date, grain)
    counts = (func.coalesce(EA.c.professionals, 0), func.coalesce(EA.c.supervisors, 0), func.coalesce(EA.c.others, 0))
    people = func.coalesce(func.sum(counts[0] + counts[1] + counts[2]), 0)
    method: Any = EM.c.method_id if per_method else literal_column("''")
    zero: Any = literal_column("0")
    stmt = (
        select(E.c.coordinator_id, E.c.county, method, *period, zero, zero, people)
        .select_from(E)
        .join(EA, and_(EA.c.coordinator_id == E.c.coordinator_id, EA.c.event_id == E.c.id))
        .where(E.c.deleted.is_(False), EA.c.deleted.is_(False), E.c.status == "held", scope.where(E), scope.in_span(E.c.date))
    )
    stmt = _by_event_method(stmt, scope, per_method)
    return stmt.group_by(E.c.coordinator_id, E.c.county, *([EM.c.method_id] if per_method else []), *group)


def _by_event_method(stmt: Any, scope: Scope, per_method: bool) -> Any:
    """Per method: one row per live link (the method named). Filtered by a method: its linked events."""
    E, EM = DATA["events"], DATA["event_methods"]
    same = and_(EM.c.coordinator_id == E.c.coordinator_id, EM.c.event_id == E.c.id, EM.c.deleted.is_(False))
    if per_method:
        stmt = stmt.join(EM, same)
        return stmt.where(EM.c.method_id == scope.method) if scope.method else stmt
    if scope.method:
        return stmt.where(exists().where(same, EM.c.method_id == scope.method))
    return stmt


def events(conn: Connection, scope: Scope) -> Tally:
    """Planned and held (one statement), and people at the held events (another), added up."""
    planned = _tally(conn, scope, EVENT_FIGURES, lambda g, m: _event_stmt(scope, g, m), additive=True)
    people = _tally(conn, scope, EVENT_FIGURES, lambda g, m: _attendance_stmt(scope, g, m), additive=True)
    return _merge(EVENT_FIGURES, planned, people, add=True)


def _merge(names: tuple[str, ...], first: Tally, second: Tally, add: bool) -> Tally:
    """Two tallies of the same rows and periods in one: their figures added (or the second's set)."""
    out = Tally(names)

    def put(target: Figures, figures: Figures) -> None:
        for name, value in figures.items():
            target[name] = target.get(name, 0) + value if add else value

    for part in (first, second):
        for key, periods in part.rows.items():
            for period, figures in periods.items():
                put(out.rows[key].setdefault(period, out.blank()), figures)
        for key, figures in part.row_totals.items():
            put(out.row_totals.setdefault(key, out.blank()), figures)
        for period, figures in part.series.items():
            put(out.series.setdefault(period, out.blank()), figures)
        put(out.total, part.total)
    return out


# -- method guidance -------------------------------------------------------------------------------


def _session_filter(scope: Scope) -> list[Any]:
    GS = DATA["guidance_sessions"]
    live = [GS.c.deleted.is_(False), scope.where(GS), scope.in_span(GS.c.date)]
    if scope.method:
        live.append(GS.c.method_id == scope.method)
    return live


def _sessions_stmt(scope: Scope, grain: str | None, per_method: bool) -> Any:
    """(coordinator, county, method, year, sub, sessions, minutes) per group."""
    GS = DATA["guidance_sessions"]
    period, group = _period(GS.c.date, grain)
    method: Any = GS.c.method_id if per_method else literal_column("''")
    minutes = func.coalesce(func.sum(GS.c.duration_minutes), 0)
    return (
        select(GS.c.coordinator_id, GS.c.county, method, *period, func.count(), minutes)
        .where(*_session_filter(scope))
        .group_by(GS.c.coordinator_id, GS.c.county, *([GS.c.method_id] if per_method else []), *group)
    )


def _guided_stmt(scope: Scope, grain: str | None, per_method: bool) -> Any:
    """(coordinator, county, method, year, sub, distinct trainees present) per group."""
    GS, GA, T = DATA["guidance_sessions"], DATA["guidance_attendance"], DATA["trainees"]
    period, group = _period(GS.c.date, grain)
    method: Any = GS.c.method_id if per_method else literal_column("''")
    return (
        select(GS.c.coordinator_id, GS.c.county, method, *period, func.count(GA.c.trainee_id.distinct()))
        .select_from(GS)
        .join(GA, and_(GA.c.coordinator_id == GS.c.coordinator_id, GA.c.session_id == GS.c.id))
        .join(T, and_(T.c.coordinator_id == GA.c.coordinator_id, T.c.id == GA.c.trainee_id))
        .where(*_session_filter(scope), GA.c.deleted.is_(False))
        .group_by(GS.c.coordinator_id, GS.c.county, *([GS.c.method_id] if per_method else []), *group)
    )


def guidance(conn: Connection, scope: Scope) -> Tally:
    """Sessions and minutes (additive), and the people guided (distinct: counted per span apart)."""
    counted = _tally(conn, scope, ("sessions", "minutes"), lambda g, m: _sessions_stmt(scope, g, m), additive=True)
    people = _tally(conn, scope, ("people",), lambda g, m: _guided_stmt(scope, g, m), additive=False)
    return _merge(GUIDANCE_FIGURES, counted, people, add=False)


# -- cells of any grouping (the long-format file) ---------------------------------------------------

Key = Callable[[str, str, str], Hashable]  # (coordinator, county, method) -> a cell's row
Cells = dict[tuple[Hashable, PeriodKey], Figures]


def cells(conn: Connection, scope: Scope, figure: str, key: Key, per_method: bool) -> Cells:
    """The figures of `figure` ("events" or "guidance") per (key, period of the scope's grain). Every
    count is within one period, so people guided are distinct per cell, as on the pages."""
    parts: list[tuple[tuple[str, ...], Callable[[Scope, str | None, bool], Any]]]
    if figure == "events":
        parts = [(EVENT_FIGURES, _event_stmt), (EVENT_FIGURES, _attendance_stmt)]
        names = EVENT_FIGURES
    else:
        parts = [(("sessions", "minutes"), _sessions_stmt), (("people",), _guided_stmt)]
        names = GUIDANCE_FIGURES
    out: Cells = {}
    for part_names, stmt in parts:
        found: Any = conn.execute(stmt(scope, scope.grain, per_method))
        for coordinator_id, county, method_id, year, sub, *values in found:
            cell = out.setdefault((key(coordinator_id, county, method_id or ""), (int(year), int(sub))), dict.fromkeys(names, 0))
            _add(cell, part_names, values)
    return out
