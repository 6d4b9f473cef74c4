"""Report periods: months, quarters and years with both ends included; custom ranges refused
when they end before they start or run too long."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import periods

D = dt.date


def test_month_quarter_and_year_boundaries():
    assert periods.month(2028, 2) == periods.Period(D(2028, 2, 1), D(2028, 2, 29), "month")  # leap year
    assert periods.month(2026, 12).end == D(2026, 12, 31)
    assert periods.quarter(2026, 1) == periods.Period(D(2026, 1, 1), D(2026, 3, 31), "quarter")
    assert periods.quarter(2026, 4) == periods.Period(D(2026, 10, 1), D(2026, 12, 31), "quarter")
    assert periods.year(2026) == periods.Period(D(2026, 1, 1), D(2026, 12, 31), "year")
    assert periods.year(2026).days == 365 and periods.year(2028).days == 366


def test_months_the_period_touches():
    assert periods.custom(D(2026, 11, 15), D(2027, 2, 1)).months() == [
        D(2026, 11, 1),
        D(2026, 12, 1),
        D(2027, 1, 1),
        D(2027, 2, 1),
    ]
    assert periods.year(2026).months()[-1] == D(2026, 12, 1) and len(periods.year(2026).months()) == 12
    assert periods.custom(D(2026, 5, 5), D(2026, 5, 5)).months() == [D(2026, 5, 1)]


def test_custom_ranges_are_checked():
    with pytest.raises(periods.PeriodError) as exc:
        periods.custom(D(2026, 5, 2), D(2026, 5, 1))
    assert exc.value.code == periods.PeriodError.END_BEFORE_START
    with pytest.raises(periods.PeriodError) as exc:
        periods.custom(D(2020, 1, 1), D(2025, 1, 1))  # 61 months
    assert exc.value.code == periods.PeriodError.TOO_LONG
    assert len(periods.custom(D(2020, 1, 1), D(2024, 12, 31)).months()) == periods.MAX_MONTHS
    for bad in (
        lambda: periods.year(1999),
        lambda: periods.month(2026, 13),
        lambda: periods.quarter(2026, 5),
        lambda: periods.custom(D(1999, 12, 31), D(2000, 1, 1)),
    ):
        with pytest.raises(periods.PeriodError) as exc:
            bad()
        assert exc.value.code == periods.PeriodError.OUT_OF_RANGE


def test_dates_that_make_a_month_quarter_or_year_are_named_so():
    assert periods.named(D(2026, 4, 1), D(2026, 6, 30)).kind == "quarter"
    assert periods.named(D(2026, 1, 1), D(2026, 12, 31)).kind == "year"
    assert periods.named(D(2026, 2, 1), D(2026, 2, 28)).kind == "month"
    assert periods.named(D(2026, 2, 1), D(2026, 3, 31)).kind == "custom"
    assert periods.named(D(2026, 2, 2), D(2026, 2, 28)).kind == "custom"


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)), st.sampled_from(["month", "quarter", "year"]))
def test_the_period_containing_a_day_contains_it(day, kind):
    period = periods.containing(kind, day)
    assert day in period and period.kind == kind
    assert period.start.day == 1 and (period.end + dt.timedelta(days=1)).day == 1
    assert periods.named(period.start, period.end) == period
