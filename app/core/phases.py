"""The phases of a deployment and their rules, without Flask or a database (easy to test,
reused by imports).

Each function returns the reason a change is refused (a short code the views turn
into a translated message), or None when the change is fine.
"""

from __future__ import annotations

import datetime as dt

# In the order a deployment usually goes through them (the board's columns).
PHASES = ("planned", "training", "pilot", "in_use", "embedded", "paused", "ended")
ENDED = "ended"

# The usual way forward: what a board card offers as its one-press move. Paused and
# ended deployments have no obvious next step, so those only get the full move form.
NEXT_PHASE = {
    "planned": "training",
    "training": "pilot",
    "pilot": "in_use",
    "in_use": "embedded",
}

# Why a deployment paused or ended: a short catalogue (the words are in app/labels), plus free text.
STOP_PHASES = ("paused", "ended")
STOP_REASONS = (
    "staff_turnover",  # the trained people left
    "resources",  # no time or money for it
    "no_clients",  # too few clients for whom it fits
    "training_missing",  # training or method guidance not available
    "organisation_change",  # the unit merged, closed or reorganised
    "replaced",  # another method took its place
    "not_suitable",  # tried and found not to fit the unit
    "other",
)

SAME_PHASE = "same_phase"
BEFORE_CURRENT = "before_current"
UNKNOWN_PHASE = "unknown_phase"
PILOT_END_BEFORE_START = "pilot_end_before_start"
REASON_MISSING = "reason_missing"
UNKNOWN_REASON = "unknown_reason"


def is_active(phase: str) -> bool:
    """An ended deployment no longer blocks a new one of the same method in the same unit."""
    return phase != ENDED


def next_phase(phase: str) -> str | None:
    return NEXT_PHASE.get(phase)


def move_problem(current: str, current_since: dt.date, new: str, on: dt.date) -> str | None:
    """Why moving from `current` (entered on `current_since`) to `new` on day `on` is refused."""
    if new not in PHASES:
        return UNKNOWN_PHASE
    if new == current:
        return SAME_PHASE
    # The same day is fine (planned and started training on one day); earlier would
    # put the history out of order.
    if on < current_since:
        return BEFORE_CURRENT
    return None


def reason_problem(phase: str, reason: str) -> str | None:
    """A move into paused or ended needs a reason from STOP_REASONS; other phases take none."""
    if phase not in STOP_PHASES:
        return None
    if not reason:
        return REASON_MISSING
    if reason not in STOP_REASONS:
        return UNKNOWN_REASON
    return None


def pilot_problem(start: dt.date | None, end: dt.date | None) -> str | None:
    if start and end and end < start:
        return PILOT_END_BEFORE_START
    return None
