"""app.core.holidays: Finland's public holidays, for the demo's calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.holidays import easter, holidays, is_working_day

D = dt.date


@pytest.mark.parametrize(
    ("year", "sunday"), [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2038, D(2038, 4, 25))]
)
def test_easter(year, sunday):
    assert easter(year) == sunday


def test_the_holidays_of_2026():
    assert holidays(2026) == {
        D(2026, 1, 1), D(2026, 1, 6),  # New Year, Epiphany
        D(2026, 4, 3), D(2026, 4, 5), D(2026, 4, 6),  # Good Friday, Easter
        D(2026, 5, 1), D(2026, 5, 14), D(2026, 5, 24),  # May Day, Ascension, Whitsun
        D(2026, 6, 19), D(2026, 6, 20),  # Midsummer Eve and Day
        D(2026, 10, 31),  # All Saints' Day: the Saturday from 31.10.
        D(2026, 12, 6), D(2026, 12, 24), D(2026, 12, 25), D(2026, 12, 26),
    }  # fmt: skip


def test_working_days():
    assert is_working_day(D(2026, 12, 23))  # a Wednesday
    assert not is_working_day(D(2026, 12, 25))  # Christmas Day, a Friday
    assert not is_working_day(D(2026, 12, 5))  # a Saturday
    assert not is_working_day(D(2027, 11, 6))  # All Saints' Day 2027, a Saturday anyway
    assert not is_working_day(D(2027, 5, 6))  # Ascension Day 2027, a Thursday
