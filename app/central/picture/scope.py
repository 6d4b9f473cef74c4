"""What the office looks at: a span of months, the level its rows break down by, a part of the
country (area, county or one coordinator), a method, and the grain of its trends.

    scope = Scope.parse(request.args, today)    # never raises: a bad value falls back
    scope.periods()                             # the span cut by the grain, oldest first
    scope.where(table)                          # SQL conditions: the part of the country chosen

Periods are keyed (year, sub): sub is the month (1-12), the quarter (1-4) or 0 for a year.
`period_columns` gives the same key from a date column in SQL, written without bound
parameters so the expression in GROUP BY is identical to the one in SELECT on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, literal_column, true

from app.core.geography import AREA_BY_KEY, COUNTIES, COUNTY_BY_KEY
from app.core.periods import month_end, next_month

LEVELS = ("country", "area", "county", "coordinator", "method")  # what a table's rows are
GRAINS = ("month", "quarter", "year")
DEFAULT_MONTHS = 12
MAX_MONTHS = 120  # ten years of months: a span longer than any programme
PeriodKey = tuple[int, int]  # (year, month | quarter | 0)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    sub: int  # the month, the quarter, or 0 for a year
    grain: str

    @property
    def key(self) -> PeriodKey:
        return self.year, self.sub

    @property
    def start(self) -> dt.date:
        if self.grain == "month":
            return dt.date(self.year, self.sub, 1)
        if self.grain == "quarter":
            return dt.date(self.year, 3 * self.sub - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.grain == "month":
            return month_end(self.start)
        if self.grain == "quarter":
            return month_end(dt.date(self.year, 3 * self.sub, 1))
        return dt.date(self.year, 12, 31)

    @property
    def code(self) -> str:
        """In files and URLs: 2026-03, 2026-Q1, 2026."""
        if self.grain == "month":
            return f"{self.year}-{self.sub:02d}"
        if self.grain == "quarter":
            return f"{self.year}-Q{self.sub}"
        return str(self.year)

    def label(self) -> str:
        """On pages and charts: 3/2026, Q1/2026, 2026 (the same in every language)."""
        if self.grain == "month":
            return f"{self.sub}/{self.year}"
        if self.grain == "quarter":
            return f"Q{self.sub}/{self.year}"
        return str(self.year)


def period_of(day: dt.date, grain: str) -> Period:
    if grain == "month":
        return Period(day.year, day.month, grain)
    if grain == "quarter":
        return Period(day.year, (day.month + 2) // 3, grain)
    return Period(day.year, 0, grain)


def parse_period(code: str, grain: str) -> Period | None:
    """A period's code back (the rows page's link), or None when it is no period of `grain`."""
    try:
        if grain == "month" and len(code) == 7 and code[4] == "-":
            p = Period(int(code[:4]), int(code[5:]), grain)
            return p if 1 <= p.sub <= 12 else None
        if grain == "quarter" and len(code) == 7 and code[4:6] == "-Q":
            p = Period(int(code[:4]), int(code[6:]), grain)
            return p if 1 <= p.sub <= 4 else None
        if grain == "year" and len(code) == 4:
            return Period(int(code), 0, grain)
    except ValueError:
        return None
    return None


def parse_month(text: str | None) -> dt.date | None:
    """A month as typed in the filters (3/2026, 03.2026) or as links carry it (2026-03) -> its
    first day; anything else None (app.central.months)."""
    from app.central.months import read_month

    return read_month(text)


@dataclass(frozen=True)
class Scope:
    start: dt.date  # the first day of the span's first month
    end: dt.date  # the last day of its last month
    level: str = "county"
    area: str = ""
    county: str = ""
    coordinator: str = ""
    method: str = ""
    grain: str = "month"

    @classmethod
    def default(cls, today: dt.date, **kw: Any) -> Scope:
        """The twelve months up to this one."""
        first = today.replace(day=1)
        return cls(_months_before(first, DEFAULT_MONTHS - 1), month_end(first), **kw)

    @classmethod
    def parse(cls, args: Mapping[str, str], today: dt.date) -> Scope:
        """The scope from a query string; a missing or bad value takes its default."""
        scope = cls.default(today)
        start, end = parse_month(args.get("from")), parse_month(args.get("to"))
        if start and end and start <= end:
            scope = replace(scope, start=start, end=month_end(end))
        elif start and not end and start <= scope.end:
            scope = replace(scope, start=start)
        elif end and not start:
            last = month_end(end)
            scope = replace(scope, start=_months_before(end, DEFAULT_MONTHS - 1), end=last)
        if _months(scope.start, scope.end) > MAX_MONTHS:
            scope = replace(scope, start=_months_before(scope.end.replace(day=1), MAX_MONTHS - 1))
        level = args.get("level", "")
        grain = args.get("grain", "")
        area = args.get("area", "")
        county = args.get("county", "")
        if county in COUNTY_BY_KEY:
            area = COUNTY_BY_KEY[county].area  # a county lies in one area: the two never disagree
        return replace(
            scope,
            level=level if level in LEVELS else scope.level,
            grain=grain if grain in GRAINS else scope.grain,
            area=area if area in AREA_BY_KEY else "",
            county=county if county in COUNTY_BY_KEY else "",
            coordinator=_id(args.get("coordinator", "")),
            method=_id(args.get("method", "")),
        )

    # -- what it selects ----------------------------------------------------------------------

    @property
    def counties(self) -> tuple[str, ...] | None:
        """The counties chosen, or None for the whole country."""
        if self.county:
            return (self.county,)
        if self.area:
            return tuple(c.key for c in COUNTIES if c.area == self.area)
        return None

    def where(self, table: Any) -> ColumnElement[bool]:
        """The part of the country chosen, on any merged table (each row has county and coordinator_id)."""
        parts: list[ColumnElement[bool]] = []
        counties = self.counties
        if counties is not None:
            parts.append(table.c.county.in_(counties))
        if self.coordinator:
            parts.append(table.c.coordinator_id == self.coordinator)
        return and_(true(), *parts)

    def in_span(self, column: Any, end: dt.date | None = None) -> ColumnElement[bool]:
        return and_(column >= self.start, column <= (end or self.end))

    def day(self, today: dt.date) -> dt.date:
        """The day phases are counted on: the span's last day, or today when it has not ended."""
        return min(self.end, today)

    def periods(self) -> list[Period]:
        out: list[Period] = []
        month = self.start
        while month <= self.end:
            p = period_of(month, self.grain)
            if not out or out[-1] != p:
                out.append(p)
            month = next_month(month)
        return out

    def group_key(self, coordinator_id: str, county: str, method_id: str = "") -> str:
        """The key of the row a base figure adds to at this scope's level."""
        if self.level == "area":
            found = COUNTY_BY_KEY.get(county)
            return found.area if found else ""
        if self.level == "county":
            return county
        if self.level == "coordinator":
            return coordinator_id
        if self.level == "method":
            return method_id
        return ""

    def args(self, **changes: str) -> dict[str, str]:
        """The query string of this scope (with `changes`): every link keeps the filters."""
        values = {
            "from": f"{self.start.year}-{self.start.month:02d}",
            "to": f"{self.end.year}-{self.end.month:02d}",
            "level": self.level,
            "grain": self.grain,
            "area": self.area,
            "county": self.county,
            "coordinator": self.coordinator,
            "method": self.method,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v}


def _id(text: str) -> str:
    """A coordinator's or method's id as the files carry it (a UUID); anything else is no filter."""
    text = text.strip().lower()
    return text if len(text) == 36 and all(c in "0123456789abcdef-" for c in text) else ""


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _months_before(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def period_columns(column: Any, grain: str) -> tuple[list[Any], list[Any]]:
    """([year, sub], what to GROUP BY) of a date column in SQL. Integers as literal SQL, not
    parameters: PostgreSQL matches a GROUP BY expression to the SELECT's by its text, and two
    parameters differ. A year's constant sub is not grouped by (GROUP BY 0 names a column)."""
    year = extract("year", column)
    month = extract("month", column)
    if grain == "month":
        return [year, month], [year, month]
    if grain == "quarter":
        n = literal_column
        quarter = case((month <= n("3"), n("1")), (month <= n("6"), n("2")), (month <= n("9"), n("3")), else_=n("4"))
        return [year, quarter], [year, quarter]
    return [year, literal_column("0")], [year]
