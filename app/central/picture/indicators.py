"""Indicators in the national picture: the coordinators' monthly figures rolled up by period and by
row of the level, and the goals that point at each indicator, against their targets.

The rules are the coordinator's own (app.core.indicator_progress, as app.queries.indicators
applies them): a month without a figure is not reported, never zero; additive indicators
(professionals trained, treatments started) sum over months and units; a share is pooled by its
base n only when every part gives one; a median is never combined (a median of medians is no
median: "–" with the reason); an indicator that takes days ("started within N days") is a
separate line for each N. A part is one coordinator's unit (× method): ids are unique only per
coordinator. A goal's value is its own figures (its unit, method and days; an additive goal from
its first counted month) up to the span's last month, judged in the goal's direction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from sqlalchemy import Connection, and_, func, select

from app.central.picture import charts as ch
from app.central.picture.names import Names
from app.central.picture.scope import PeriodKey, Scope, period_of
from app.central.picture.tables import Cell, Table, level_heading
from app.central.schema import DATA
from app.core.clock import HELSINKI
from app.core.geography import COUNTY_BY_KEY
from app.core.indicator_progress import MILLI, NOT_REPORTED, THOUSANDTH, Current, Figure, Rule, Why, current, progress, to_value
from app.core.indicators import Measure
from app.labels.indicators import NO_VALUE_LABELS
from app.pdf.charts import Chart
from app.pdf.text import Texts


def available() -> bool:
    """Whether this Koordi's merged database has the indicator tables at all."""
    return "indicators" in DATA and "monthly_figures" in DATA


@dataclass(frozen=True)
class Spec:
    id: str
    key: str  # the seeded key, else the id: what the long-format file names it by
    name: str
    measure: str
    direction: str
    additive: bool
    per_method: bool
    takes_days: bool

    @property
    def rule(self) -> Rule:
        return Rule.of(self.measure, self.additive)


@dataclass
class Goals:
    total: int = 0
    achieved: int = 0
    behind: int = 0
    no_value: int = 0


@dataclass
class Line:
    """One indicator (and, for one that takes days, one N of days)."""

    spec: Spec
    days: int | None
    series: dict[PeriodKey, Current] = field(default_factory=dict)
    rows: dict[str, Current] = field(default_factory=dict)
    total: Current | None = None
    goals: dict[str, Goals] = field(default_factory=dict)  # row -> the goals there
    goals_total: Goals = field(default_factory=Goals)


def catalogue(conn: Connection, lang: str) -> dict[str, Spec]:
    """indicator id -> its newest copy among the coordinators (seeded ones share ids)."""
    INDS = DATA["indicators"]
    found: dict[str, Spec] = {}
    for row in conn.execute(select(INDS).where(INDS.c.deleted.is_(False)).order_by(INDS.c.updated_at)):
        name = {"sv": row.name_sv, "en": row.name_en}.get(lang) or row.name_fi
        found[row.id] = Spec(
            row.id, row.key or row.id, name, row.measure, row.direction, row.additive, row.per_method, row.takes_days
        )
    return found


def _latest(scope: Scope, since: dt.date | None, until: dt.date) -> Any:
    """The live figures of the scope, one per part and month: of a part's repeats of a month (two
    rows for one unit × method × days × month), the one saved later, as the coordinator's Koordi."""
    MF = DATA["monthly_figures"]
    conditions = [MF.c.deleted.is_(False), scope.where(MF), MF.c.month <= until]
    if since is not None:
        conditions.append(MF.c.month >= since)
    if scope.method:
        conditions.append(MF.c.method_id == scope.method)
    part = (MF.c.coordinator_id, MF.c.indicator_id, MF.c.unit_id, MF.c.method_id, MF.c.days, MF.c.month)
    rank = func.row_number().over(partition_by=part, order_by=(MF.c.updated_at.desc(), MF.c.id.desc()))
    needed = (MF.c.coordinator_id, MF.c.county, MF.c.indicator_id, MF.c.unit_id, MF.c.method_id, MF.c.days, MF.c.month)
    return select(*needed, MF.c.value_milli, MF.c.n, rank.label("rank")).where(*conditions).subquery()


@dataclass
class MonthSum:
    """One month's figures of some parts, as combining them needs."""

    figures: int = 0
    total: int = 0  # Σ value (thousandths)
    weighted: int = 0  # Σ value · n over the figures that give n
    base: int = 0  # Σ n
    based: int = 0  # figures that give n

    def add(self, other: MonthSum) -> None:
        self.figures += other.figures
        self.total += other.total
        self.weighted += other.weighted
        self.base += other.base
        self.based += other.based


Sums = dict[tuple[str, int | None, Hashable], dict[dt.date, MonthSum]]  # (indicator, days, key) -> month -> sums


def month_sums(conn: Connection, scope: Scope, specs: dict[str, Spec], columns: list[Any], key: Callable[..., Hashable]) -> Sums:
    """Each indicator's (and N of days') figures summed per month and per `key` of the `columns`
    (of the deduplicated figures: a subquery's columns by name), in SQL: never one figure at a time."""
    latest = _latest(scope, scope.start, scope.end)
    picked = [latest.c[name] for name in columns]
    n = func.coalesce(latest.c.n, 0)
    stmt = (
        select(
            latest.c.indicator_id,
            latest.c.days,
            *picked,
            latest.c.month,
            func.count(),
            func.sum(latest.c.value_milli),
            func.sum(latest.c.value_milli * n),
            func.sum(n),
            func.count(latest.c.n),
        )
        .where(latest.c.rank == 1)
        .group_by(latest.c.indicator_id, latest.c.days, *picked, latest.c.month)
    )
    out: Sums = defaultdict(dict)
    rows: Any = conn.execute(stmt)
    for indicator_id, days, *values in rows:
        spec = specs.get(indicator_id)
        if spec is None:
            continue
        month, figures, total, weighted, base, based = values[len(picked) :]
        cell = (indicator_id, days if spec.takes_days else None, key(*values[: len(picked)]))
        found = out[cell].setdefault(month, MonthSum())
        found.add(MonthSum(int(figures), int(total or 0), int(weighted or 0), int(base or 0), int(based)))
    return out


def combined(spec: Spec, months: dict[dt.date, MonthSum]) -> Current:
    """The months' value by app.core.indicator_progress's rules: an additive indicator's months (and
    units) add up; any other's value is its latest reported month's, its parts combined as
    combine_month does (a stock adds up, a share pools by its base, a median is never combined).
    `parts` is the number of figures the value is from."""
    if not months:
        return NOT_REPORTED
    first, last = min(months), max(months)
    if spec.additive:
        total = MonthSum()
        for found in months.values():
            total.add(found)
        return Current(to_value(total.total), last, first=first, months=len(months), parts=total.figures)
    m = months[last]
    value: Decimal | None
    why: Why | None = None
    if m.figures == 1 or spec.measure == Measure.COUNT.value:
        value = to_value(m.total)
    elif spec.measure == Measure.PERCENT.value and m.based == m.figures and m.base > 0:
        value = (Decimal(m.weighted) / Decimal(m.base * MILLI)).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)
    else:
        value, why = None, Why.NO_BASE if spec.measure == Measure.PERCENT.value else Why.MEDIANS
    n = m.base if m.based == m.figures else None
    return Current(value, last, first=last, months=1, parts=m.figures, n=n, why=why)


def _by(
    sums: Sums, regroup: Callable[[Hashable, dt.date], Hashable]
) -> dict[tuple[str, int | None, Hashable], dict[dt.date, MonthSum]]:
    """The month sums put together by a coarser key (a period, an area): they add up."""
    out: dict[tuple[str, int | None, Hashable], dict[dt.date, MonthSum]] = defaultdict(dict)
    for (indicator_id, days, key), months in sums.items():
        for month, found in months.items():
            out[(indicator_id, days, regroup(key, month))].setdefault(month, MonthSum()).add(found)
    return out


def lines(conn: Connection, scope: Scope, lang: str) -> list[Line]:
    specs = catalogue(conn, lang)
    column = {"area": "county", "county": "county", "coordinator": "coordinator_id", "method": "method_id"}.get(scope.level)
    sums = month_sums(conn, scope, specs, [column] if column else [], lambda *v: _row_key(scope, v[0] if v else ""))
    found: dict[tuple[str, int | None], Line] = {}
    for (indicator_id, days, row), months in sums.items():
        line = found.setdefault((indicator_id, days), Line(specs[indicator_id], days))
        line.rows[str(row)] = combined(line.spec, months)
    for (indicator_id, days, period), months in _by(sums, lambda _row, month: period_of(month, scope.grain).key).items():
        found[(indicator_id, days)].series[cast(PeriodKey, period)] = combined(specs[indicator_id], months)
    for (indicator_id, days, _all), months in _by(sums, lambda _row, _month: "").items():
        found[(indicator_id, days)].total = combined(specs[indicator_id], months)
    _goals(conn, scope, specs, found)
    return sorted(found.values(), key=lambda line: (line.spec.name, line.days or 0))


def _row_key(scope: Scope, value: str | None) -> str:
    if scope.level == "area":
        county = COUNTY_BY_KEY.get(value or "")
        return county.area if county else ""
    return value or ""


def cells(conn: Connection, scope: Scope, specs: dict[str, Spec], level: str, per_method: bool):
    """(indicator, days, (level's key, method or ""), period) -> the value: the long-format file's cells."""
    column = {"area": "county", "county": "county", "coordinator": "coordinator_id"}.get(level)
    columns = ([column] if column else []) + (["method_id"] if per_method else [])

    def key(*values: Any) -> Hashable:
        geo = values[0] if column else ""
        if level == "area":
            county = COUNTY_BY_KEY.get(geo or "")
            geo = county.area if county else ""
        return geo or "", (values[-1] or "") if per_method else ""

    sums = month_sums(conn, scope, specs, columns, key)
    by_period = _by(sums, lambda cell, month: (cell, period_of(month, scope.grain).key))
    return {(ind, days, cell): combined(specs[ind], months) for (ind, days, cell), months in by_period.items()}


def _goals(conn: Connection, scope: Scope, specs: dict[str, Spec], found: dict[tuple[str, int | None], Line]) -> None:
    """Each live goal on an indicator, judged by its own figures up to the span's last month."""
    G = DATA["goals"]
    conditions = [G.c.deleted.is_(False), G.c.indicator_id.is_not(None), G.c.status != "dropped", scope.where(G)]
    if scope.method:
        conditions.append(G.c.method_id == scope.method)
    goals = list(conn.execute(select(G).where(*conditions)))
    if not goals:
        return
    # Only the figures of the goals' units (all of a coordinator's for a goal on no unit), through
    # the (coordinator, unit) and (coordinator, indicator) indexes; repeats of a part's month are
    # left to core.current, which keeps the one saved later (the figures are given oldest first).
    MF = DATA["monthly_figures"]
    live = [MF.c.deleted.is_(False), MF.c.month <= scope.end]
    columns: tuple[Any, ...] = (MF.c.coordinator_id, MF.c.indicator_id, MF.c.unit_id, MF.c.method_id, MF.c.month)
    columns += (MF.c.days, MF.c.value_milli, MF.c.n, MF.c.updated_at, MF.c.id)
    found_rows: list[Any] = []
    for on_unit in (True, False):
        wanted = select(G.c.coordinator_id, G.c.indicator_id, G.c.unit_id).where(
            *conditions, G.c.unit_id.is_not(None) if on_unit else G.c.unit_id.is_(None)
        )
        wanted_q = wanted.distinct().subquery()
        match = [wanted_q.c.coordinator_id == MF.c.coordinator_id, wanted_q.c.indicator_id == MF.c.indicator_id]
        if on_unit:
            match.append(wanted_q.c.unit_id == MF.c.unit_id)
        found_rows += conn.execute(select(*columns).join(wanted_q, and_(*match)).where(*live)).all()
    found_rows.sort(key=lambda r: (r.updated_at, r.id))
    figures: dict[tuple[str, str], list[tuple[str, str | None, Figure, int | None]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for coordinator_id, indicator_id, unit_id, method_id, month, days, value, n, _at, row_id in found_rows:
        if (coordinator_id, row_id) in seen:  # a figure of a unit with a goal on it and a goal on no unit
            continue
        seen.add((coordinator_id, row_id))
        part = f"{coordinator_id}/{unit_id}/{method_id or ''}"
        figures[(coordinator_id, indicator_id)].append((unit_id, method_id, Figure(part, month, value, n), days))
    for goal in goals:
        spec = specs.get(goal.indicator_id)
        if spec is None:
            continue
        days = goal.days if spec.takes_days else None
        line = found.setdefault((spec.id, days), Line(spec, days))
        start = _counted_from(goal) if spec.additive else None
        mine = [
            f
            for unit_id, method_id, f, f_days in figures.get((goal.coordinator_id, spec.id), [])
            if (not goal.unit_id or unit_id == goal.unit_id)
            and (method_id is None if not spec.per_method else (not goal.method_id or method_id == goal.method_id))
            and (not spec.takes_days or f_days == goal.days)
            and (start is None or f.month >= start)
        ]
        value = current(spec.rule, mine, start)
        judged = progress(value.value, goal.target_value, goal.direction) if value.value is not None else None
        row = scope.group_key(goal.coordinator_id, goal.county, goal.method_id or "")
        for tally in (line.goals.setdefault(row, Goals()), line.goals_total):
            tally.total += 1
            if judged is None:
                tally.no_value += 1
            elif judged.achieved:
                tally.achieved += 1
            else:
                tally.behind += 1


def _counted_from(goal: Any) -> dt.date:
    """As the coordinator's Koordi: the goal's own first month, else the month it was made in."""
    if goal.counted_from is not None:
        return goal.counted_from.replace(day=1)
    return goal.created_at.replace(tzinfo=dt.UTC).astimezone(HELSINKI).date().replace(day=1)


# -- the page's figures --------------------------------------------------------------------------


def shown(texts: Texts, spec: Spec, value: Current | None) -> str:
    if value is None or value.value is None:
        if value is not None and value.why is not None and value.why.value != "not_reported":
            return f"– ({texts.label(NO_VALUE_LABELS, value.why.value)})"
        return "–"
    if spec.measure == "count":
        return texts.number(value.value, 0 if value.value == value.value.to_integral_value() else 1)
    text = texts.number(value.value, 1)
    return f"{text} %" if spec.measure == "percent" else text


def title(texts: Texts, line: Line) -> str:
    _ = texts
    if line.days is not None:
        return _("%(indicator)s, %(days)s days", indicator=line.spec.name, days=texts.number(line.days))
    return line.spec.name


def line_chart(line: Line, scope: Scope, texts: Texts, key: str) -> ch.Linked:
    """Bars of an additive indicator's sums by period; a line of the others' combined values (a gap
    where a period's figures cannot be combined)."""
    _ = texts
    periods = scope.periods()
    values = [line.series.get(p.key) for p in periods]
    numbers = [float(v.value) if v is not None and v.value is not None else None for v in values]
    name = title(texts, line)
    if line.spec.additive:
        drawing = ch.bars([[v or 0 for v in numbers]], [(ch.BRAND, name)], ch.period_labels(periods), texts, "")
        description = _(
            "Bar chart of %(indicator)s by period, added up over the units that reported: %(total)s in all.",
            indicator=name,
            total=shown(texts, line.spec, line.total),
        )
    else:
        top = max((v for v in numbers if v is not None), default=0)
        scale = (0.0, 100.0, 20.0) if line.spec.measure == "percent" else (0.0, *ch.nice_axis(top))
        series = [ch.LineSeries(name, tuple(numbers), tuple(v.parts if v else 0 for v in values))]
        drawn = ch.line_chart(key, name, [p.label() for p in periods], series, texts, scale)
        drawing, description = drawn.drawing, drawn.description
    rows = tuple(
        (p.label(), shown(texts, line.spec, v), texts.number(v.parts if v else 0)) for p, v in zip(periods, values, strict=True)
    )
    chart = Chart(key, name, description, (_("Period"), name, _("Figures counted")), rows, drawing)
    ref = _ref(line)
    refs = tuple(
        (None, *([{**ref, "period": p.code}] * 2 if v and v.parts else [None, None]))
        for p, v in zip(periods, values, strict=True)
    )
    return ch.Linked(chart, refs)


def _ref(line: Line) -> dict[str, str]:
    return {"figure": "indicators", "indicator": line.spec.id, **({"days": str(line.days)} if line.days else {})}


def line_table(line: Line, scope: Scope, names: Names, texts: Texts, key: str) -> Table:
    _ = texts
    n = texts.number
    ref = _ref(line)

    def cells(value: Current | None, goals: Goals, link: dict[str, str]) -> tuple[Cell, ...]:
        has = link if value is not None and value.parts else None
        return (
            Cell(shown(texts, line.spec, value), has),
            Cell(n(value.parts if value else 0), has),
            Cell(n(goals.total)),
            Cell(n(goals.achieved)),
            Cell(n(goals.behind)),
            Cell(n(goals.no_value)),
        )

    keys = names.sorted(scope.level, set(line.rows) | set(line.goals))
    rows = tuple(
        (Cell(names.label(scope.level, k)), *cells(line.rows.get(k), line.goals.get(k, Goals()), {**ref, "row": k})) for k in keys
    )
    columns = (
        level_heading(texts, scope.level),
        _("Value"),
        _("Figures counted"),
        _("Goals"),
        _("Achieved"),
        _("Not achieved"),
        _("No value"),
    )
    return Table(
        key,
        _("%(indicator)s against the goals", indicator=title(texts, line)),
        columns,
        rows,
        (Cell(_("Total")), *cells(line.total, line.goals_total, ref)),
        _("Goals are judged by their own figures up to the span's last month, in their direction (lower or higher is better)."),
    )


def indicator_figures(conn: Connection, scope: Scope, names: Names, texts: Texts) -> list[tuple[ch.Linked, Table]]:
    out = []
    for i, line in enumerate(lines(conn, scope, texts.lang)):
        out.append(
            (line_chart(line, scope, texts, f"indicator-{i}"), line_table(line, scope, names, texts, f"indicator-table-{i}"))
        )
    return out
