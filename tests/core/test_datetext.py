"""app.core.datetext: dates and times read as a person in Finland types them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import datetext
from app.i18n import format_date, format_time


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("5.3.2026", dt.date(2026, 3, 5)),
        ("05.03.2026", dt.date(2026, 3, 5)),
        (" 5. 3. 2026 ", dt.date(2026, 3, 5)),
        ("5.3.2026.", dt.date(2026, 3, 5)),
        ("5.3.26", dt.date(2026, 3, 5)),
        ("2026-03-05", dt.date(2026, 3, 5)),  # ISO: links and older forms
        ("29.2.2028", dt.date(2028, 2, 29)),
    ],
)
def test_dates_are_read_day_first(typed, day):
    assert datetext.parse_date(typed) == day


@pytest.mark.parametrize("typed", ["31.2.2026", "29.2.2026", "0.1.2026", "1.13.2026", "2026-02-30"])
def test_a_day_that_does_not_exist_is_told_apart(typed):
    with pytest.raises(datetext.NoSuchDate):
        datetext.parse_date(typed)


@pytest.mark.parametrize("typed", ["3/5/2026", "5.3.", "maaliskuu", "5.3.2026 9.30", "20260305", ""])
def test_text_that_is_not_a_date(typed):
    with pytest.raises(datetext.NotADate):
        datetext.parse_date(typed)


@pytest.mark.parametrize(
    ("typed", "time"),
    [
        ("9.30", dt.time(9, 30)),
        ("9:30", dt.time(9, 30)),
        ("09.30", dt.time(9, 30)),
        ("21.15", dt.time(21, 15)),  # 24-hour: a quarter past nine in the evening
        ("9", dt.time(9, 0)),
        ("0930", dt.time(9, 30)),
        ("0.00", dt.time(0, 0)),
    ],
)
def test_times_are_read_on_the_24_hour_clock(typed, time):
    assert datetext.parse_time(typed) == time


@pytest.mark.parametrize("typed", ["24.00", "9.75"])
def test_a_time_of_no_day_is_told_apart(typed):
    with pytest.raises(datetext.NoSuchTime):
        datetext.parse_time(typed)


@pytest.mark.parametrize("typed", ["9.30 PM", "9.3", "puoli kymmenen", ""])
def test_text_that_is_not_a_time(typed):
    with pytest.raises(datetext.NotATime):
        datetext.parse_time(typed)


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_every_date_shown_reads_back_as_itself(day):
    assert datetext.parse_date(format_date(day)) == day
    assert datetext.parse_date(day.isoformat()) == day


@given(st.times(), st.sampled_from(["fi", "sv", "en"]))
def test_every_time_shown_reads_back_as_itself(time, lang):
    assert datetext.parse_time(format_time(time, lang)) == time.replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    "typed", ["3/2026", "03/2026", "3.2026", "03.2026", "3.2026.", " 3 / 2026 ", "3-2026", "2026-03", "2026-3"]
)
def test_months_are_read_as_typed_in_finland(typed):
    month = datetext.parse_month(typed)
    assert month == dt.date(2026, 3, 1)
    assert datetext.month_text(month) == "3/2026"  # and shown the same way, whatever was typed


def test_a_month_that_does_not_exist_or_is_not_a_month():
    for typed in ("13/2026", "0.2026", "2026-13"):
        with pytest.raises(datetext.NoSuchDate):
            datetext.parse_month(typed)
    for typed in ("maaliskuu", "5.3.2026", "3/26", "2026", "", "2026/03"):
        with pytest.raises(datetext.NotADate):
            datetext.parse_month(typed)
