"""What the phase history tells, rule by rule, from hand-made histories: app.core.phase_metrics."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import phase_metrics as pm
from app.core.phases import PHASES

TODAY = dt.date(2026, 12, 1)


def d(text: str) -> dt.date:
    """'15.1.2026' -> date."""
    day, month, year = map(int, text.split("."))
    return dt.date(year, month, day)


def h(*steps: str, key: str = "x") -> pm.History:
    """h('planned 1.1.2026', 'paused 1.3.2026 resources') -> a History."""
    changes = []
    for step in steps:
        phase, on, *reason = step.split()
        changes.append(pm.Change(phase, d(on), reason[0] if reason else ""))
    return pm.History(key, tuple(changes))


# -- days in each phase ---------------------------------------------------------------------


def test_days_run_to_the_next_phase_and_the_current_one_to_today():
    history = h("planned 1.1.2026", "training 1.2.2026", "pilot 1.4.2026")
    assert pm.days_in_phases(history, d("11.4.2026")) == {"planned": 31, "training": 59, "pilot": 10}


def test_a_phase_entered_again_after_a_pause_adds_both_stays():
    history = h("planned 1.1.2026", "in_use 11.1.2026", "paused 21.1.2026", "in_use 31.1.2026")
    assert pm.days_in_phases(history, d("10.2.2026")) == {"planned": 10, "in_use": 20, "paused": 10}


def test_same_day_moves_give_zero_days_and_keep_their_order():
    history = h("planned 1.3.2026", "training 1.3.2026", "pilot 1.3.2026")
    assert pm.days_in_phases(history, d("4.3.2026")) == {"planned": 0, "training": 0, "pilot": 3}
    assert pm.current(history, d("4.3.2026")).phase == "pilot"


def test_changes_after_today_are_not_counted_yet():
    history = h("planned 1.1.2026", "training 1.3.2026")
    assert pm.days_in_phases(history, d("1.2.2026")) == {"planned": 31}
    assert pm.phase_on(history, d("28.2.2026")) == "planned"
    assert pm.days_in_phases(history, d("31.12.2025")) == {}


@given(
    start=st.dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1)),
    steps=st.lists(st.tuples(st.sampled_from(PHASES), st.integers(0, 400)), min_size=1, max_size=12),
    after=st.integers(0, 800),
)
def test_days_in_phases_add_up_to_today_minus_the_first_day(start, steps, after):
    changes, day = [], start
    for phase, gap in steps:
        day += dt.timedelta(days=gap)
        changes.append(pm.Change(phase, day))
    today = start + dt.timedelta(days=after)
    days = pm.days_in_phases(pm.History("x", tuple(changes)), today)
    first = changes[0].on
    assert sum(days.values()) == max(0, (today - first).days)
    assert all(v >= 0 for v in days.values())
    assert bool(days) == (first <= today)


# -- planned to pilot and to in use ----------------------------------------------------------


def test_days_to_pilot_and_in_use_from_the_planned_start():
    history = h("planned 1.1.2026", "training 1.2.2026", "pilot 2.3.2026", "in_use 1.6.2026")
    assert pm.days_to(history, "pilot", TODAY) == 60
    assert pm.days_to(history, "in_use", TODAY) == 151


def test_skipping_the_pilot_reaches_pilot_on_the_day_it_went_into_use():
    history = h("planned 1.1.2026", "in_use 11.1.2026")
    assert pm.days_to(history, "pilot", TODAY) == 10
    assert pm.reached(history, "pilot", TODAY) == d("11.1.2026")


def test_no_planned_start_is_left_out_of_the_durations():
    history = h("in_use 1.1.2026", "embedded 1.6.2026")
    assert pm.days_to(history, "pilot", TODAY) is None
    assert pm.days_to(history, "in_use", TODAY) is None
    # ...but it is still a deployment, with its days in each phase.
    assert pm.summarise([history], TODAY).deployments == 1


def test_not_reached_yet_and_paused_or_ended_are_not_forward():
    history = h("planned 1.1.2026", "paused 1.2.2026", "ended 1.3.2026")
    assert pm.days_to(history, "pilot", TODAY) is None
    # Reached by a later day only.
    later = h("planned 1.1.2026", "pilot 1.12.2026")
    assert pm.days_to(later, "pilot", d("30.11.2026")) is None


def test_going_back_to_planned_counts_from_the_first_planned_day():
    history = h("planned 1.1.2026", "training 1.2.2026", "planned 1.3.2026", "pilot 1.4.2026")
    assert pm.days_to(history, "pilot", TODAY) == 90


def test_median_needs_three_and_gives_n():
    assert pm.median([10, 30]) == pm.Median(2, None)
    assert pm.median([]) == pm.Median(0, None)
    assert pm.median([30, 10, 20]) == pm.Median(3, 20.0)
    assert pm.median([10, 20, 30, 41]) == pm.Median(4, 25.0)
    assert pm.median([10, 20, 30, 40]).days == 25.0
    assert pm.median([1, 2, 3, 4]).days == 2.5  # the mean of the two middle ones


def test_median_days_to_pilot_over_deployments():
    histories = [
        h("planned 1.1.2026", "pilot 11.1.2026", key="a"),  # 10
        h("planned 1.1.2026", "pilot 21.1.2026", key="b"),  # 20
        h("planned 1.1.2026", "pilot 31.3.2026", key="c"),  # 89
        h("pilot 1.1.2026", key="d"),  # no planned start: out
        h("planned 1.1.2026", key="e"),  # not reached: out
    ]
    assert pm.median_days_to(histories, "pilot", TODAY) == pm.Median(3, 20.0)
    assert pm.median_days_to(histories, "in_use", TODAY) == pm.Median(0, None)


# -- stalled ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "today, expected",
    [("15.7.2026", False), ("16.7.2026", True)],  # entered 15.1.: six months is 15.7., longer from 16.7.
)
def test_stalled_after_longer_than_the_setting(today, expected):
    history = h("planned 1.1.2026", "training 15.1.2026")
    assert (pm.is_stalled(history, d(today), 6) is not None) == expected


def test_stalled_counts_calendar_months_to_a_short_month():
    history = h("planned 31.8.2026")
    assert pm.add_months(d("31.8.2026"), 6) == d("28.2.2027")
    assert pm.is_stalled(history, d("28.2.2027"), 6) is None
    assert pm.is_stalled(history, d("1.3.2027"), 6) == pm.Stalled("x", "planned", d("31.8.2026"), 182)


@pytest.mark.parametrize("phase, stalls", [("embedded", False), ("ended", False), ("paused", True), ("in_use", True)])
def test_embedded_and_ended_never_stall(phase, stalls):
    history = h("planned 1.1.2024", f"{phase} 1.2.2024")
    assert (pm.is_stalled(history, TODAY, 6) is not None) == stalls


def test_stall_counts_from_the_latest_entry_and_a_shorter_setting_finds_more():
    histories = [
        h("planned 1.1.2026", "in_use 1.2.2026", "paused 1.3.2026", "in_use 1.10.2026", key="back"),
        h("planned 1.1.2026", "pilot 1.4.2026", key="long"),
        h("planned 1.1.2026", "pilot 1.8.2026", key="short"),
    ]
    assert [s.key for s in pm.stalled(histories, TODAY, 6)] == ["long"]
    assert [s.key for s in pm.stalled(histories, TODAY, 1)] == ["long", "short", "back"]  # longest first


@pytest.mark.parametrize("saved, months", [(None, 6), ("12", 12), ("1", 1), ("60", 60), ("0", 6), ("61", 6), ("six", 6), ("", 6)])
def test_stall_setting_is_read_with_its_default_and_range(saved, months):
    assert pm.stall_months(saved) == months


# -- retention after the pilot -----------------------------------------------------------------


def test_retention_counts_the_phase_six_and_twelve_months_after_the_pilot():
    histories = [
        h("planned 1.1.2025", "pilot 1.2.2025", "in_use 1.5.2025", key="kept"),  # in use at 6 and 12
        h("planned 1.1.2025", "pilot 1.2.2025", "in_use 1.5.2025", "ended 1.10.2025", key="ended"),  # 6 yes, 12 no
        h("planned 1.1.2025", "pilot 1.2.2025", key="still_pilot"),  # no, no
        h("pilot 1.9.2025", "embedded 1.11.2025", key="embedded"),  # 6 yes (1.3.2026); 12 not due (1.9.2026 > today)
        h("planned 1.1.2026", "pilot 1.8.2026", key="young"),  # neither due yet
        h("planned 1.1.2025", key="never"),  # no pilot: out
    ]
    today = d("31.8.2026")
    assert pm.retention(histories, today, 6) == pm.Share(3, 4)
    assert pm.retention(histories, today, 12) == pm.Share(1, 3)
    assert pm.Share(3, 4).percent == 75 and pm.Share(1, 3).percent == 33 and pm.Share(2, 3).percent == 67
    assert pm.Share(0, 0).percent is None


def test_retention_on_the_day_itself_counts_a_same_day_move():
    history = h("pilot 1.1.2026", "in_use 1.7.2026")
    assert pm.retention([history], d("1.7.2026"), 6) == pm.Share(1, 1)
    assert pm.retention([history], d("30.6.2026"), 6) == pm.Share(0, 0)  # not due yet


# -- pauses and ends ----------------------------------------------------------------------------


def test_pause_and_end_share_rate_and_reasons():
    histories = [
        h("planned 1.1.2025", "in_use 1.2.2025", "paused 2.7.2025 staff_turnover", "in_use 1.10.2025", key="a"),
        h("planned 1.1.2025", "paused 1.3.2025 resources", "ended 1.6.2025 resources", key="b"),
        h("planned 1.1.2025", "in_use 1.2.2025", key="c"),
        h("ended 1.1.2025", key="d"),  # recorded directly as ended: not a move, reason not recorded
    ]
    today = d("1.1.2026")
    paused = pm.stops(histories, "paused", today)
    assert paused.ever == pm.Share(2, 4)
    assert paused.moves == 2
    # At risk of pausing: a 365 - 91 paused days, b 59 days before its pause, c 365, d 0.
    assert paused.years == pytest.approx((365 - 91 + 59 + 365) / 365.25)
    assert paused.rate == pytest.approx(200 / ((365 - 91 + 59 + 365) / 365.25))
    assert paused.reasons == (("staff_turnover", 1), ("resources", 1))

    ended = pm.stops(histories, "ended", today)
    assert ended.ever == pm.Share(2, 4)
    assert ended.moves == 1
    assert ended.years == pytest.approx((365 + 151 + 365) / 365.25)
    assert ended.reasons == (("resources", 1), ("", 1))


def test_rate_needs_a_deployment_year_and_unknown_reason_codes_are_kept():
    short = [h("planned 1.1.2026", "ended 1.3.2026 merged_away", key="a")]
    ended = pm.stops(short, "ended", TODAY)
    assert ended.moves == 1 and ended.rate is None  # 59 days of follow-up
    assert ended.reasons == (("merged_away", 1),)


def test_summary_of_a_group():
    histories = [
        h("planned 1.1.2025", "pilot 1.3.2025", "in_use 1.6.2025", key="a"),
        h("planned 1.1.2025", "pilot 1.4.2025", "in_use 1.9.2025", "embedded 1.6.2026", key="b"),
        h("planned 1.1.2025", "pilot 1.5.2025", "paused 1.7.2025 no_clients", key="c"),
        h("planned 1.1.2027", key="future"),  # after today: not a deployment yet
    ]
    summary = pm.summarise(histories, TODAY, 6)
    assert summary.deployments == 3
    assert summary.to_pilot == pm.Median(3, 90.0)  # 59, 90, 120
    assert summary.to_in_use == pm.Median(2, None)  # 151, 243: too few
    assert [s.key for s in summary.stalled] == ["a", "c"]  # in use since 1.6.2025, paused since 1.7.2025
    assert dict(summary.retention) == {6: pm.Share(2, 3), 12: pm.Share(2, 3)}
    assert summary.paused.ever == pm.Share(1, 3) and summary.paused.reasons == (("no_clients", 1),)
    assert summary.ended.ever == pm.Share(0, 3) and summary.ended.reasons == ()


# -- the summary adds up the same rules -------------------------------------------------------------

DAYS = st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31))


@given(since=DAYS, today=DAYS, months=st.integers(1, 60))
def test_the_stall_cutoff_is_the_rule_in_one_day(since, today, months):
    assert (since <= pm.stall_cutoff(today, months)) == (pm.add_months(since, months) < today)


STEP = st.tuples(st.sampled_from(PHASES), st.integers(0, 300), st.sampled_from(["", "resources", "other"]))


def build(key: str, start: dt.date, steps) -> pm.History:
    changes, day = [], start
    for phase, gap, reason in steps:
        day += dt.timedelta(days=gap)
        changes.append(pm.Change(phase, day, reason))
    return pm.History(key, tuple(changes))


@settings(max_examples=60, deadline=None)
@given(shapes=st.lists(st.tuples(DAYS, st.lists(STEP, min_size=1, max_size=6)), max_size=8), today=DAYS)
def test_the_summary_agrees_with_each_rule(shapes, today):
    histories = [build(f"d{i}", start, steps) for i, (start, steps) in enumerate(shapes)]
    summary = pm.summarise(histories, today, 6)
    assert summary.deployments == sum(1 for h in histories if h.upto(today))
    assert summary.to_pilot == pm.median_days_to(histories, "pilot", today)
    assert summary.to_in_use == pm.median_days_to(histories, "in_use", today)
    assert list(summary.stalled) == pm.stalled(histories, today, 6)
    assert dict(summary.retention) == {m: pm.retention(histories, today, m) for m in (6, 12)}
    assert summary.paused == pm.stops(histories, "paused", today)
    assert summary.ended == pm.stops(histories, "ended", today)
    for h in histories:
        if pm.is_stalled(h, today, 6):
            assert pm.current(h, today).phase not in ("embedded", "ended")


def test_reasons_are_listed_in_the_catalogues_order_then_new_codes_then_not_recorded():
    assert pm.reason_order(["", "other", "zz_new"], ["staff_turnover", "other"]) == ["staff_turnover", "other", "zz_new", ""]
