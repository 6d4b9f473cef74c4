"""The national picture: figures per county and per method from the central office's merged database.

    summary = central_summary(conn, Span(start, end), today, lang)

One read model for everything the central office gets out of `koordi merge`: the
summary the merge prints, its CSV (`--summary`) and the PDF (`koordi report central`)
all come from these rows. Each figure counts by the rule the coordinator's own Koordi
uses for the same figure (app.queries.periods, period_report, events, guidance,
deployments), so a county's number here is the sum of its coordinators' own numbers:

- deployments by phase on the day (the span's last day, or today if it has not
  ended): deployment, unit and method live; from phase_since on in the current phase,
  before that in the last phase its history entered (periods.phases_on);
- units: distinct units with a deployment of the method that has not ended on that day;
- events: live events of the span naming the method through a live link, each once;
  "planned" is every event of the plan whatever became of it, "held" those marked held
  (MonthCount); a county's total counts every live event, with or without a method;
- attendance: people at held events of the span, a role whose count is unknown adds 0
  (events.attendance_totals); per method, at the held events naming it;
- guidance: live sessions of the span, each once (guidance.method_totals); hours are
  shown from the minutes with one decimal;
- trainees guided: distinct trainees present (live attendance) at a live session of the
  span, by the session's method (periods.trainees_guided); a county counts each person once;
- trainees active: live trainees of the method whose guidance has not ended on the day
  (the trainee list's "active" filter).

Every join stays within one coordinator (coordinator_id, id): ids are unique only per
coordinator (the national methods share theirs). An event may name several methods and
a unit use several, so per-county totals are counted, not summed from the method rows;
per-method national rows are sums over counties (each row belongs to one coordinator).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, fields

from sqlalchemy import ColumnElement, Connection, Select, and_, func, or_, select, true

from app.central.schema import DATA, coordinators, merged_files
from app.core.figures import Totals
from app.core.geography import COUNTIES
from app.core.phases import PHASES
from app.core.text import fold

ENDED = "ended"
IN_USE = ("in_use", "embedded")
COUNTY_ORDER = {c.key: i for i, c in enumerate(COUNTIES)}


@dataclass(frozen=True)
class Span:
    """The days counted (both ends included); None is open: Span() is everything merged."""

    start: dt.date | None = None
    end: dt.date | None = None

    def day(self, today: dt.date) -> dt.date:
        """The day deployments' phases and active trainees are counted on."""
        return min(self.end, today) if self.end else today

    def condition(self, column):
        parts = []
        if self.start is not None:
            parts.append(column >= self.start)
        if self.end is not None:
            parts.append(column <= self.end)
        return and_(true(), *parts)


@dataclass
class CentralRow:
    """One county's figures for one method; county "" = the whole country, method_id "" = every method."""

    county: str
    method_id: str = ""
    method: str = ""  # the method's name in the summary's language
    method_key: str | None = None  # the national catalogue's key; None for a coordinator's own method
    units: int = 0
    phases: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PHASES, 0))
    events_held: int = 0
    events_planned: int = 0  # every event of the plan: planned, held or cancelled
    attendance_professionals: int = 0
    attendance_supervisors: int = 0
    attendance_others: int = 0
    guidance_sessions: int = 0
    guidance_minutes: int = 0
    trainees_guided: int = 0
    trainees_active: int = 0

    @property
    def attendance(self) -> int:
        return self.attendance_professionals + self.attendance_supervisors + self.attendance_others

    @property
    def deployments(self) -> int:
        return sum(self.phases.values())

    @property
    def deployments_in_use(self) -> int:
        return sum(self.phases.get(p, 0) for p in IN_USE)

    @property
    def hours(self):
        return Totals(self.guidance_sessions, self.guidance_minutes).hours

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self) if f.type == "int") and not self.deployments

    def add(self, other: CentralRow) -> None:
        for f in fields(self):
            if f.type == "int":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        for phase, n in other.phases.items():
            self.phases[phase] = self.phases.get(phase, 0) + n


@dataclass(frozen=True)
class CentralSummary:
    span: Span
    day: dt.date
    rows: list[CentralRow]  # county x method (rows with no figure left out), by county then method
    counties: list[CentralRow]  # every county with a coordinator or a figure; each event, unit and person once
    methods: list[CentralRow]  # per method, the whole country
    total: CentralRow
    coordinators: dict[str, int]  # county -> coordinators whose files were merged
    files: int  # files merged
    latest_export: dt.datetime | None  # UTC: the newest file's export time


def central_summary(conn: Connection, span: Span, today: dt.date, lang: str) -> CentralSummary:
    day = span.day(today)
    rows: dict[tuple[str, str], CentralRow] = {}
    county_rows: dict[str, CentralRow] = {}

    def row(county: str, method_id: str) -> CentralRow:
        key = (county, method_id)
        if key not in rows:
            rows[key] = CentralRow(county, method_id)
        return rows[key]

    def county_row(county: str) -> CentralRow:
        if county not in county_rows:
            county_rows[county] = CentralRow(county)
        return county_rows[county]

    _deployments(conn, day, row, county_row)
    links = _event_links(conn)
    _events(conn, span, links, row, county_row)
    _attendance(conn, span, links, row, county_row)
    _guidance(conn, span, row, county_row)
    _trainees(conn, span, day, row, county_row)

    names = _method_names(conn, lang)
    for (_county, method_id), r in rows.items():
        r.method_key, r.method = names.get(method_id, (None, method_id))
    detail = sorted(
        (r for r in rows.values() if not r.empty), key=lambda r: (_county_order(r.county), fold(r.method), r.method_id)
    )
    by_method: dict[str, CentralRow] = {}
    for r in detail:
        national = by_method.setdefault(r.method_id, CentralRow("", r.method_id, r.method, r.method_key))
        national.add(r)
    counts: dict[str, int] = dict(conn.execute(select(coordinators.c.county, func.count()).group_by(coordinators.c.county)).all())
    for county in counts:
        county_row(county)
    total = CentralRow("")
    for r in county_rows.values():
        total.add(r)
    totals: Select[int, dt.datetime | None] = select(func.count(), func.max(merged_files.c.exported_at))
    files, latest = conn.execute(totals).one()
    return CentralSummary(
        span=span,
        day=day,
        rows=detail,
        counties=sorted(county_rows.values(), key=lambda r: _county_order(r.county)),
        methods=sorted(by_method.values(), key=lambda r: (fold(r.method), r.method_id)),
        total=total,
        coordinators={k: int(v) for k, v in counts.items()},
        files=int(files or 0),
        latest_export=latest.replace(tzinfo=dt.UTC) if latest else None,
    )


def _county_order(county: str) -> tuple[int, str]:
    return COUNTY_ORDER.get(county, len(COUNTY_ORDER)), county


def _same(child_column, parent) -> ColumnElement[bool]:
    """A join within one coordinator: child.<ref> = parent.id and the same coordinator."""
    return and_(child_column.table.c.coordinator_id == parent.c.coordinator_id, child_column == parent.c.id)


# -- the figures ---------------------------------------------------------------------------------


def _deployments(conn: Connection, day: dt.date, row, county_row) -> None:
    D, U, M, PC = DATA["deployments"], DATA["units"], DATA["methods"], DATA["deployment_phases"]
    live = and_(D.c.deleted.is_(False), U.c.deleted.is_(False), M.c.deleted.is_(False))

    def joined(stmt):
        return stmt.select_from(D).join(U, _same(D.c.unit_id, U)).join(M, _same(D.c.method_id, M))

    columns = (D.c.county, D.c.method_id, D.c.coordinator_id, D.c.unit_id)
    # (county, method, coordinator, unit, phase)
    current: Select[str, str, str, str, str] = joined(select(*columns, D.c.phase)).where(live, D.c.phase_since <= day)
    ranked = (
        select(
            PC.c.coordinator_id,
            PC.c.deployment_id,
            PC.c.phase,
            func.row_number()
            .over(
                partition_by=(PC.c.coordinator_id, PC.c.deployment_id),
                order_by=(PC.c.changed_on.desc(), PC.c.created_at.desc(), PC.c.id.desc()),
            )
            .label("rank"),
        )
        .where(PC.c.deleted.is_(False), PC.c.changed_on <= day)
        .subquery()
    )
    earlier: Select[str, str, str, str, str] = (
        joined(select(*columns, ranked.c.phase))
        .join(ranked, and_(ranked.c.coordinator_id == D.c.coordinator_id, ranked.c.deployment_id == D.c.id, ranked.c.rank == 1))
        .where(live, D.c.phase_since > day)
    )
    units: dict[tuple, set] = defaultdict(set)
    county_units: dict[str, set] = defaultdict(set)
    for stmt in (current, earlier):
        for county, method_id, coordinator_id, unit_id, phase in conn.execute(stmt):
            r, c = row(county, method_id), county_row(county)
            r.phases[phase] = r.phases.get(phase, 0) + 1
            c.phases[phase] = c.phases.get(phase, 0) + 1
            if phase != ENDED:
                units[(county, method_id)].add((coordinator_id, unit_id))
                county_units[county].add((coordinator_id, unit_id))
    for (county, method_id), found in units.items():
        row(county, method_id).units = len(found)
    for county, found in county_units.items():
        county_row(county).units = len(found)


def _event_links(conn: Connection) -> set[tuple[str, str, str]]:
    """(coordinator, event id, method id) of every live link, each once. Matched to events in
    Python: SQLite's plans for joining them in SQL varied from 0,1 s to 10 s at national scale."""
    EM = DATA["event_methods"]
    stmt: Select[str, str, str] = select(EM.c.coordinator_id, EM.c.event_id, EM.c.method_id).where(EM.c.deleted.is_(False))
    return {(coordinator_id, event_id, method_id) for coordinator_id, event_id, method_id in conn.execute(stmt)}


def _events(conn: Connection, span: Span, links, row, county_row) -> None:
    E = DATA["events"]
    in_span = and_(E.c.deleted.is_(False), span.condition(E.c.date))
    events = {}
    stmt: Select[str, str, str, str] = select(E.c.county, E.c.coordinator_id, E.c.id, E.c.status).where(in_span)
    for county, coordinator_id, event_id, status in conn.execute(stmt):
        events[(coordinator_id, event_id)] = (county, status)
        _count_event(county_row(county), status, 1)
    for coordinator_id, event_id, method_id in links:
        found = events.get((coordinator_id, event_id))
        if found is not None:
            _count_event(row(found[0], method_id), found[1], 1)


def _count_event(r: CentralRow, status: str, n: int) -> None:
    r.events_planned += n
    if status == "held":
        r.events_held += n


def _attendance(conn: Connection, span: Span, links, row, county_row) -> None:
    """People at each held event, then per method through the event's live links."""
    E, EA = DATA["events"], DATA["event_attendance"]
    held = and_(E.c.deleted.is_(False), span.condition(E.c.date), E.c.status == "held")
    # (county, coordinator, event, professionals, supervisors, others)
    per_event: Select[str, str, str, int, int, int] = (
        select(
            E.c.county,
            E.c.coordinator_id,
            E.c.id,
            func.coalesce(func.sum(EA.c.professionals), 0),
            func.coalesce(func.sum(EA.c.supervisors), 0),
            func.coalesce(func.sum(EA.c.others), 0),
        )
        .select_from(E)
        .join(EA, _same(EA.c.event_id, E))
        .where(held, EA.c.deleted.is_(False))
        .group_by(E.c.county, E.c.coordinator_id, E.c.id)
    )
    people: dict[tuple[str, str], tuple] = {}
    for county, coordinator_id, event_id, *counts in conn.execute(per_event):
        counts = [int(n) for n in counts]
        people[(coordinator_id, event_id)] = (county, counts)
        _add_attendance(county_row(county), counts)
    for coordinator_id, event_id, method_id in links:
        found = people.get((coordinator_id, event_id))
        if found is not None:
            county, counts = found
            _add_attendance(row(county, method_id), counts)


def _add_attendance(r: CentralRow, counts: list[int]) -> None:
    r.attendance_professionals += counts[0]
    r.attendance_supervisors += counts[1]
    r.attendance_others += counts[2]


def _guidance(conn: Connection, span: Span, row, county_row) -> None:
    GS = DATA["guidance_sessions"]
    stmt: Select[str, str, int, int] = (
        select(GS.c.county, GS.c.method_id, func.count(), func.coalesce(func.sum(GS.c.duration_minutes), 0))
        .where(GS.c.deleted.is_(False), span.condition(GS.c.date))
        .group_by(GS.c.county, GS.c.method_id)
    )
    for county, method_id, n, minutes in conn.execute(stmt):
        for r in (row(county, method_id), county_row(county)):
            r.guidance_sessions += int(n)
            r.guidance_minutes += int(minutes)


def _trainees(conn: Connection, span: Span, day: dt.date, row, county_row) -> None:
    GS, GA, T = DATA["guidance_sessions"], DATA["guidance_attendance"], DATA["trainees"]
    present: Select[str, str, str, str] = (
        select(GS.c.county, GS.c.method_id, GA.c.coordinator_id, GA.c.trainee_id)
        .select_from(GS)
        .join(GA, _same(GA.c.session_id, GS))
        .join(T, _same(GA.c.trainee_id, T))
        .where(GS.c.deleted.is_(False), span.condition(GS.c.date), GA.c.deleted.is_(False))
        .distinct()
    )
    guided: dict[tuple, set] = defaultdict(set)
    county_guided: dict[str, set] = defaultdict(set)
    for county, method_id, coordinator_id, trainee_id in conn.execute(present):
        guided[(county, method_id)].add((coordinator_id, trainee_id))
        county_guided[county].add((coordinator_id, trainee_id))
    for (county, method_id), people in guided.items():
        row(county, method_id).trainees_guided = len(people)
    for county, people in county_guided.items():
        county_row(county).trainees_guided = len(people)
    active: Select[str, str, int] = (
        select(T.c.county, T.c.method_id, func.count())
        .where(T.c.deleted.is_(False), or_(T.c.end_date.is_(None), T.c.end_date >= day))
        .group_by(T.c.county, T.c.method_id)
    )
    for county, method_id, n in conn.execute(active):
        row(county, method_id).trainees_active += int(n)
        county_row(county).trainees_active += int(n)


def _method_names(conn: Connection, lang: str) -> dict[str, tuple[str | None, str]]:
    """method id -> (key, name in `lang`), from the most recently changed copy among the coordinators."""
    M = DATA["methods"]
    stmt: Select[str, str | None, str, str, str] = select(M.c.id, M.c.key, M.c.name_fi, M.c.name_sv, M.c.name_en).order_by(
        M.c.updated_at, M.c.coordinator_id
    )
    names: dict[str, tuple[str | None, str]] = {}
    for method_id, key, fi, sv, en in conn.execute(stmt):
        names[method_id] = (key, {"sv": sv, "en": en}.get(lang) or fi)  # the newest copy comes last and wins
    return names
