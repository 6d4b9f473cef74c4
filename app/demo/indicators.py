"""Two years of monthly figures a county would believe, and a few goals that point at indicators.

Each deployment that reached its pilot reports, month by month from the pilot on (until it paused
or ended): treatments started (a few in the pilot, more in use, most once embedded, fewer in
July), the median days from need to start with its n (falling in use, and clearly once the
method is embedded; a few units stall), and the share started within 28 days (from the same
waiting times, a real share of its n clients). Every unit with a deployment in pilot or later
reports its waiting list at the month's end, shrinking as its methods embed.

Professionals trained come in cohorts: the months a deployment's training cohorts finished, and
an autumn refresher cohort for embedded ones. A month without a cohort has **no figure**, not a
0 (design decision): the coordinator reports a cohort when it finishes, a 0 would claim a check
nobody made, and "not reported" adds nothing to a sum, so every total is the same. The
dashboard's "not yet reported" expects only parts that reported each of the three months
before, which cohorts never do.

Reporting is not perfect: a few unit-months are missing at random, and about a fifth of the
units have not reported last month yet (the dashboard lists them).

Goals on indicators: professionals trained in the most trained method county-wide (achieved),
treatments started in one unit this year (behind), a median of 13 days in one unit (lower is
better: seed 004's target) and a waiting list in one unit (lower is better), the share started
within 28 days of one method pooled over its units (higher).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from app.core.indicator_progress import Figure, Rule, current
from app.core.indicators import Measure
from app.demo import vocabulary as words
from app.demo.context import Demo
from app.models import Deployment, Goal, MonthlyFigure, PhaseChange
from app.store.seeds import indicator_id

TRAINED = indicator_id("professionals_trained")
STARTED = indicator_id("treatments_started")
MEDIAN = indicator_id("median_days_to_start")
SHARE = indicator_id("share_started_within")
WAITING = indicator_id("waiting_list")
WITHIN_DAYS = 28  # the therapy guarantee for under-23s
LATE_SHARE = 0.2  # units that have not reported last month yet
GAP_SHARE = 0.02  # unit-months missing at random
TREATING = ("pilot", "in_use", "embedded")


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _phase_at(path: list[tuple[str, dt.date]], month: dt.date) -> tuple[str | None, dt.date | None]:
    """The phase a deployment was in at the end of `month`, and when it entered it."""
    end = _add_months(month, 1) - dt.timedelta(days=1)
    phase = since = None
    for name, day in path:
        if day <= end:
            phase, since = name, day
    return phase, since


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


class _Figures:
    """The rows being made, and the same figures as app.core Figures for the goals' targets."""

    def __init__(self, demo: Demo, months: list[dt.date], late: set[str], gaps: set[tuple[str, dt.date]]):
        self.demo, self.months, self.late, self.gaps = demo, months, late, gaps
        self.last = months[-1]
        self.kept: dict[str, list[tuple[str, str | None, Figure]]] = defaultdict(list)
        # Reported a few working days into the next month (never after today), per month once.
        self.reported = {m: min(demo.today, demo.next_workday(_add_months(m, 1) + dt.timedelta(days=4))) for m in months}

    def add(self, indicator: str, unit_id: str, method_id: str | None, month: dt.date, milli: int, n=None, days=None) -> None:
        if (unit_id, month) in self.gaps or (month == self.last and unit_id in self.late):
            return
        self.demo.add(
            MonthlyFigure,
            self.reported[month],
            indicator_id=indicator,
            unit_id=unit_id,
            method_id=method_id,
            month=month,
            days=days,
            value_milli=milli,
            n=n,
        )
        self.kept[indicator].append((unit_id, method_id, Figure(f"{unit_id}/{method_id or ''}", month, milli, n)))


def add_figures(demo: Demo) -> None:
    rng = demo.rng
    last = _add_months(_month(demo.today), -1)
    months = [_add_months(last, -i) for i in range(23, -1, -1)]
    units = [u["id"] for u in demo.units]
    late = {u for u in units if rng.random() < LATE_SHARE}
    gaps = {(u, m) for u in units for m in months[:-1] if rng.random() < GAP_SHARE}
    out = _Figures(demo, months, late, gaps)
    paths: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
    for change in demo.rows.get(PhaseChange, []):
        paths[change["deployment_id"]].append((change["phase"], change["changed_on"]))
    treating_units: dict[str, list[list[tuple[str, dt.date]]]] = defaultdict(list)
    for deployment in demo.rows.get(Deployment, []):
        path = sorted(paths[deployment["id"]], key=lambda p: p[1])
        _training_cohorts(demo, out, deployment, path)
        if any(p in TREATING for p, _d in path):
            _treatments(demo, out, deployment, path)
            treating_units[deployment["unit_id"]].append(path)
    for unit_id, unit_paths in treating_units.items():
        _waiting_list(demo, out, unit_id, unit_paths)
    _goals(demo, out)


def _training_cohorts(demo: Demo, out: _Figures, deployment: dict, path: list[tuple[str, dt.date]]) -> None:
    rng = demo.rng
    trained = deployment["professionals_trained"]
    training = next((d for p, d in path if p == "training"), None)
    if training is not None and trained:
        first = _month(training) if _month(training) >= out.months[0] else None
        split = [trained] if trained < 4 or rng.random() < 0.5 else [trained // 2, trained - trained // 2]
        for offset, count in enumerate(split):
            month = _add_months(first, offset * 2) if first else None
            if month is not None and month <= out.last and count:
                out.add(TRAINED, deployment["unit_id"], deployment["method_id"], month, count * 1000)
    embedded = next((d for p, d in path if p == "embedded"), None)
    if embedded is not None:
        for month in out.months:
            if month.month == 10 and month > _month(embedded) and rng.random() < 0.6:
                out.add(TRAINED, deployment["unit_id"], deployment["method_id"], month, rng.randint(1, 3) * 1000)


def _treatments(demo: Demo, out: _Figures, deployment: dict, path: list[tuple[str, dt.date]]) -> None:
    rng = demo.rng
    unit_id, method_id = deployment["unit_id"], deployment["method_id"]
    base = rng.uniform(32, 55)  # median days at the pilot
    low = rng.uniform(8, 16) if rng.random() > 0.15 else base * 0.8  # a few units stall
    mid = (base + low) / 2
    pilot = next(d for p, d in path if p in TREATING)
    for month in out.months:
        phase, since = _phase_at(path, month)
        if phase not in TREATING or since is None:
            continue
        if phase == "embedded":
            level = mid - (mid - low) * min(1.0, (_months_between(_month(since), month) + 1) / 4)
            started = rng.randint(6, 16)
        elif phase == "in_use":
            level = base - (base - mid) * min(1.0, _months_between(_month(since), month) / 12)
            started = rng.randint(4, 12)
        else:
            level = base - 2 * min(3, _months_between(_month(pilot), month))
            started = rng.randint(2, 6)
        if month.month == 7:
            started = max(1, started // 2)  # the summer
        median = max(3.0, round(level * rng.uniform(0.88, 1.12) * 2) / 2)  # whole or half days
        within = round(started * (1 - math.exp(-WITHIN_DAYS * math.log(2) / median)))
        out.add(STARTED, unit_id, method_id, month, started * 1000)
        out.add(MEDIAN, unit_id, method_id, month, round(median * 1000), n=started)
        share = round(within * 1000 / started) * 100  # to a tenth of a percent, as a unit reports it
        out.add(SHARE, unit_id, method_id, month, share, n=started, days=WITHIN_DAYS)


def _waiting_list(demo: Demo, out: _Figures, unit_id: str, paths: list[list[tuple[str, dt.date]]]) -> None:
    rng = demo.rng
    start = rng.uniform(25, 90)
    first = min(next(d for p, d in path if p in TREATING) for path in paths)
    for month in out.months:
        if month < _month(first):
            continue
        embedded = sum(1 for path in paths if _phase_at(path, month)[0] == "embedded")
        in_use = sum(1 for path in paths if _phase_at(path, month)[0] in ("in_use", "pilot"))
        level = start * (0.97 ** _months_between(_month(first), month)) * (0.75**embedded) * (0.93**in_use)
        out.add(WAITING, unit_id, None, month, max(0, round(level * rng.uniform(0.85, 1.15))) * 1000)


def _value(rule: Rule, parts: list[tuple[str, str | None, Figure]], since: dt.date | None = None, **match) -> float | None:
    figures = [f for u, m, f in parts if all({"unit": u, "method": m}[k] == v for k, v in match.items())]
    got = current(rule, figures, since)
    return float(got.value) if got.value is not None else None


def _goals(demo: Demo, out: _Figures) -> None:
    rng = demo.rng
    short = {m.id: words.METHOD_SHORT.get(m.key or "", m.name_fi) for m in demo.methods}
    created = _add_months(out.last, -11)
    start = created
    made = 0

    def goal(title, target, indicator, direction, unit_id=None, method_id=None, days=None, since=None, due=None):
        nonlocal made
        made += 1
        return demo.add(
            Goal,
            created,
            title=title,
            unit_id=unit_id,
            method_id=method_id,
            metric="",
            target_value=max(1, int(target)),
            target_date=due or dt.date(demo.today.year, 12, 31),
            status="open",
            notes=rng.choice(words.GOAL_NOTES),
            indicator_id=indicator,
            direction=direction,
            days=days,
            counted_from=since,
        )

    trained = out.kept[TRAINED]
    by_method: dict[str, int] = defaultdict(int)
    for _u, method_id, figure in trained:
        if figure.month >= start and method_id:
            by_method[method_id] += figure.value_milli
    if by_method:  # achieved: the most trained method, county-wide
        method_id = max(by_method, key=lambda m: (by_method[m], m))
        total = by_method[method_id] // 1000
        goal(
            f"Ammattilaisia koulutettu: {short.get(method_id or '', '')}",
            max(1, total * 4 // 5),
            TRAINED,
            "higher",
            None,
            method_id,
            since=start,
        )
    started = out.kept[STARTED]
    pairs = sorted({(u, m) for u, m, f in started if f.month == out.last})
    year_start = dt.date(out.last.year, 1, 1)
    if pairs:  # behind: one unit's treatments this year
        unit_id, method_id = rng.choice(pairs)
        so_far = _value(Rule(Measure.COUNT, True), started, year_start, unit=unit_id, method=method_id) or 0
        unit = demo.unit_by_id[unit_id]["name"]
        goal(
            f"Aloitetut hoidot: {short.get(method_id or '', '')} – {unit}",
            so_far * 1.6 + 5,
            STARTED,
            "higher",
            unit_id,
            method_id,
            since=year_start,
        )
    medians = out.kept[MEDIAN]
    latest = sorted({(u, m) for u, m, f in medians if f.month == out.last})
    if latest:  # lower is better: seed 004's 13 days, in a unit whose method is embedded or in use
        unit_id, method_id = rng.choice(latest)
        unit = demo.unit_by_id[unit_id]["name"]
        goal(f"Hoito alkaa 13 vuorokaudessa: {short.get(method_id or '', '')} – {unit}", 13, MEDIAN, "lower", unit_id, method_id)
    waiting = sorted({u for u, _m, f in out.kept[WAITING] if f.month == out.last})
    if waiting:  # lower is better: a unit's waiting list at a year's end
        unit_id = rng.choice(waiting)
        now = _value(Rule(Measure.COUNT, False), out.kept[WAITING], unit=unit_id) or 20
        goal(f"Jono lyhenee – {demo.unit_by_id[unit_id]['name']}", max(1, now * 0.7), WAITING, "lower", unit_id)
    shares = out.kept[SHARE]
    share_methods = sorted({m for _u, m, f in shares if f.month == out.last and m})
    if share_methods:  # higher: the therapy guarantee's 28 days, pooled over a method's units
        method_id = rng.choice(share_methods)
        goal(
            f"Hoito alkaa 28 vuorokaudessa: {short.get(method_id or '', '')}",
            80,
            SHARE,
            "higher",
            None,
            method_id,
            days=WITHIN_DAYS,
        )
