"""The merged rows behind a figure of the national picture: every figure's table cell links here
with the scope and what the cell counted (a row of the level, a period, a phase, a status, an
instrument), and this lists those rows with who sent them (coordinator, county, the file),
the unit, the method and the dates, a page at a time.

    found = figure_rows(conn, Ask.parse(args, scope), names, texts, today, page)

The narrowing is the figure's own rule (deployments.py, activity.py, surveys.py), so a cell's
number is the count of rows listed here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select

from app.central.picture import deployments as dep
from app.central.picture.names import Names
from app.central.picture.scope import Period, Scope, parse_period
from app.central.schema import DATA
from app.core import instruments as core
from app.core.geography import COUNTY_BY_KEY
from app.core.phases import PHASES
from app.labels.deployments import PHASE_LABELS
from app.labels.events import STATUS_LABELS as EVENT_STATUS_LABELS
from app.labels.events import TYPE_LABELS as EVENT_TYPE_LABELS
from app.pdf.text import Texts

FIGURES = ("deployments", "events", "guidance", "surveys", "indicators")
PER_PAGE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Ask:
    """What one cell counted."""

    figure: str
    scope: Scope  # narrowed to the cell's row and period
    period: Period | None = None
    phase: str = ""
    status: str = ""
    instrument: str = ""
    indicator: str = ""
    days: int | None = None

    @classmethod
    def parse(cls, args: Mapping[str, str], scope: Scope) -> Ask | None:
        figure = args.get("figure", "")
        if figure not in FIGURES:
            return None
        period = parse_period(args.get("period", ""), scope.grain)
        narrowed = _narrow(scope, args.get("row"))
        if period is not None:
            narrowed = replace(narrowed, start=max(period.start, scope.start), end=min(period.end, scope.end))
        phase = args.get("phase", "")
        status = args.get("status", "")
        instrument = args.get("instrument", "")
        indicator = args.get("indicator", "")
        days = args.get("days", "")
        return cls(
            figure,
            narrowed,
            period,
            phase if phase in PHASES else "",
            status if status in EVENT_STATUS_LABELS else "",
            instrument if len(instrument) == 36 else "",
            indicator if len(indicator) == 36 else "",
            int(days) if days.isdigit() and len(days) <= 4 else None,
        )


def _narrow(scope: Scope, row: str | None) -> Scope:
    """The scope of one row of its level's table (a row the level does not know: the scope as it is)."""
    if row is None:
        return scope
    if scope.level == "area" and row and not scope.county:
        return replace(scope, area=row)
    if scope.level == "county" and row in COUNTY_BY_KEY:
        return replace(scope, county=row, area=COUNTY_BY_KEY[row].area)
    if scope.level == "coordinator" and row:
        return replace(scope, coordinator=row)
    if scope.level == "method" and row:
        return replace(scope, method=row)
    return scope


@dataclass(frozen=True)
class Found:
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    # What the list pager (macros/lists.html) reads.
    @property
    def number(self) -> int:
        return self.page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def figure_rows(
    conn: Connection, ask: Ask, names: Names, texts: Texts, today: dt.date, page: int = 1, lines: list | None = None
) -> Found:
    """`lines`: the scope's deployment timelines when the caller has them already."""
    page = min(max(page, 1), MAX_PAGE)
    if ask.figure == "deployments":
        return _deployments(conn, ask, names, texts, today, page, lines)
    if ask.figure == "events":
        return _events(conn, ask, names, texts, page)
    if ask.figure == "guidance":
        return _guidance(conn, ask, names, texts, page)
    if ask.figure == "indicators":
        return _indicators(conn, ask, names, texts, page)
    return _surveys(conn, ask, names, texts, page)


def _who(names: Names, texts: Texts, coordinator_id: str, county: str) -> tuple[str, str]:
    return names.coordinator(coordinator_id), texts.county(county) or county


def _unit_names(conn: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(coordinator, unit id) -> the unit's name, for one page's rows."""
    if not keys:
        return {}
    U = DATA["units"]
    by_coordinator: dict[str, list[str]] = defaultdict(list)
    for coordinator_id, unit_id in keys:
        by_coordinator[coordinator_id].append(unit_id)
    out = {}
    for coordinator_id, ids in by_coordinator.items():
        stmt = select(U.c.id, U.c.name).where(U.c.coordinator_id == coordinator_id, U.c.id.in_(ids))
        found: Any = conn.execute(stmt)
        out.update({(coordinator_id, uid): name for uid, name in found})
    return out


def _deployments(conn: Connection, ask: Ask, names: Names, texts: Texts, today: dt.date, page: int, lines) -> Found:
    _ = texts
    day = ask.scope.day(today)
    found = []
    for t in dep.timelines(conn, ask.scope) if lines is None else lines:
        phase = t.phase_on(day)
        if phase is None or (ask.phase and phase != ask.phase):
            continue
        since = max(start for start, _p in t.steps if start <= day)
        found.append((t, phase, since))
    found.sort(
        key=lambda f: (names.order("county", f[0].county), names.coordinator(f[0].coordinator_id), f[2], f[0].deployment_id)
    )
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    units = _unit_names(conn, {(t.coordinator_id, t.unit_id) for t, _p, _s in shown})
    columns = (_("Coordinator"), _("County"), _("Unit"), _("Method"), _("Phase on %(date)s", date=texts.date(day)), _("Since"))
    rows = [
        (
            *_who(names, texts, t.coordinator_id, t.county),
            units.get((t.coordinator_id, t.unit_id), "–"),
            names.method(t.method_id),
            texts.label(PHASE_LABELS, phase),
            texts.date(since),
        )
        for t, phase, since in shown
    ]
    return Found(columns, rows, len(found), page)


def _page(conn: Connection, stmt: Any, order: tuple, page: int) -> tuple[int, list[Any]]:
    total = conn.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(conn.execute(stmt.order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return int(total), rows


def _events(conn: Connection, ask: Ask, names: Names, texts: Texts, page: int) -> Found:
    _ = texts
    E, EM, EA = DATA["events"], DATA["event_methods"], DATA["event_attendance"]
    s = ask.scope
    stmt = select(E.c.coordinator_id, E.c.id, E.c.county, E.c.date, E.c.type, E.c.title, E.c.status, E.c.source_file).where(
        E.c.deleted.is_(False), s.where(E), s.in_span(E.c.date)
    )
    if ask.status:
        stmt = stmt.where(E.c.status == ask.status)
    if s.method:
        same = and_(EM.c.coordinator_id == E.c.coordinator_id, EM.c.event_id == E.c.id, EM.c.deleted.is_(False))
        stmt = stmt.where(exists().where(same, EM.c.method_id == s.method))
    total, rows = _page(conn, stmt, (E.c.date, E.c.coordinator_id, E.c.id), page)
    keys = [(r.coordinator_id, r.id) for r in rows]
    methods: dict[tuple[str, str], list[str]] = defaultdict(list)
    units: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    people: dict[tuple[str, str], int] = defaultdict(int)
    for coordinator_id, ids in _by_coordinator(keys).items():
        links = select(EM.c.event_id, EM.c.method_id).where(
            EM.c.coordinator_id == coordinator_id, EM.c.event_id.in_(ids), EM.c.deleted.is_(False)
        )
        linked: Any = conn.execute(links)
        for event_id, method_id in linked:
            methods[(coordinator_id, event_id)].append(names.method(method_id))
        present = select(EA.c.event_id, EA.c.unit_id, EA.c.professionals, EA.c.supervisors, EA.c.others).where(
            EA.c.coordinator_id == coordinator_id, EA.c.event_id.in_(ids), EA.c.deleted.is_(False)
        )
        attended: Any = conn.execute(present)
        for event_id, unit_id, *counts in attended:
            units[(coordinator_id, event_id)].add((coordinator_id, unit_id))
            people[(coordinator_id, event_id)] += sum(n or 0 for n in counts)
    unit_names = _unit_names(conn, {u for found in units.values() for u in found})
    columns = (
        _("Date"),
        _("Coordinator"),
        _("County"),
        _("Event"),
        _("Type"),
        _("Status"),
        _("Units"),
        _("Methods"),
        _("People"),
        _("File"),
    )
    out = [
        (
            texts.date(r.date),
            *_who(names, texts, r.coordinator_id, r.county),
            r.title,
            texts.label(EVENT_TYPE_LABELS, r.type),
            texts.label(EVENT_STATUS_LABELS, r.status),
            ", ".join(sorted(unit_names.get(u, "–") for u in units[(r.coordinator_id, r.id)])) or "–",
            ", ".join(sorted(methods[(r.coordinator_id, r.id)])) or "–",
            texts.number(people[(r.coordinator_id, r.id)]) if r.status == "held" else "–",
            r.source_file,
        )
        for r in rows
    ]
    return Found(columns, out, total, page)


def _by_coordinator(keys: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for coordinator_id, row_id in keys:
        out[coordinator_id].append(row_id)
    return out


def _guidance(conn: Connection, ask: Ask, names: Names, texts: Texts, page: int) -> Found:
    _ = texts
    GS, GA = DATA["guidance_sessions"], DATA["guidance_attendance"]
    s = ask.scope
    stmt = select(
        GS.c.coordinator_id, GS.c.id, GS.c.county, GS.c.date, GS.c.method_id, GS.c.duration_minutes, GS.c.source_file
    ).where(GS.c.deleted.is_(False), s.where(GS), s.in_span(GS.c.date))
    if s.method:
        stmt = stmt.where(GS.c.method_id == s.method)
    total, rows = _page(conn, stmt, (GS.c.date, GS.c.coordinator_id, GS.c.id), page)
    present: dict[tuple[str, str], int] = defaultdict(int)
    for coordinator_id, ids in _by_coordinator([(r.coordinator_id, r.id) for r in rows]).items():
        stmt_ga = (
            select(GA.c.session_id, func.count())
            .where(GA.c.coordinator_id == coordinator_id, GA.c.session_id.in_(ids), GA.c.deleted.is_(False))
            .group_by(GA.c.session_id)
        )
        guided: Any = conn.execute(stmt_ga)
        for session_id, n in guided:
            present[(coordinator_id, session_id)] = int(n)
    columns = (_("Date"), _("Coordinator"), _("County"), _("Method"), _("Minutes"), _("People guided"), _("File"))
    out = [
        (
            texts.date(r.date),
            *_who(names, texts, r.coordinator_id, r.county),
            names.method(r.method_id),
            texts.number(r.duration_minutes),
            texts.number(present[(r.coordinator_id, r.id)]),
            r.source_file,
        )
        for r in rows
    ]
    return Found(columns, out, total, page)


def _indicators(conn: Connection, ask: Ask, names: Names, texts: Texts, page: int) -> Found:
    """The monthly figures of one indicator (and N of days), as the coordinators reported them."""
    _ = texts
    MF, INDS = DATA["monthly_figures"], DATA["indicators"]
    s = ask.scope
    stmt = select(
        MF.c.coordinator_id,
        MF.c.id,
        MF.c.county,
        MF.c.month,
        MF.c.unit_id,
        MF.c.method_id,
        MF.c.days,
        MF.c.value_milli,
        MF.c.n,
        MF.c.source_file,
    ).where(MF.c.deleted.is_(False), MF.c.indicator_id == ask.indicator, s.where(MF), s.in_span(MF.c.month))
    if s.method:
        stmt = stmt.where(MF.c.method_id == s.method)
    if ask.days is not None:
        stmt = stmt.where(MF.c.days == ask.days)
    total, rows = _page(conn, stmt, (MF.c.month, MF.c.coordinator_id, MF.c.unit_id, MF.c.id), page)
    measure = conn.scalar(select(INDS.c.measure).where(INDS.c.id == ask.indicator).limit(1)) or "count"
    units = _unit_names(conn, {(r.coordinator_id, r.unit_id) for r in rows})
    columns = (_("Month"), _("Coordinator"), _("County"), _("Unit"), _("Method"), _("Value"), "n", _("File"))
    out = [
        (
            f"{r.month.month}/{r.month.year}",
            *_who(names, texts, r.coordinator_id, r.county),
            units.get((r.coordinator_id, r.unit_id), "–"),
            names.method(r.method_id) if r.method_id else "–",
            texts.number(r.value_milli / 1000, 0 if measure == "count" else 1) + (" %" if measure == "percent" else ""),
            texts.number(r.n) if r.n is not None else "–",
            r.source_file,
        )
        for r in rows
    ]
    return Found(columns, out, total, page)


def _surveys(conn: Connection, ask: Ask, names: Names, texts: Texts, page: int) -> Found:
    _ = texts
    SR, SRU, INS = DATA["survey_rounds"], DATA["survey_round_units"], DATA["instruments"]
    s = ask.scope
    stmt = select(
        SR.c.coordinator_id, SR.c.id, SR.c.county, SR.c.date, SR.c.method_id, SR.c.instrument_id, SR.c.answered, SR.c.source_file
    ).where(SR.c.deleted.is_(False), SR.c.answered >= core.SMALL_ROUND, s.where(SR), s.in_span(SR.c.date))
    if s.method:
        stmt = stmt.where(SR.c.method_id == s.method)
    if ask.instrument:
        stmt = stmt.where(SR.c.instrument_id == ask.instrument)
    total, rows = _page(conn, stmt, (SR.c.date, SR.c.coordinator_id, SR.c.id), page)
    units: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for coordinator_id, ids in _by_coordinator([(r.coordinator_id, r.id) for r in rows]).items():
        stmt_u = select(SRU.c.round_id, SRU.c.unit_id).where(
            SRU.c.coordinator_id == coordinator_id, SRU.c.round_id.in_(ids), SRU.c.deleted.is_(False)
        )
        covered: Any = conn.execute(stmt_u)
        for round_id, unit_id in covered:
            units[(coordinator_id, round_id)].add((coordinator_id, unit_id))
    unit_names = _unit_names(conn, {u for found in units.values() for u in found})
    instrument_ids = {r.instrument_id for r in rows}
    instruments: dict[str, str] = {}
    if instrument_ids:
        named: Any = conn.execute(
            select(INS.c.id, INS.c.name_fi, INS.c.name_sv, INS.c.name_en)
            .where(INS.c.id.in_(instrument_ids))
            .order_by(INS.c.updated_at)
        )
        for iid, fi, sv, en in named:
            instruments[iid] = {"sv": sv, "en": en}.get(texts.lang) or fi
    columns = (_("Date"), _("Coordinator"), _("County"), _("Units"), _("Method"), _("Instrument"), _("Respondents"), _("File"))
    out = [
        (
            texts.date(r.date),
            *_who(names, texts, r.coordinator_id, r.county),
            ", ".join(sorted(unit_names.get(u, "–") for u in units[(r.coordinator_id, r.id)])) or "–",
            names.method(r.method_id) if r.method_id else "–",
            instruments.get(r.instrument_id, r.instrument_id),
            texts.number(r.answered),
            r.source_file,
        )
        for r in rows
    ]
    return Found(columns, out, total, page)


def caption(ask: Ask, names: Names, texts: Texts, today: dt.date) -> str:
    """What the list holds, in words: "Events · Helsinki · 1/2026 · Held"."""
    _ = texts
    figure = {
        "deployments": _("Deployments on %(date)s", date=texts.date(ask.scope.day(today))),
        "events": _("Events"),
        "guidance": _("Method guidance sessions"),
        "surveys": _("Survey rounds of 5 or more respondents"),
        "indicators": _("Monthly figures"),
    }[ask.figure]
    s = ask.scope
    parts = [figure]
    if s.coordinator:
        parts.append(names.label("coordinator", s.coordinator))
    elif s.county:
        parts.append(names.label("county", s.county))
    elif s.area:
        parts.append(names.label("area", s.area))
    else:
        parts.append(_("Whole country"))
    if s.method:
        parts.append(names.method(s.method))
    if ask.period is not None:
        parts.append(ask.period.label())
    elif ask.figure != "deployments":
        parts.append(f"{texts.date(s.start)}–{texts.date(s.end)}")
    if ask.phase:
        parts.append(texts.label(PHASE_LABELS, ask.phase))
    if ask.status:
        parts.append(texts.label(EVENT_STATUS_LABELS, ask.status))
    return " · ".join(parts)
