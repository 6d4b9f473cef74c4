"""The phase rules on their own (no Flask, no database): app.core.phases."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import phases
from app.core.phases import PHASES

D = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    "current, new, on, expected",
    [
        ("planned", "training", D, None),
        ("planned", "training", D + dt.timedelta(days=30), None),
        ("planned", "training", D, None),  # the same day as the current phase began
        ("planned", "training", D - dt.timedelta(days=1), phases.BEFORE_CURRENT),
        ("pilot", "pilot", D + dt.timedelta(days=5), phases.SAME_PHASE),
        ("pilot", "planned", D, None),  # going back is allowed: plans change
        ("ended", "in_use", D, None),
        ("pilot", "done", D, phases.UNKNOWN_PHASE),
    ],
)
def test_move_problem(current, new, on, expected):
    assert phases.move_problem(current, D, new, on) == expected


def test_pilot_dates():
    assert phases.pilot_problem(D, D) is None
    assert phases.pilot_problem(D, D - dt.timedelta(days=1)) == phases.PILOT_END_BEFORE_START
    assert phases.pilot_problem(None, D) is None and phases.pilot_problem(D, None) is None


def test_next_phase_follows_the_phase_order_until_embedded():
    chain = ["planned"]
    while phases.next_phase(chain[-1]):
        chain.append(phases.next_phase(chain[-1]))
    assert chain == ["planned", "training", "pilot", "in_use", "embedded"]
    assert [PHASES.index(p) for p in chain] == sorted(PHASES.index(p) for p in chain)
    assert phases.next_phase("paused") is None and phases.next_phase("ended") is None


def test_only_ended_is_inactive():
    assert [p for p in PHASES if not phases.is_active(p)] == ["ended"]


@pytest.mark.parametrize(
    "phase, reason, expected",
    [
        ("paused", "resources", None),
        ("ended", "other", None),
        ("paused", "", phases.REASON_MISSING),
        ("ended", "", phases.REASON_MISSING),
        ("ended", "bored", phases.UNKNOWN_REASON),
        ("in_use", "", None),  # other phases take no reason
        ("pilot", "resources", None),  # (and ignore one: the move stores none)
    ],
)
def test_reason_problem(phase, reason, expected):
    assert phases.reason_problem(phase, reason) == expected
