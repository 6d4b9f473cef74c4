"""Finland's public holidays and the days off around them: when nobody holds a workshop.

The statutory holidays (New Year's Day, Epiphany, Good Friday, Easter, May Day, Ascension
Day, Whitsun, Midsummer, All Saints' Day, Independence Day, Christmas) plus Christmas Eve
and Midsummer Eve, which are days off in practice everywhere.
"""

from __future__ import annotations

import datetime as dt
from functools import cache


def easter(year: int) -> dt.date:
    """Easter Sunday (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _saturday_from(day: dt.date) -> dt.date:
    """The first Saturday on or after `day` (Midsummer Day, All Saints' Day)."""
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


@cache
def holidays(year: int) -> frozenset[dt.date]:
    sunday = easter(year)
    midsummer = _saturday_from(dt.date(year, 6, 20))
    days = {
        dt.date(year, 1, 1),  # New Year's Day
        dt.date(year, 1, 6),  # Epiphany
        sunday - dt.timedelta(days=2),  # Good Friday
        sunday,
        sunday + dt.timedelta(days=1),  # Easter Monday
        dt.date(year, 5, 1),  # May Day
        sunday + dt.timedelta(days=39),  # Ascension Day
        sunday + dt.timedelta(days=49),  # Whitsun
        midsummer - dt.timedelta(days=1),  # Midsummer Eve
        midsummer,
        _saturday_from(dt.date(year, 10, 31)),  # All Saints' Day
        dt.date(year, 12, 6),  # Independence Day
        dt.date(year, 12, 24),  # Christmas Eve
        dt.date(year, 12, 25),
        dt.date(year, 12, 26),  # St Stephen's Day
    }
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a holiday."""
    return day.weekday() < 5 and day not in holidays(day.year)
