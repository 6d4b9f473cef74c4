"""How far a goal has got, right for both directions, and how monthly figures roll up. Pure: no
Flask, no database; the goals pages, the dashboard, the reports and the charts all ask here.

Direction (app/core/indicators.Direction):
- higher is better: achieved when value >= target; progress = value / target;
- lower is better: achieved when value <= target; progress = target / value, so 20 days against a
  13-day target is 65 % and not achieved, 10 days is 130 % and achieved, and 0 is achieved.
Progress is a whole percentage rounded half up and may pass 100 %.

Aggregation (design decisions; the pages say them where the figure is shown):
- A month without a figure is *not reported*, never zero: it adds nothing to a sum, it is a gap
  in a line, and a non-additive indicator's current value is its latest *reported* month.
- Additive indicators (counts of things that happened in the month: professionals trained,
  treatments started) sum over months, from the goal's first counted month to the latest
  reported one, and over every unit (× method) that reported.
- Non-additive indicators are never summed over months: the current value is the latest
  reported month's. Within that month, across the units (× methods) that reported it:
  - a share (percent) is pooled, weighted by its base n, only when every part gives n;
    otherwise the shares are not combined (no value);
  - a median or other time (days) is never combined: the median of medians is no median;
  - a stock counted at the month's end (a waiting list) adds up across units of one month.
- One part reports one figure a month: given two, the later one counts (the caller passes
  figures oldest first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from app.core.indicators import Direction, Measure

MILLI = 1000  # figures are integer thousandths (app.models.indicators.MILLI)
THOUSANDTH = Decimal("0.001")


# -- progress ----------------------------------------------------------------------------------


class Progress(NamedTuple):
    """How far a value is toward its target: whole percent, and whether it is reached."""

    percent: int | None  # whole %, half up; None: no value, or a lower-is-better value of 0 (no ratio)
    achieved: bool | None  # None: no value to judge

    @property
    def bar(self) -> int:
        """What a <progress max=100> shows: 0..100 (full once achieved)."""
        if self.achieved:
            return 100
        return max(0, min(100, self.percent or 0))


def _half_up(ratio: Fraction) -> int:
    """A non-negative ratio as a whole percentage, half up, in integers: no float surprises."""
    return int((ratio * 200 + 1) // 2)


def progress(value: Decimal | int | None, target: Decimal | int, direction: Direction | str) -> Progress:
    """How far `value` is towards `target` for a goal whose better values are `direction`."""
    if value is None:
        return Progress(None, None)
    v, t = Fraction(value), Fraction(target)
    if Direction(direction) is Direction.LOWER:
        achieved = v <= t
        percent = _half_up(t / v) if v > 0 and t >= 0 else None  # 0 days waited: achieved, no ratio
        return Progress(percent, achieved)
    return Progress(_half_up(v / t) if t > 0 and v >= 0 else None, v >= t)


# -- figures and how they roll up ------------------------------------------------------------------


class Figure(NamedTuple):
    """One reported monthly figure."""

    part: str  # who reported it: a unit, or a unit × method (any key unique per part)
    month: dt.date  # the month's first day
    value_milli: int
    n: int | None = None  # the base a share or median is of


class Rule(NamedTuple):
    """What decides how an indicator's figures combine."""

    measure: Measure
    additive: bool

    @classmethod
    def of(cls, measure: Measure | str, additive: bool) -> Rule:
        return cls(Measure(measure), additive)


class Why(StrEnum):
    """Why there is no current value."""

    NOT_REPORTED = "not_reported"  # no figure in the months counted
    MEDIANS = "medians"  # several parts' medians (days) in the month: never combined
    NO_BASE = "no_base"  # several parts' shares, not every one with its n: not pooled


class Current(NamedTuple):
    """A goal's current value from its monthly figures, what it covers, or why there is none."""

    value: Decimal | None  # to the thousandth; None: see why
    month: dt.date | None  # the latest reported month counted
    first: dt.date | None = None  # the first reported month counted (additive: the sum's start)
    months: int = 0  # reported months counted (additive: how many the sum covers)
    parts: int = 0  # units (× methods) whose figures are in it
    n: int | None = None  # the pooled base (shares), or the one part's n
    why: Why | None = None


NOT_REPORTED = Current(None, None, why=Why.NOT_REPORTED)


def to_value(value_milli: int) -> Decimal:
    return Decimal(value_milli) / MILLI


def _quantize(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def one_per_part_month(figures: Iterable[Figure]) -> list[Figure]:
    """The figure each part reported for each month (the last one given, if two)."""
    latest: dict[tuple[str, dt.date], Figure] = {}
    for figure in figures:
        latest[(figure.part, figure.month)] = figure
    return list(latest.values())


def combine_month(rule: Rule, figures: Sequence[Figure]) -> tuple[Decimal | None, int | None, Why | None]:
    """(value, n, why-not) of one month's figures of several parts, by the rule above."""
    if not figures:
        return None, None, Why.NOT_REPORTED
    if len(figures) == 1:
        only = figures[0]
        return to_value(only.value_milli), only.n, None
    if rule.additive or rule.measure is Measure.COUNT:
        total = sum(f.value_milli for f in figures)
        ns = [f.n for f in figures]
        n = sum(x for x in ns if x is not None) if all(x is not None for x in ns) else None
        return to_value(total), n, None
    if rule.measure is Measure.PERCENT:
        bases = [f.n for f in figures]
        if any(b is None for b in bases) or sum(b or 0 for b in bases) == 0:
            return None, None, Why.NO_BASE
        base = sum(b or 0 for b in bases)
        pooled = Fraction(sum(f.value_milli * (f.n or 0) for f in figures), base * MILLI)
        return _quantize(pooled), base, None
    return None, None, Why.MEDIANS  # days: a median of medians is no median


def current(rule: Rule, figures: Iterable[Figure], counted_from: dt.date | None = None) -> Current:
    """The current value of the figures given (already narrowed to the goal's unit, method and days).

    counted_from: additive indicators sum the months from this one (its first day or any day in
    it); non-additive ones ignore it (the latest reported month is the value, whenever it is)."""
    kept = one_per_part_month(figures)
    if rule.additive:
        start = counted_from.replace(day=1) if counted_from else None
        kept = [f for f in kept if start is None or f.month >= start]
        if not kept:
            return NOT_REPORTED
        months = {f.month for f in kept}
        return Current(
            to_value(sum(f.value_milli for f in kept)),
            max(months),
            first=min(months),
            months=len(months),
            parts=len({f.part for f in kept}),
        )
    if not kept:
        return NOT_REPORTED
    latest = max(f.month for f in kept)
    month = [f for f in kept if f.month == latest]
    value, n, why = combine_month(rule, month)
    return Current(value, latest, first=latest, months=1, parts=len(month), n=n, why=why)


def series(
    rule: Rule, figures: Iterable[Figure], months: Sequence[dt.date], counted_from: dt.date | None = None
) -> list[Decimal | None]:
    """One value per month of `months` (first days) for a chart: an additive indicator's running
    sum from counted_from, a non-additive one's month combined. None where the month was not
    reported (or cannot be combined): a gap in the line, never a zero."""
    by_month: dict[dt.date, list[Figure]] = {}
    for f in one_per_part_month(figures):
        by_month.setdefault(f.month, []).append(f)
    start = counted_from.replace(day=1) if counted_from else None
    out: list[Decimal | None] = []
    running = 0
    for month in months:
        reported = by_month.get(month, [])
        if rule.additive:
            if start is not None and month < start:
                out.append(None)
                continue
            running += sum(f.value_milli for f in reported)
            out.append(to_value(running) if reported else None)
        else:
            out.append(combine_month(rule, reported)[0])
    return out
