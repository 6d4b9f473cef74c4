"""Progress in both directions and how monthly figures roll up (app.core.indicator_progress)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.indicator_progress import (
    Figure,
    Rule,
    Why,
    combine_month,
    current,
    progress,
    series,
)
from app.core.indicators import Direction, Measure

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))
COUNTS = Rule(Measure.COUNT, additive=True)  # professionals trained
MEDIAN = Rule(Measure.DAYS, additive=False)  # median days to start
SHARE = Rule(Measure.PERCENT, additive=False)  # share started within N days
STOCK = Rule(Measure.COUNT, additive=False)  # waiting list at the month's end


def fig(part: str, month: dt.date, value: float, n: int | None = None) -> Figure:
    return Figure(part, month, round(value * 1000), n)


# -- direction ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "direction", "percent", "achieved"),
    [
        (20, 13, Direction.LOWER, 65, False),  # seed 004: 20 days against 13 is not 154 %
        (10, 13, Direction.LOWER, 130, True),
        (13, 13, Direction.LOWER, 100, True),
        (0, 13, Direction.LOWER, None, True),  # nobody waited at all: achieved, no ratio to show
        (20, 13, Direction.HIGHER, 154, True),
        (10, 13, Direction.HIGHER, 77, False),
        (0, 13, Direction.HIGHER, 0, False),
        (Decimal("12.5"), 13, Direction.LOWER, 104, True),
    ],
)
def test_progress_follows_the_direction(value, target, direction, percent, achieved):
    result = progress(value, target, direction)
    assert (result.percent, result.achieved) == (percent, achieved)


def test_no_value_is_no_progress_rather_than_zero():
    assert progress(None, 13, "lower").achieved is None
    assert progress(None, 13, "higher").percent is None


def test_the_bar_is_full_once_achieved_and_never_past_it():
    assert progress(0, 13, "lower").bar == 100
    assert progress(10, 13, "lower").bar == 100
    assert progress(20, 13, "lower").bar == 65
    assert progress(30, 10, "higher").bar == 100


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_higher_is_achieved_exactly_at_or_above_the_target(value, target):
    result = progress(value, target, Direction.HIGHER)
    assert result.achieved == (value >= target)
    if result.achieved:
        assert result.percent >= 100  # never "achieved" beside a bar short of full


@given(st.integers(1, 10_000), st.integers(1, 10_000), st.integers(1, 10_000))
def test_lower_is_achieved_at_or_below_and_more_days_never_show_more_progress(value, more, target):
    fewer, longer = progress(value, target, Direction.LOWER), progress(value + more, target, Direction.LOWER)
    assert fewer.achieved == (value <= target)
    assert longer.percent <= fewer.percent
    assert longer.achieved is False or fewer.achieved is True


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_higher_progress_is_the_rounded_ratio(value, target):
    expected = Decimal(value * 100) / Decimal(target)
    assert abs(progress(value, target, "higher").percent - expected) <= Decimal("0.5")


# -- aggregation -------------------------------------------------------------------------------


def test_counts_add_up_over_months_and_units_from_the_first_counted_month():
    figures = [fig("a", JAN, 3), fig("a", FEB, 2), fig("b", FEB, 4), fig("b", MAR, 1)]
    got = current(COUNTS, figures, counted_from=dt.date(2026, 2, 17))
    assert got.value == 7  # February's 2 + 4 and March's 1; January is before the goal
    assert (got.first, got.month, got.months, got.parts) == (FEB, MAR, 2, 2)


def test_a_median_is_never_summed_over_months_its_latest_reported_month_is_the_value():
    figures = [fig("a", JAN, 30), fig("a", FEB, 24), fig("a", MAR, 18)]
    got = current(MEDIAN, figures)
    assert (got.value, got.month) == (18, MAR)


def test_medians_of_several_units_are_never_combined():
    got = current(MEDIAN, [fig("a", MAR, 18, 40), fig("b", MAR, 10, 60)])
    assert got.value is None and got.why is Why.MEDIANS and got.parts == 2


def test_shares_are_pooled_by_their_base():
    # 50 % of 20 and 80 % of 80: 10 + 64 = 74 of 100 clients.
    got = current(SHARE, [fig("a", MAR, 50, 20), fig("b", MAR, 80, 80)])
    assert (got.value, got.n) == (74, 100)


def test_shares_without_a_base_for_every_unit_are_not_combined():
    got = current(SHARE, [fig("a", MAR, 50, 20), fig("b", MAR, 80)])
    assert got.value is None and got.why is Why.NO_BASE


def test_a_waiting_list_adds_up_across_units_of_one_month_but_never_over_months():
    figures = [fig("a", FEB, 40), fig("b", FEB, 10), fig("a", MAR, 30), fig("b", MAR, 12)]
    assert current(STOCK, figures).value == 42


def test_a_month_with_no_figure_is_not_reported_rather_than_zero():
    figures = [fig("a", JAN, 30), fig("a", MAR, 18)]
    assert current(MEDIAN, figures).value == 18  # February's silence did not make it 0
    assert series(MEDIAN, figures, [JAN, FEB, MAR]) == [30, None, 18]
    assert series(COUNTS, [fig("a", JAN, 2), fig("a", MAR, 3)], [JAN, FEB, MAR, APR]) == [2, None, 5, None]
    assert current(COUNTS, [], counted_from=JAN).why is Why.NOT_REPORTED
    assert current(COUNTS, [fig("a", JAN, 2)], counted_from=FEB).value is None


def test_a_part_reporting_a_month_twice_counts_once_the_later_figure():
    assert current(COUNTS, [fig("a", JAN, 2), fig("a", JAN, 5)]).value == 5


def test_the_running_sum_starts_at_the_counted_month():
    figures = [fig("a", JAN, 1), fig("a", FEB, 2), fig("a", MAR, 3)]
    assert series(COUNTS, figures, [JAN, FEB, MAR], counted_from=FEB) == [None, 2, 5]


def test_decimal_figures_stay_exact():
    got = current(Rule(Measure.DAYS, additive=True), [fig("a", JAN, 0.1), fig("a", FEB, 0.2)])
    assert got.value == Decimal("0.3")


# -- properties --------------------------------------------------------------------------------

parts = st.sampled_from(["a", "b", "c"])
months = st.sampled_from([JAN, FEB, MAR, APR])
counts = st.lists(st.builds(Figure, parts, months, st.integers(0, 500_000)), max_size=20)


@given(counts)
def test_a_sum_of_counts_does_not_depend_on_order_or_on_which_unit_reported(figures):
    unique = list({(f.part, f.month): f for f in figures}.values())
    got = current(COUNTS, unique)
    if unique:
        assert got.value * 1000 == sum(f.value_milli for f in unique)
        assert current(COUNTS, list(reversed(unique))).value == got.value
    else:
        assert got.value is None


shares = st.lists(
    st.builds(Figure, st.sampled_from(["a", "b", "c", "d"]), st.just(MAR), st.integers(0, 100_000), st.integers(1, 500)),
    min_size=1,
    max_size=4,
    unique_by=lambda f: f.part,
)


@given(shares)
def test_a_pooled_share_lies_between_the_units_shares(figures):
    value, n, why = combine_month(SHARE, figures)
    assert why is None and n == sum(f.n for f in figures)
    assert min(f.value_milli for f in figures) <= value * 1000 <= max(f.value_milli for f in figures)


@given(st.lists(st.builds(Figure, parts, months, st.integers(0, 100_000), st.integers(1, 99)), min_size=1, max_size=12))
def test_a_median_indicators_value_is_always_one_reported_figure_or_none(figures):
    got = current(MEDIAN, figures)
    latest = [f for f in {(f.part, f.month): f for f in figures}.values() if f.month == got.month]
    if len(latest) == 1:
        assert got.value * 1000 == latest[0].value_milli
    else:
        assert got.value is None and got.why is Why.MEDIANS
