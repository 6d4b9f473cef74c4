"""Report periods: a month, a quarter, a year, or a custom range of days.

Pure rules (no Flask, no database). Both ends of a period are included: the year 2026
is 1.1.2026-31.12.2026, and a one-day custom period has start == end. The reports page,
the PDF documents and the command line all build their periods here, so "Q2 2026"
means the same days everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KINDS = ("month", "quarter", "year", "custom")
MIN_YEAR = 2000
MAX_YEAR = 2100
# A custom period longer than this would make a chart of hundreds of month bars: five
# years covers any programme period a coordinator reports on.
MAX_MONTHS = 60


class PeriodError(ValueError):
    """A period that cannot be: `code` says why (the caller words it for its user)."""

    END_BEFORE_START = "end_before_start"
    TOO_LONG = "too_long"
    OUT_OF_RANGE = "out_of_range"

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included
    kind: str = "custom"

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[dt.date]:
        """The first day of every calendar month the period touches, in order."""
        out = []
        month = self.start.replace(day=1)
        while month <= self.end:
            out.append(month)
            month = next_month(month)
        return out

    @property
    def within_one_year(self) -> bool:
        return self.start.year == self.end.year


def next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_end(first: dt.date) -> dt.date:
    return next_month(first.replace(day=1)) - dt.timedelta(days=1)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(PeriodError.OUT_OF_RANGE)


def month(year: int, number: int) -> Period:
    _check_year(year)
    if not 1 <= number <= 12:
        raise PeriodError(PeriodError.OUT_OF_RANGE)
    first = dt.date(year, number, 1)
    return Period(first, month_end(first), "month")


def quarter(year: int, number: int) -> Period:
    _check_year(year)
    if not 1 <= number <= 4:
        raise PeriodError(PeriodError.OUT_OF_RANGE)
    first = dt.date(year, 3 * number - 2, 1)
    return Period(first, month_end(dt.date(year, 3 * number, 1)), "quarter")


def year(number: int) -> Period:
    _check_year(number)
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31), "year")


def custom(start: dt.date, end: dt.date) -> Period:
    """start..end, both included; refused when the end is before the start or it is too long."""
    _check_year(start.year)
    _check_year(end.year)
    if end < start:
        raise PeriodError(PeriodError.END_BEFORE_START)
    period = Period(start, end, "custom")
    if len(period.months()) > MAX_MONTHS:
        raise PeriodError(PeriodError.TOO_LONG)
    return period


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def containing(kind: str, day: dt.date) -> Period:
    """The month, quarter or year `day` falls in (a custom kind gives the one day)."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, quarter_of(day))
    if kind == "year":
        return year(day.year)
    return custom(day, day)


def named(start: dt.date, end: dt.date) -> Period:
    """custom(start, end), but called what it is when the dates make exactly a month,
    a quarter or a year (1.4.-30.6.2026 is "Q2 2026" in the document's title)."""
    period = custom(start, end)
    if start.day == 1 and end == month_end(end):
        if start.month == 1 and end.month == 12 and start.year == end.year:
            return year(start.year)
        if start.year == end.year and start.month == end.month:
            return month(start.year, start.month)
        if start.year == end.year and start.month % 3 == 1 and end.month == start.month + 2:
            return quarter(start.year, quarter_of(start))
    return period
