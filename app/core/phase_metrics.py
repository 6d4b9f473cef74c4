"""What the phase history alone tells (FOLLOWUP.md, "Deployment phases as implementation
stages"), without Flask or a database: days in each phase, time from planned to pilot and
to in use, stalled deployments, retention after the pilot, pause and end rates.

Input: each deployment's history, the phases it entered and on which day, in the order
they were made (app.queries.phase_metrics gives them ordered as the phase history page
does: by day, then as entered), and "today", the day the figures are for. Every rule
below is a design decision of this project; the pages and the period report state them
where the figures are shown.

- **As of a day.** A change dated after `today` is ignored: the deployment is still in its
  previous phase (a report for a past period reads the history as it stood on its last day).
- **Days in a phase** run from the day it was entered to the day the next one was entered;
  the current phase counts up to `today`. A phase entered twice (in use, paused, in use
  again) adds both stays. Moves on the same day give a phase 0 days. The days of one
  deployment add up to today − the day of its first phase.
- **Reached a phase**: the first day it entered that phase or a later forward one
  (planned < training < pilot < in use < embedded), so a deployment that skipped the
  pilot reached "pilot" on the day it went into use. Paused and ended are not forward.
- **Planned → pilot, planned → in use**: days from the first phase to reaching pilot / in
  use, for deployments whose history starts in planned (one recorded directly in a later
  phase has no planning time and is left out) and that reached it by `today`.
- **Median**: the middle value of the whole-day durations (the mean of the two middle
  ones for an even count, so it may end in ,5). Shown only from **3** deployments up
  (MIN_N): a median of one or two is just those deployments. n is always shown.
- **Stalled**: in its current phase for longer than the setting's months (default 6,
  1–60), counted in calendar months: entered on 15.1., stalled from 16.7. on. Embedded
  (the goal) and ended (over) are never stalled; a long pause is.
- **Retention after the pilot** (6 and 12 months): of the deployments that reached pilot
  at least 6 (12) months before `today`, the share that were in use or embedded on the day
  6 (12) calendar months after reaching it. Still piloting, paused or ended then: not
  retained.
- **Pause and end share**: deployments that were ever paused (ended) by `today`, of all
  deployments with a history by then.
- **Pause and end rate per 100 deployment-years**: moves into paused (ended), divided by
  the time deployments could make that move (days outside paused and ended for a pause,
  days outside ended for an end), per 100 years of 365.25 days. A share says how many;
  a rate also weighs how long they have been followed, so young and old deployments
  compare. The phase a deployment was recorded in is not a move. Shown only from one
  deployment-year of follow-up up (MIN_YEARS).
- **Reasons**: every entry into paused (ended) by `today`, counted by its reason; an entry
  made without one (before Koordi asked, or a deployment recorded directly as ended) is
  counted as "not recorded" (""); a code a newer version added is counted under that code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from typing import NamedTuple

from app.core.phases import PHASES, STOP_REASONS

FORWARD = ("planned", "training", "pilot", "in_use", "embedded")
_PILOT_ON = frozenset(FORWARD[2:])  # reached pilot: pilot or a later forward phase
_IN_USE_ON = frozenset(FORWARD[3:])
NOT_STALLED = ("embedded", "ended")
RETAINED = ("in_use", "embedded")
RETENTION_MONTHS = (6, 12)
MIN_N = 3
MIN_YEARS = 1.0
YEAR_DAYS = 365.25
NOT_RECORDED = ""  # the reason of a pause or end recorded without one

# The local setting (app.models.meta.read_setting): months in one phase before "stalled".
STALL_MONTHS_KEY = "stall_months"
STALL_MONTHS_DEFAULT = 6
STALL_MONTHS_MIN = 1
STALL_MONTHS_MAX = 60


class Change(NamedTuple):  # a tuple: thousands are built per page at bench scale
    phase: str
    on: dt.date
    reason: str = ""


@dataclass(frozen=True)
class History:
    key: str  # the deployment's id
    changes: tuple[Change, ...]  # in the order made

    @cached_property
    def _by_day(self) -> tuple[tuple[Change, ...], list[dt.date]]:
        ordered = tuple(sorted(self.changes, key=attrgetter("on")))  # stable: same-day moves keep their order
        return ordered, [c.on for c in ordered]

    def upto(self, today: dt.date) -> Sequence[Change]:
        """The changes made by `today`, by day."""
        ordered, days = self._by_day
        if not days or days[-1] <= today:
            return ordered
        return ordered[: bisect_right(days, today)]


@dataclass(frozen=True)
class Median:
    n: int
    days: float | None  # None below MIN_N


@dataclass(frozen=True)
class Share:
    count: int
    n: int

    @property
    def percent(self) -> int | None:
        """Whole per cent, half up (2 of 3 is 67 %); None with nothing to divide by."""
        if not self.n:
            return None
        return (200 * self.count + self.n) // (2 * self.n)


@dataclass(frozen=True)
class Stalled:
    key: str
    phase: str
    since: dt.date
    days: int


@dataclass(frozen=True)
class Stops:
    """Pauses or ends: who ever did, the rate per 100 deployment-years, the reasons."""

    ever: Share
    moves: int
    years: float  # deployment-years at risk
    reasons: tuple[tuple[str, int], ...]  # (reason, entries), the catalogue's order, "" last

    @property
    def rate(self) -> float | None:
        if self.years < MIN_YEARS:
            return None
        return 100 * self.moves / self.years


@dataclass(frozen=True)
class Summary:
    deployments: int
    to_pilot: Median
    to_in_use: Median
    stalled: tuple[Stalled, ...]  # longest first
    retention: tuple[tuple[int, Share], ...]  # (months, share), RETENTION_MONTHS' order
    paused: Stops
    ended: Stops


# -- days and months --------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later; the month's last day when it has no such day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if day.day <= 28:
        return dt.date(year, month, day.day)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stall_months(saved: str | None) -> int:
    """The saved setting as months; the default when missing, not a number or out of range."""
    try:
        months = int(saved) if saved is not None else STALL_MONTHS_DEFAULT
    except ValueError:
        return STALL_MONTHS_DEFAULT
    return months if STALL_MONTHS_MIN <= months <= STALL_MONTHS_MAX else STALL_MONTHS_DEFAULT


# -- one deployment -----------------------------------------------------------------------


def days_in_phases(history: History, today: dt.date) -> dict[str, int]:
    """{phase: days}, the phases it entered by `today`, in the phases' order."""
    changes = history.upto(today)
    days: dict[str, int] = {}
    for i, change in enumerate(changes):
        until = changes[i + 1].on if i + 1 < len(changes) else today
        days[change.phase] = days.get(change.phase, 0) + (until - change.on).days
    order = {phase: i for i, phase in enumerate(PHASES)}
    return dict(sorted(days.items(), key=lambda item: order.get(item[0], len(order))))


def current(history: History, today: dt.date) -> Change | None:
    changes = history.upto(today)
    return changes[-1] if changes else None


def phase_on(history: History, day: dt.date) -> str | None:
    """The phase it was in at the end of `day` (None: not recorded yet)."""
    change = current(history, day)
    return change.phase if change else None


def reached(history: History, phase: str, today: dt.date) -> dt.date | None:
    """The first day it entered `phase` or a later forward phase."""
    later = FORWARD[FORWARD.index(phase) :]
    return next((c.on for c in history.upto(today) if c.phase in later), None)


def days_to(history: History, phase: str, today: dt.date) -> int | None:
    """Days from planned to reaching `phase`; None without a planned start or not reached."""
    changes = history.upto(today)
    return _since_planned(changes[0] if changes else None, reached(history, phase, today))


def _since_planned(first: Change | None, on: dt.date | None) -> int | None:
    if first is None or first.phase != "planned" or on is None:
        return None
    return (on - first.on).days


def stall_cutoff(today: dt.date, months: int) -> dt.date:
    """The last day a phase can have been entered on and count as stalled on `today`: the
    latest day whose `months` months later is before today (calendar months, clamped)."""
    day = add_months(today, -months)
    while add_months(day, months) >= today:
        day -= dt.timedelta(days=1)
    while add_months(day + dt.timedelta(days=1), months) < today:
        day += dt.timedelta(days=1)
    return day


def is_stalled(history: History, today: dt.date, months: int) -> Stalled | None:
    return _stalled(history.key, current(history, today), today, stall_cutoff(today, months))


def _stalled(key: str, change: Change | None, today: dt.date, cutoff: dt.date) -> Stalled | None:
    if change is None or change.phase in NOT_STALLED or change.on > cutoff:
        return None
    return Stalled(key, change.phase, change.on, (today - change.on).days)


def retained(history: History, pilot: dt.date | None, months: int, today: dt.date) -> bool | None:
    """In use or embedded `months` months after reaching pilot; None: no pilot, or not due by today."""
    if pilot is None:
        return None
    then = add_months(pilot, months)
    if then > today:
        return None
    return phase_on(history, then) in RETAINED


class StopFacts(NamedTuple):
    reasons: tuple[str, ...]  # the reason of each entry into the phase
    moves: int  # entries that were moves (not the phase the deployment was recorded in)
    risk_days: int  # days it could have made the move


class Facts(NamedTuple):
    """One deployment's history read once, as of a day: what a group's figures add up."""

    key: str
    current: Change
    to_pilot: int | None
    to_in_use: int | None
    retained: tuple[bool | None, ...]  # RETENTION_MONTHS' order
    paused: StopFacts
    ended: StopFacts


def facts(history: History, today: dt.date) -> Facts | None:
    """None when the deployment had no phase yet on `today`."""
    changes = history.upto(today)
    if not changes:
        return None
    # One pass (a county's thousands of histories are read on a page): the same rules as
    # reached() and stops(), which the tests hold this to.
    pilot = in_use = None
    reasons: dict[str, list[str]] = {"paused": [], "ended": []}
    moves = {"paused": 0, "ended": 0}
    risk = {"paused": 0, "ended": 0}  # outside paused and ended; outside ended
    last = len(changes) - 1
    for i, change in enumerate(changes):
        phase = change.phase
        days = ((changes[i + 1].on if i < last else today) - change.on).days
        if phase in reasons:
            reasons[phase].append(change.reason)
            moves[phase] += i > 0
            if phase == "paused":
                risk["ended"] += days
            continue
        risk["paused"] += days
        risk["ended"] += days
        if pilot is None and phase in _PILOT_ON:
            pilot = change.on
        if in_use is None and phase in _IN_USE_ON:
            in_use = change.on
    return Facts(
        history.key,
        changes[-1],
        _since_planned(changes[0], pilot),
        _since_planned(changes[0], in_use),
        tuple(retained(history, pilot, m, today) for m in RETENTION_MONTHS),
        paused=StopFacts(tuple(reasons["paused"]), moves["paused"], risk["paused"]),
        ended=StopFacts(tuple(reasons["ended"]), moves["ended"], risk["ended"]),
    )


# -- many deployments ---------------------------------------------------------------------


def median(values: Iterable[int]) -> Median:
    days = list(values)
    return Median(len(days), float(statistics.median(days)) if len(days) >= MIN_N else None)


def median_days_to(histories: Iterable[History], phase: str, today: dt.date) -> Median:
    return median(d for d in (days_to(h, phase, today) for h in histories) if d is not None)


def stalled(histories: Iterable[History], today: dt.date, months: int) -> list[Stalled]:
    cutoff = stall_cutoff(today, months)
    found = [s for s in (_stalled(h.key, current(h, today), today, cutoff) for h in histories) if s is not None]
    return sorted(found, key=lambda s: (-s.days, s.key))


def retention(histories: Iterable[History], today: dt.date, months: int) -> Share:
    found = [retained(h, reached(h, "pilot", today), months, today) for h in histories]
    return Share(sum(1 for r in found if r), sum(1 for r in found if r is not None))


def reason_order(*groups: Iterable[str]) -> list[str]:
    """The reasons found in `groups`: the catalogue's order, then a code a newer version added,
    then "not recorded"."""
    found = {reason for group in groups for reason in group}
    extra = sorted(found - {*STOP_REASONS, NOT_RECORDED})
    return [reason for reason in (*STOP_REASONS, *extra, NOT_RECORDED) if reason in found]


def _stops(found: Sequence[StopFacts]) -> Stops:
    reasons = Counter(reason for f in found for reason in f.reasons)
    return Stops(
        Share(sum(1 for f in found if f.reasons), len(found)),
        sum(f.moves for f in found),
        sum(f.risk_days for f in found) / YEAR_DAYS,
        tuple((reason, reasons[reason]) for reason in reason_order(reasons)),
    )


def stops(histories: Iterable[History], phase: str, today: dt.date) -> Stops:
    """Pauses (phase "paused") or ends ("ended")."""
    found = [f for f in (facts(h, today) for h in histories) if f is not None]
    return _stops([f.paused if phase == "paused" else f.ended for f in found])


def summarise_facts(found: Sequence[Facts], today: dt.date, months: int = STALL_MONTHS_DEFAULT) -> Summary:
    """Every figure for one group of deployments, from their facts (read once: a report adds
    up the same deployments per method and for all of them)."""
    cutoff = stall_cutoff(today, months)
    stuck = [s for s in (_stalled(f.key, f.current, today, cutoff) for f in found) if s is not None]
    return Summary(
        deployments=len(found),
        to_pilot=median(f.to_pilot for f in found if f.to_pilot is not None),
        to_in_use=median(f.to_in_use for f in found if f.to_in_use is not None),
        stalled=tuple(sorted(stuck, key=lambda s: (-s.days, s.key))),
        retention=tuple(
            (m, Share(sum(1 for f in found if f.retained[i]), sum(1 for f in found if f.retained[i] is not None)))
            for i, m in enumerate(RETENTION_MONTHS)
        ),
        paused=_stops([f.paused for f in found]),
        ended=_stops([f.ended for f in found]),
    )


def summarise(histories: Iterable[History], today: dt.date, months: int = STALL_MONTHS_DEFAULT) -> Summary:
    """Every figure for one group of deployments (a method's, a unit's, all of them)."""
    return summarise_facts([f for f in (facts(h, today) for h in histories) if f is not None], today, months)
