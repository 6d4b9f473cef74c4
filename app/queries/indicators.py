"""Reads about indicators and their monthly figures: the catalogue, a goal's current value and its
line, the grid's rows and cells, and what the dashboard asks (the month not yet reported).

Plain functions over a Session (no Flask). The roll-up rules are app.core.indicator_progress's;
this module only picks the figures a question is about: live figures of the indicator, of the
goal's unit (all units without one), of its method when the indicator is reported per method
(all methods without one), and of the goal's "within N days" when the indicator takes days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.core.clock import HELSINKI
from app.core.indicator_progress import NOT_REPORTED, Current, Figure, Rule, current, series, to_value
from app.core.text import fold
from app.models import Deployment, Goal, Indicator, Method, MonthlyFigure, Unit
from app.queries.common import get_live, live
from app.queries.survey_cache import memo

DEFAULT_DAYS = 28  # the therapy guarantee for under-23s (HE 131/2024): a share's usual "within N days"
# A part (unit × method) that reported each of this many months before is expected to report the
# next: a steady monthly reporter. A cohort's professionals trained (a month or two) never are.
EXPECTED_STREAK = 3


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def last_month(today: dt.date) -> dt.date:
    """The month a coordinator reports now: the one before today's."""
    return add_months(month_start(today), -1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out


# -- the catalogue -----------------------------------------------------------------------------


def indicator_list_stmt(show_retired: bool = False) -> Select[Indicator]:
    """Live indicators: the seeded ones in the catalogue's order first, then the coordinator's own."""
    stmt = select(Indicator).where(live(Indicator.deleted))
    if not show_retired:
        stmt = stmt.where(Indicator.retired.is_(False))
    return stmt.order_by(Indicator.key.is_(None), Indicator.created_at, Indicator.name_fi, Indicator.id)


def catalogue_order(indicator: Indicator) -> tuple:
    """indicator_list_stmt's ORDER BY, for indicators already read (str and datetime order as SQLite's
    BINARY collation and the stored UTC times do)."""
    return (indicator.key is None, indicator.created_at, indicator.name_fi, indicator.id)


def indicators(s: Session, show_retired: bool = False) -> list[Indicator]:
    return list(s.scalars(indicator_list_stmt(show_retired)))


def live_indicator(s: Session, indicator_id: str) -> Indicator | None:
    return get_live(s, Indicator, indicator_id)


def indicator_choices(s: Session, lang: str, include: str | None = None) -> list[tuple[str, str]]:
    """[(id, name)] of indicators a new goal may point at; `include` stays selectable (a goal's own)."""
    cond = and_(live(Indicator.deleted), Indicator.retired.is_(False))
    if include:
        cond = or_(cond, Indicator.id == include)
    stmt = select(Indicator).where(cond).order_by(Indicator.key.is_(None), Indicator.created_at, Indicator.name_fi)
    return [(i.id, i.name(lang)) for i in s.scalars(stmt)]


def rule_of(indicator: Indicator) -> Rule:
    return Rule.of(indicator.measure, indicator.additive)


def figure_count(s: Session, indicator_id: str) -> int:
    stmt = select(func.count()).where(MonthlyFigure.indicator_id == indicator_id, live(MonthlyFigure.deleted))
    return s.scalar(stmt) or 0


# -- a goal's figures ------------------------------------------------------------------------------


def counted_from(goal: Goal) -> dt.date:
    """The first month an additive goal sums: the goal's own, else the month it was made in."""
    if goal.counted_from is not None:
        return month_start(goal.counted_from)
    created = goal.created_at or dt.datetime.now(dt.UTC)
    return month_start(created.astimezone(HELSINKI).date())


def _goal_conditions(goal: Goal, indicator: Indicator) -> list:
    """The figures a goal on `indicator` is about: its unit's (all units without one), its method's
    (all methods without one; none for a per-unit indicator), its days', its counted months'."""
    f = MonthlyFigure
    out = [f.indicator_id == indicator.id, live(f.deleted)]
    if goal.unit_id:
        out.append(f.unit_id == goal.unit_id)
    if not indicator.per_method:
        out.append(f.method_id.is_(None))
    elif goal.method_id:
        out.append(f.method_id == goal.method_id)
    if indicator.takes_days:
        out.append(f.days == goal.days if goal.days is not None else f.days.is_(None))
    if indicator.additive:
        out.append(f.month >= counted_from(goal))
    return out


def goal_figures(s: Session, goal: Goal, indicator: Indicator, month: dt.date | None = None) -> list[Figure]:
    """The live figures a goal on `indicator` is about (of one `month` if given), oldest saved first
    (a part's repeat in a month: the later one counts)."""
    more = [MonthlyFigure.month == month] if month is not None else []
    return _figures(s, *_goal_conditions(goal, indicator), *more)


def _figures(s: Session, *conditions) -> list[Figure]:
    f = MonthlyFigure
    stmt = select(f.unit_id, f.method_id, f.month, f.value_milli, f.n).where(*conditions).order_by(f.updated_at, f.id)
    return [Figure(f"{unit}/{method or ''}", month, value, n) for unit, method, month, value, n in s.execute(stmt)]


def goal_current(s: Session, goal: Goal, indicator: Indicator) -> Current:
    """A goal's current value by app.core.indicator_progress's rules, reading only what they need:
    an additive indicator's sum is made in SQL (each part's latest figure of a month, as the core
    keeps), a non-additive one's latest reported month is read and combined by the core. Kept in
    the memo of app.queries.survey_cache until the data changes (lists and the dashboard ask often)."""
    m = memo(s)
    generation = m.generation
    key = ("goal_current", goal.id, goal.updated_at, indicator.id, indicator.updated_at)
    found = m.get(key)
    if found is None:
        found = _goal_current(s, goal, indicator)
        m.put(key, found, generation)
    return found


def _goal_current(s: Session, goal: Goal, indicator: Indicator) -> Current:
    f = MonthlyFigure
    conditions = _goal_conditions(goal, indicator)
    if not indicator.additive:
        # The latest reported month's figures, in one statement: the first page after a start
        # computes a few goals, each of their statements compiled anew (issue 17).
        latest = select(func.max(f.month)).where(*conditions).scalar_subquery()
        figures = _figures(s, *conditions, f.month == latest)
        return current(rule_of(indicator), figures) if figures else NOT_REPORTED
    rank = func.row_number().over(partition_by=(f.unit_id, f.method_id, f.month), order_by=(f.updated_at.desc(), f.id.desc()))
    kept = select(f.unit_id, f.method_id, f.month, f.value_milli, rank.label("rank")).where(*conditions).subquery()
    part = kept.c.unit_id + "/" + func.coalesce(kept.c.method_id, "")
    row: Any = s.execute(
        select(
            func.sum(kept.c.value_milli),
            func.count(func.distinct(kept.c.month)),
            func.min(kept.c.month),
            func.max(kept.c.month),
            func.count(func.distinct(part)),
        ).where(kept.c.rank == 1)
    ).one()
    total, months, first, last, parts = row
    if total is None:
        return NOT_REPORTED
    return Current(to_value(int(total)), _as_date(last), first=_as_date(first), months=int(months), parts=int(parts))


def _as_date(value) -> dt.date:
    """min()/max() of a date column come back as its text from SQLite."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


class GoalLine(NamedTuple):
    """An indicator goal's values month by month, for its chart."""

    months: list[dt.date]
    values: list  # Decimal | None per month
    cumulative: bool  # an additive indicator's running sum


def goal_line(s: Session, goal: Goal, indicator: Indicator, until: dt.date, longest: int = 24) -> GoalLine:
    """An indicator goal's progress month by month, for its chart: from its first counted month (an
    additive goal) or its first reported one, to `until`'s month, at most `longest` months."""
    figures = goal_figures(s, goal, indicator)
    last = month_start(until)
    if figures:
        last = max(last, max(f.month for f in figures))
    first = counted_from(goal) if indicator.additive else min((f.month for f in figures), default=last)
    first = max(first, add_months(last, -(longest - 1)))
    months = months_between(first, last) if first <= last else [last]
    rule = rule_of(indicator)
    values = series(rule, figures, months, counted_from(goal) if indicator.additive else None)
    return GoalLine(months, values, indicator.additive)


# -- the grid ----------------------------------------------------------------------------------------


class GridRow(NamedTuple):
    """A row of the monthly figures' grid: a unit, or one unit's method."""

    id: str  # a unit's id (units × months) or a method's (one unit's methods × months)
    label: str
    unit_id: str
    method_id: str | None


def _with_figures(indicator_id: str, months: Sequence[dt.date], column):
    return (
        select(column)
        .where(
            MonthlyFigure.indicator_id == indicator_id,
            live(MonthlyFigure.deleted),
            MonthlyFigure.month >= months[0],
            MonthlyFigure.month <= months[-1],
        )
        .distinct()
    )


def unit_rows(s: Session, indicator: Indicator, months: Sequence[dt.date], method_id: str | None) -> list[GridRow]:
    """Units × months: the active units (with a live deployment of `method_id` when the indicator is
    reported per method), and any unit that already has a figure in the months shown."""
    shown = _with_figures(indicator.id, months, MonthlyFigure.unit_id)
    if indicator.per_method:
        shown = shown.where(MonthlyFigure.method_id == method_id)
        deployed = select(Deployment.unit_id).where(Deployment.method_id == method_id, live(Deployment.deleted))
        expected = and_(Unit.active.is_(True), Unit.id.in_(deployed))
    else:
        shown = shown.where(MonthlyFigure.method_id.is_(None))
        expected = Unit.active.is_(True)
    stmt = (
        select(Unit.id, Unit.name).where(live(Unit.deleted), or_(expected, Unit.id.in_(shown))).order_by(Unit.name_key, Unit.id)
    )
    return [GridRow(uid, name, uid, method_id if indicator.per_method else None) for uid, name in s.execute(stmt)]


def method_rows(s: Session, indicator: Indicator, months: Sequence[dt.date], unit_id: str, lang: str) -> list[GridRow]:
    """One unit's methods × months: the methods it has a live deployment of, and any with a figure shown."""
    shown = _with_figures(indicator.id, months, MonthlyFigure.method_id).where(MonthlyFigure.unit_id == unit_id)
    deployed = select(Deployment.method_id).where(Deployment.unit_id == unit_id, live(Deployment.deleted))
    stmt = select(Method).where(live(Method.deleted), or_(Method.id.in_(deployed), Method.id.in_(shown)))
    rows = [GridRow(m.id, m.name(lang), unit_id, m.id) for m in s.scalars(stmt)]
    return sorted(rows, key=lambda r: (fold(r.label), r.id))


def grid_methods(s: Session, lang: str) -> list[tuple[str, str, int]]:
    """[(id, name, units deployed)] of live methods with a live deployment, most deployed first."""
    count = func.count(func.distinct(Deployment.unit_id))
    stmt = (
        select(Method, count)
        .join(Deployment, and_(Deployment.method_id == Method.id, live(Deployment.deleted)))
        .where(live(Method.deleted))
        .group_by(Method.id)
    )
    rows = [(m.id, m.name(lang), n) for m, n in s.execute(stmt)]
    return sorted(rows, key=lambda r: (-r[2], fold(r[1]), r[0]))


def grid_figures(
    s: Session, indicator: Indicator, rows: Sequence[GridRow], months: Sequence[dt.date], days: int | None, by_method: bool
) -> dict[tuple[str, dt.date], MonthlyFigure]:
    """(row id, month) -> the live figure there (the latest saved, should there be two). by_method:
    the rows are one unit's methods (else units, of one method when the indicator is per method)."""
    if not rows or not months:
        return {}
    f = MonthlyFigure
    # `indicator_id || ''`: SQLite then finds the page's few units through the unit-month index;
    # through the indicator-month one it read every unit's figures of the months (10x slower, 500 units).
    stmt = select(f).where(
        f.indicator_id.concat("") == indicator.id, live(f.deleted), f.month >= months[0], f.month <= months[-1]
    )
    if by_method:
        stmt = stmt.where(f.unit_id == rows[0].unit_id, f.method_id.in_([r.method_id for r in rows]))
    else:
        stmt = stmt.where(f.unit_id.in_([r.unit_id for r in rows]))
        stmt = stmt.where(f.method_id == rows[0].method_id) if indicator.per_method else stmt.where(f.method_id.is_(None))
    if indicator.takes_days:
        stmt = stmt.where(f.days == days) if days is not None else stmt.where(f.days.is_(None))
    out: dict[tuple[str, dt.date], MonthlyFigure] = {}
    for figure in s.scalars(stmt.order_by(f.updated_at, f.id)):
        key = figure.method_id if by_method else figure.unit_id
        out[(key or "", figure.month)] = figure
    return out


def usual_days(s: Session, indicator: Indicator) -> int:
    """The "within N days" of the latest figures of a takes_days indicator (28 before any): the
    grid opens on what was reported last."""
    f = MonthlyFigure
    stmt = (
        select(f.days)
        .where(f.indicator_id == indicator.id, live(f.deleted), f.days.is_not(None))
        .order_by(f.month.desc(), f.updated_at.desc())
        .limit(1)
    )
    return s.scalar(stmt) or DEFAULT_DAYS


# -- the month not yet reported --------------------------------------------------------------------


class Unreported(NamedTuple):
    """An indicator whose month is not yet reported, and the units that reported it before."""

    indicator: Indicator
    method: Method | None  # the grid to open (per-method indicators)
    units: list[Any]  # (id, name, name_key) of units reported in the months before, nothing for the month


def _missing_stmt(month: dt.date) -> Select[str, str | None, str]:
    """(indicator, method, unit) of the parts reported in each month before `month`, not in it."""
    f = MonthlyFigure
    live_ids = select(Indicator.id).where(live(Indicator.deleted), Indicator.retired.is_(False))
    # One pass over the window's figures (the indicator-month index), grouped by part: reported in
    # each month before, and not in the month itself. A correlated NOT EXISTS per row was 5x slower.
    before = func.count(func.distinct(case((f.month < month, f.month))))
    now = func.sum(case((f.month == month, 1), else_=0))
    return (
        select(f.indicator_id, f.method_id, f.unit_id)
        .where(f.indicator_id.in_(live_ids), live(f.deleted), f.month >= add_months(month, -EXPECTED_STREAK), f.month <= month)
        .group_by(f.indicator_id, f.method_id, f.unit_id)
        .having(and_(before == EXPECTED_STREAK, now == 0))
    )


def unreported(s: Session, month: dt.date, limit_units: int = 5) -> tuple[list[Unreported], dict[tuple[str, str], int]]:
    """Per indicator (× method): the active units that reported it in each of the EXPECTED_STREAK
    months before `month` but have no live figure for `month`. Returns the groups (with at most
    `limit_units` units each) and each group's full count, keyed (indicator id, method id or "")."""
    # The home page asks on every visit: the groups (ids, the units' names, the order) are kept
    # until the data next changes (app.queries.survey_cache); only the indicators and methods
    # themselves are read again, this session's objects (issue 17: 4 ms and 2 statements less),
    # and not even those on the visit that found the groups.
    read_now: list[list[Unreported]] = []

    def read():
        groups, counts = _unreported(s, month, limit_units)
        read_now.append(groups)
        return tuple((g.indicator.id, g.method.id if g.method else "", tuple(g.units)) for g in groups), counts

    kept, counts = memo(s, whole=True).kept(("unreported", month, limit_units), read)
    if read_now:
        return read_now[0], dict(counts)
    if not kept:
        return [], {}
    indicator_ids, method_ids = {i for i, _m, _u in kept}, {m for _i, m, _u in kept if m}
    indicators_by_id = {i.id: i for i in s.scalars(select(Indicator).where(Indicator.id.in_(indicator_ids)))}
    methods_by_id = {m.id: m for m in s.scalars(select(Method).where(Method.id.in_(method_ids)))} if method_ids else {}
    groups = [Unreported(indicators_by_id[i], methods_by_id.get(m), list(units)) for i, m, units in kept if i in indicators_by_id]
    return groups, dict(counts)


def _unreported(s: Session, month: dt.date, limit_units: int) -> tuple[list[Unreported], dict[tuple[str, str], int]]:
    """unreported()'s groups, in order, and their counts."""
    missing: dict[tuple[str, str], list[str]] = {}
    for indicator_id, method_id, unit_id in s.execute(_missing_stmt(month)):
        missing.setdefault((indicator_id, method_id or ""), []).append(unit_id)
    if not missing:
        return [], {}
    # Each table asked only for its own ids (the IN lists are expanded for every statement).
    indicator_ids, method_ids = {i for i, _m in missing}, {m for _i, m in missing if m}
    wanted_units = {u for us in missing.values() for u in us}
    indicators_by_id = {i.id: i for i in s.scalars(select(Indicator).where(Indicator.id.in_(indicator_ids)))}
    methods_by_id = {m.id: m for m in s.scalars(select(Method).where(Method.id.in_(method_ids)))} if method_ids else {}
    # The units' names only (rows with .id, .name, .name_key): a card lists a few of each group's.
    units_stmt = select(Unit.id, Unit.name, Unit.name_key).where(
        Unit.id.in_(wanted_units), live(Unit.deleted), Unit.active.is_(True)
    )
    units_by_id = {u.id: u for u in s.execute(units_stmt)}
    groups = []
    counts = {}
    for (indicator_id, method_id), unit_ids in missing.items():
        units = sorted((units_by_id[u] for u in set(unit_ids) if u in units_by_id), key=lambda u: (u.name_key, u.id))
        if not units:
            continue  # only ended or deleted units: nothing is expected of them
        counts[(indicator_id, method_id)] = len(units)
        groups.append(Unreported(indicators_by_id[indicator_id], methods_by_id.get(method_id), units[:limit_units]))
    # The catalogue's order, from the indicators read above (a statement less on the first page: issue 17).
    groups.sort(key=lambda grp: (catalogue_order(grp.indicator), fold(grp.method.name_fi) if grp.method else ""))
    return groups, counts


def parts_reporting(s: Session, indicator_ids: Iterable[str]) -> dict[str, int]:
    """How many live figures each indicator has (the catalogue's list shows it)."""
    ids = list(indicator_ids)
    if not ids:
        return {}
    stmt = (
        select(MonthlyFigure.indicator_id, func.count())
        .where(MonthlyFigure.indicator_id.in_(ids), live(MonthlyFigure.deleted))
        .group_by(MonthlyFigure.indicator_id)
    )
    return {i: n for i, n in s.execute(stmt)}
