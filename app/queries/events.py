"""Reads about events: the list and its filters, one event's parts, the annual plan, totals.

Plain functions over a Session (no Flask), so the dashboard, reports and exports
count exactly what the events pages show. The rules every count here follows:
- deleted events, and deleted attendance or method rows, never count;
- "planned" in the annual plan means every event in the plan, whatever became of
  it (planned, held or cancelled); "held" the ones marked held; a cell "3 / 5"
  reads "3 of the 5 planned were held";
- attendance counts only events marked held; a role whose count is unknown adds 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnExpressionArgument, Integer, Select, case, cast, func, or_, select, union_all
from sqlalchemy.orm import Session

from app.core import collation
from app.core.text import fold
from app.models import Event, EventMethod, EventUnit, Method, Unit
from app.models.events import EVENT_TYPES
from app.queries.common import by_name, chunks, contains, get_live, live
from app.queries.survey_cache import memo

MONTHS = tuple(range(1, 13))


# -- the list ---------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    type: str = ""
    status: str = ""
    unit_id: str = ""
    method_id: str = ""
    q: str = ""


def _text_condition(q: str):
    """Title or theme contains `q`, ignoring case.

    SQLite's LIKE folds only ASCII letters and events have no folded column, so
    the usual spellings of the query (as typed, lower, Capitalised, UPPER) are
    tried: "äänekoski" finds "Äänekoski" and "ÄÄNEKOSKI".
    """
    q = q.strip()
    variants: dict[str, str] = {}
    for v in (q, q.lower(), q.capitalize(), q.upper(), q.title()):
        # LIKE already ignores ASCII case: only spellings that differ in other letters need a term.
        variants.setdefault("".join(c.lower() if c.isascii() else c for c in v), v)
    return or_(*(contains(column, v) for v in variants.values() for column in (Event.title, Event.theme)))


def filtered_stmt(f: EventFilter) -> Select:
    """Live events matching the filter, unordered."""
    stmt = select(Event).where(live(Event.deleted))
    if f.date_from:
        stmt = stmt.where(Event.date >= f.date_from)
    if f.date_to:
        stmt = stmt.where(Event.date <= f.date_to)
    if f.type:
        stmt = stmt.where(Event.type == f.type)
    if f.status:
        stmt = stmt.where(Event.status == f.status)
    if f.unit_id:
        # IN (not a correlated EXISTS): the unit's few rows are found by index, then their events.
        stmt = stmt.where(Event.id.in_(select(EventUnit.event_id).where(EventUnit.unit_id == f.unit_id, live(EventUnit.deleted))))
    if f.method_id:
        stmt = stmt.where(
            Event.id.in_(select(EventMethod.event_id).where(EventMethod.method_id == f.method_id, live(EventMethod.deleted)))
        )
    if f.q.strip():
        stmt = stmt.where(_text_condition(f.q))
    return stmt


def upcoming_then_past(s: Session, f: EventFilter, today: dt.date, offset: int, limit: int) -> tuple[list[Event], int]:
    """One page of the list and the total: upcoming events first, soonest first; then past
    ones, newest first.

    Two index-ordered reads instead of one ORDER BY CASE …: that form made SQLite
    sort every matching row (with all its columns) for each page, 100 ms and more
    at 20 000 events; this reads the date index in order and stops at the page.
    """
    base = filtered_stmt(f)
    upcoming = base.where(Event.date >= today)
    past = base.where(Event.date < today)
    # Both counts in one pass over the matching rows.
    counts: Select[int, int] = base.with_only_columns(
        func.count(), func.coalesce(func.sum(case((Event.date >= today, 1), else_=0)), 0), maintain_column_froms=True
    )
    total, n_upcoming = s.execute(counts).one()
    rows: list[Event] = []
    if offset < n_upcoming:
        order: tuple[ColumnExpressionArgument[Any], ...] = (Event.date, Event.start_time, Event.title, Event.id)
        rows = list(s.scalars(upcoming.order_by(*order).offset(offset).limit(limit)))
    if len(rows) < limit and offset + len(rows) < total:
        order = (Event.date.desc(), Event.start_time, Event.title, Event.id)
        rows += s.scalars(past.order_by(*order).offset(max(0, offset - n_upcoming)).limit(limit - len(rows)))
    return rows, total


def chronological_stmt(f: EventFilter) -> Select:
    """For a calendar file: oldest first."""
    return filtered_stmt(f).order_by(Event.date, Event.start_time, Event.id)


def between_stmt(start: dt.date, end: dt.date) -> Select:
    """Live events with start <= date <= end (both inclusive), in time order."""
    return (
        select(Event)
        .where(live(Event.deleted), Event.date >= start, Event.date <= end)
        .order_by(Event.date, Event.start_time, Event.title, Event.id)
    )


def events_between(s: Session, start: dt.date, end: dt.date) -> list[Event]:
    """Live events with start <= date <= end (both inclusive), in time order."""
    return list(s.scalars(between_stmt(start, end)))


# -- one event ----------------------------------------------------------------------


def live_event(s: Session, event_id: str) -> Event | None:
    return get_live(s, Event, event_id)


def event_units(s: Session, event_id: str) -> list[tuple[EventUnit, Unit]]:
    """The units an event concerns, with their attendance rows, by unit name."""
    stmt = (
        select(EventUnit, Unit)
        .join(Unit, Unit.id == EventUnit.unit_id)
        .where(EventUnit.event_id == event_id, live(EventUnit.deleted))
        .order_by(by_name(Unit.name_key), Unit.id)
    )
    return [(eu, unit) for eu, unit in s.execute(stmt)]


def event_methods(s: Session, event_id: str) -> list[Method]:
    stmt = (
        select(Method)
        .join(EventMethod, EventMethod.method_id == Method.id)
        .where(EventMethod.event_id == event_id, live(EventMethod.deleted))
    )
    return list(s.scalars(stmt))


def units_by_event(s: Session, event_ids: list[str]) -> dict[str, list[Unit]]:
    """Units of many events in one query (calendar files, month lists)."""
    out: dict[str, list[Unit]] = {}
    for chunk in chunks(event_ids):
        stmt = (
            select(EventUnit.event_id, Unit)
            .join(Unit, Unit.id == EventUnit.unit_id)
            .where(EventUnit.event_id.in_(chunk), live(EventUnit.deleted))
            .order_by(by_name(Unit.name_key))
        )
        for event_id, unit in s.execute(stmt):
            out.setdefault(event_id, []).append(unit)
    return out


def methods_by_event(s: Session, event_ids: list[str]) -> dict[str, list[Method]]:
    out: dict[str, list[Method]] = {}
    for chunk in chunks(event_ids):
        stmt = (
            select(EventMethod.event_id, Method)
            .join(Method, Method.id == EventMethod.method_id)
            .where(EventMethod.event_id.in_(chunk), live(EventMethod.deleted))
        )
        for event_id, method in s.execute(stmt):
            out.setdefault(event_id, []).append(method)
    return out


def links_changed_at(s: Session, event_ids: list[str]) -> dict[str, dt.datetime]:
    """When each event's units or methods last changed (a unit added, or taken off: the link
    row's updated_at), for events whose own row did not change with them (calendar files)."""
    out: dict[str, dt.datetime] = {}
    for model in (EventUnit, EventMethod):
        for chunk in chunks(event_ids):
            stmt = select(model.event_id, func.max(model.updated_at)).where(model.event_id.in_(chunk)).group_by(model.event_id)
            for event_id, changed in s.execute(stmt):
                if changed is not None and (event_id not in out or changed > out[event_id]):
                    out[event_id] = changed
    return out


def series_events(s: Session, series_id: str) -> list[Event]:
    """Every live event of a recurring series, in date order."""
    stmt = select(Event).where(Event.series_id == series_id, live(Event.deleted)).order_by(Event.date, Event.start_time, Event.id)
    return list(s.scalars(stmt))


# -- the annual plan -------------------------------------------------------------------


@dataclass
class MonthCount:
    planned: int = 0  # every event in the plan: planned, held or cancelled
    held: int = 0
    cancelled: int = 0

    def add(self, status: str, n: int) -> None:
        self.planned += n
        if status == "held":
            self.held += n
        elif status == "cancelled":
            self.cancelled += n


def sum_counts(counts) -> MonthCount:
    """Planned, held and cancelled added up (months of a year, types of a period...)."""
    total = MonthCount()
    for count in counts:
        total.planned += count.planned
        total.held += count.held
        total.cancelled += count.cancelled
    return total


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _counts_stmt(year: int, *columns) -> Select:
    start, end = _year_bounds(year)
    month = cast(func.strftime("%m", Event.date), Integer)
    return (
        select(*columns, month.label("month"), Event.status, func.count().label("n"))
        .where(live(Event.deleted), Event.date >= start, Event.date <= end)
        .group_by(*columns, month, Event.status)
    )


def held_planned_by_month(s: Session, year: int) -> dict[int, MonthCount]:
    """{1..12: MonthCount} of the year's live events. Every month is present."""
    out = {m: MonthCount() for m in MONTHS}
    for row in s.execute(_counts_stmt(year)):
        out[int(row.month)].add(row.status, row.n)
    return out


@dataclass
class PlanRow:
    """One row of the annual plan: a theme, or an event type for events without a theme."""

    key: str
    theme: str | None  # as first written; None for a type row
    type: str | None
    months: dict[int, MonthCount] = field(default_factory=lambda: {m: MonthCount() for m in MONTHS})

    @property
    def total(self) -> MonthCount:
        return sum_counts(self.months.values())


@dataclass
class AnnualPlan:
    year: int
    rows: list[PlanRow]
    months: dict[int, MonthCount]  # the totals row

    @property
    def total(self) -> MonthCount:
        return sum_counts(self.months.values())


def annual_plan(s: Session, year: int) -> AnnualPlan:
    """The vuosikello: rows = themes (case-insensitive; then types for events with no theme),
    columns = months, each cell held / planned. Theme rows by name, type rows in type order.
    Kept until the data next changes (app.queries.survey_cache): grouping a bench year's 8 000
    events took most of the plan page's time (issue 17). Read only: the same object is shared."""
    return memo(s, whole=True).kept(("annual_plan", year), lambda: _annual_plan(s, year))


def _annual_plan(s: Session, year: int) -> AnnualPlan:
    rows: dict[str, PlanRow] = {}
    for row in s.execute(_counts_stmt(year, Event.theme, Event.type).order_by(Event.theme)):
        theme = (row.theme or "").strip()
        key = "theme:" + fold(theme) if theme else "type:" + row.type
        plan_row = rows.get(key)  # not setdefault: a PlanRow (twelve months) for every row read
        if plan_row is None:
            plan_row = rows[key] = PlanRow(key, theme, None) if theme else PlanRow(key, None, row.type)
        plan_row.months[int(row.month)].add(row.status, row.n)
    type_order: dict[str | None, int] = {t: i for i, t in enumerate(EVENT_TYPES)}
    ordered = sorted(
        rows.values(),
        key=lambda r: (0, collation.key(r.theme), "") if r.theme else (1, "", f"{type_order.get(r.type, 99):02d}{r.type}"),
    )
    months = {m: sum_counts(r.months[m] for r in ordered) for m in MONTHS}  # the same rows: one query, not two
    return AnnualPlan(year, ordered, months)


def years_with_events(s: Session) -> list[int]:
    """Years that have live events, for the year chooser. Kept until the data next changes
    (app.queries.survey_cache): the plan's every visit asks (issue 17)."""
    return list(memo(s, whole=True).kept(("years_with_events",), lambda: _years_with_events(s)))


def _years_with_events(s: Session) -> tuple[int, ...]:
    # The first and last live date, each read from one end of the date index (a min() and
    # max() with a WHERE would walk the whole index instead).
    dates = select(Event.date).where(live(Event.deleted)).limit(1)
    first = s.scalar(dates.order_by(Event.date))
    last = s.scalar(dates.order_by(Event.date.desc()))
    if first is None or last is None:  # both or neither
        return ()
    return tuple(range(first.year, last.year + 1))


# -- totals for the dashboard and reports ----------------------------------------------------


@dataclass(frozen=True)
class AttendanceTotals:
    events: int  # held events with at least one attendance row counted
    professionals: int
    supervisors: int
    others: int

    @property
    def total(self) -> int:
        return self.professionals + self.supervisors + self.others


def attendance_totals(s: Session, start: dt.date, end: dt.date, unit_id: str | None = None) -> AttendanceTotals:
    """People who attended held events with start <= date <= end, by role; one unit's only if given."""
    # SQLAlchemy types coalesce(sum(x), 0) as x's Optional type; it is never None.
    stmt: Select[int, int, int, int] = (
        select(  # type: ignore[assignment]
            func.count(func.distinct(Event.id)),
            func.coalesce(func.sum(EventUnit.professionals), 0),
            func.coalesce(func.sum(EventUnit.supervisors), 0),
            func.coalesce(func.sum(EventUnit.others), 0),
        )
        .join(EventUnit, EventUnit.event_id == Event.id)
        .where(
            live(Event.deleted),
            live(EventUnit.deleted),
            Event.status == "held",
            Event.date >= start,
            Event.date <= end,
        )
    )
    if unit_id:
        stmt = stmt.where(EventUnit.unit_id == unit_id)
    events, professionals, supervisors, others = s.execute(stmt).one()
    return AttendanceTotals(int(events), int(professionals), int(supervisors), int(others))


@dataclass(frozen=True)
class FeedbackSummary:
    events: int  # held events with feedback
    answers: int
    average_centi: int | None  # answers-weighted average * 100, rounded; None without answers


def feedback_summary(s: Session, start: dt.date, end: dt.date) -> FeedbackSummary:
    """Feedback of held events in the range, each event weighted by its number of answers."""
    # SQLAlchemy types coalesce(sum(x), 0) as x's Optional type; it is never None.
    stmt: Select[int, int, int] = select(  # type: ignore[assignment]
        func.count(Event.id),
        func.coalesce(func.sum(Event.feedback_count), 0),
        func.coalesce(func.sum(Event.feedback_avg_centi * Event.feedback_count), 0),
    ).where(
        live(Event.deleted),
        Event.status == "held",
        Event.date >= start,
        Event.date <= end,
        Event.feedback_avg_centi.is_not(None),
        Event.feedback_count > 0,
    )
    events, answers, weighted = s.execute(stmt).one()
    average = round(weighted / answers) if answers else None
    return FeedbackSummary(int(events), int(answers), average)


# -- the annual plan as a calendar ---------------------------------------------------


@dataclass(frozen=True)
class CalendarItem:
    id: str
    date: dt.date
    start_time: dt.time | None
    title: str
    type: str
    status: str


@dataclass
class CalendarMonth:
    month: int
    items: list[CalendarItem] = field(default_factory=list)
    total: int = 0  # every event of the month, also those not listed under the cap

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def year_calendar(s: Session, year: int, per_month: int = 10, totals: dict[int, int] | None = None) -> dict[int, CalendarMonth]:
    """The twelve months of `year` with their live events in time order (planned, held and
    cancelled alike: the calendar shows what became of each). A month lists at most `per_month`
    events and counts the rest, so a busy year stays a page, not a scroll.

    Each month's first events are read from the date index up to the cap (one query of twelve
    limited parts: reading the whole year's rows took most of the plan page's time at the
    bench scale); the month counts come from `totals` when the caller has them (the annual
    plan's month totals count the same events), else from one index-only count."""
    months = {m: CalendarMonth(m) for m in MONTHS}
    if totals is None:
        month_of = cast(func.strftime("%m", Event.date), Integer)
        start, end = _year_bounds(year)
        stmt = (
            select(month_of, func.count()).where(live(Event.deleted), Event.date >= start, Event.date <= end).group_by(month_of)
        )
        totals = {int(m): n for m, n in s.execute(stmt)}
    for m in MONTHS:
        months[m].total = totals.get(m, 0)
    # The items kept until the data next changes (app.queries.survey_cache): making the twelve
    # parts' statement cost more than running it (issue 17).
    items = memo(s, whole=True).kept(("year_calendar", year, per_month), lambda: _calendar_items(s, year, per_month))
    for m, listed in items.items():
        months[m].items = list(listed)
    return months


def _calendar_items(s: Session, year: int, per_month: int) -> dict[int, tuple[CalendarItem, ...]]:
    """year_calendar's items: each month's first `per_month` events, in time order."""
    by_month: dict[int, list[CalendarItem]] = {m: [] for m in MONTHS}
    order = (Event.date, Event.start_time, Event.title, Event.id)
    parts = []
    for m in MONTHS:
        first = dt.date(year, m, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        part = (
            select(Event.id, Event.date, Event.start_time, Event.title, Event.type, Event.status)
            .where(live(Event.deleted), Event.date >= first, Event.date <= last)
            .order_by(*order)
            .limit(per_month)
            .subquery()
        )
        parts.append(select(part))  # SQLite allows ORDER BY ... LIMIT in a compound's parts only as subqueries
    for row in s.execute(union_all(*parts)):
        by_month[row.date.month].append(CalendarItem(row.id, row.date, row.start_time, row.title, row.type, row.status))
    # In time order whatever order the parts come back in.
    key = lambda i: (i.date, i.start_time is not None, i.start_time or dt.time.min, i.title, i.id)  # noqa: E731
    return {m: tuple(sorted(listed, key=key)) for m, listed in by_month.items()}
