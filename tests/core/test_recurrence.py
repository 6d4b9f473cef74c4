"""Dates of a recurring series: every N weeks until a date, or N times, capped."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.recurrence import MAX_OCCURRENCES, RecurrenceError, weekly_dates

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_every_three_weeks_for_a_year():
    dates = weekly_dates(dt.date(2026, 1, 12), 3, until=dt.date(2026, 12, 31))
    assert dates[0] == dt.date(2026, 1, 12)
    assert dates[1] == dt.date(2026, 2, 2)
    assert dates[-1] == dt.date(2026, 12, 14)
    assert len(dates) == 17
    assert all(d.weekday() == 0 for d in dates)  # a Monday group stays on Mondays
    assert all((b - a).days == 21 for a, b in zip(dates, dates[1:]))


def test_until_is_inclusive_and_the_first_date_always_counts():
    assert weekly_dates(dt.date(2026, 3, 2), 1, until=dt.date(2026, 3, 16)) == [
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
    ]
    assert weekly_dates(dt.date(2026, 3, 2), 4, until=dt.date(2026, 3, 2)) == [dt.date(2026, 3, 2)]


def test_count_gives_exactly_that_many():
    dates = weekly_dates(dt.date(2026, 10, 20), 2, count=4)
    assert dates == [dt.date(2026, 10, 20), dt.date(2026, 11, 3), dt.date(2026, 11, 17), dt.date(2026, 12, 1)]


def test_wall_time_survives_the_dst_changes():
    """Dates only: 9.00 on each date is 9.00 Helsinki time, whether EET or EEST."""
    dates = weekly_dates(dt.date(2026, 1, 12), 3, until=dt.date(2026, 12, 31))
    starts = [dt.datetime.combine(d, dt.time(9, 0), tzinfo=HELSINKI) for d in dates]
    offsets = {s.utcoffset() for s in starts}
    assert offsets == {dt.timedelta(hours=2), dt.timedelta(hours=3)}  # the series crosses both changes
    assert {s.astimezone(HELSINKI).time() for s in starts} == {dt.time(9, 0)}
    utc_hours = {s.astimezone(dt.UTC).hour for s in starts}
    assert utc_hours == {6, 7}  # so the UTC instant moves, as it must


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"every_weeks": 3, "until": dt.date(2026, 1, 1)}, RecurrenceError.UNTIL_BEFORE_START),
        ({"every_weeks": 0, "count": 3}, RecurrenceError.BAD_INTERVAL),
        ({"every_weeks": 53, "count": 3}, RecurrenceError.BAD_INTERVAL),
        ({"every_weeks": 1, "count": 0}, RecurrenceError.BAD_COUNT),
        ({"every_weeks": 1}, RecurrenceError.NO_END),
        ({"every_weeks": 1, "count": 2, "until": dt.date(2026, 5, 1)}, RecurrenceError.BOTH_ENDS),
    ],
)
def test_refuses_what_makes_no_series(kwargs, reason):
    with pytest.raises(RecurrenceError) as info:
        weekly_dates(dt.date(2026, 2, 1), **kwargs)
    assert info.value.reason == reason


def test_cap_refuses_rather_than_shortening():
    assert len(weekly_dates(dt.date(2026, 1, 1), 1, count=MAX_OCCURRENCES)) == MAX_OCCURRENCES
    with pytest.raises(RecurrenceError) as info:
        weekly_dates(dt.date(2026, 1, 1), 1, until=dt.date(2062, 1, 1))  # a typo for 2026
    assert info.value.reason == RecurrenceError.TOO_MANY
    assert info.value.occurrences == (dt.date(2062, 1, 1) - dt.date(2026, 1, 1)).days // 7 + 1  # 1879
    with pytest.raises(RecurrenceError):
        weekly_dates(dt.date(2026, 1, 1), 1, count=MAX_OCCURRENCES + 1)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
    st.integers(1, 52),
    st.integers(0, 3000),
)
def test_until_series_properties(first, weeks, span):
    until = first + dt.timedelta(days=span)
    try:
        dates = weekly_dates(first, weeks, until=until)
    except RecurrenceError as exc:
        assert exc.reason == RecurrenceError.TOO_MANY and exc.occurrences > MAX_OCCURRENCES
        return
    assert dates[0] == first and dates[-1] <= until
    assert dates[-1] + dt.timedelta(weeks=weeks) > until  # nothing left out at the end
    assert len(set(d.weekday() for d in dates)) == 1
    assert 1 <= len(dates) <= MAX_OCCURRENCES
