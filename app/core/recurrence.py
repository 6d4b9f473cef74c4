"""Dates of a recurring series: "every N weeks until a date" or "every N weeks, N times".

Pure date logic. Events keep their start time as Europe/Helsinki wall time
beside the date, so a group that meets at 9.00 still meets at 9.00 after the
clocks change: the series only needs calendar dates, never UTC instants.

The number of occurrences is capped: a typo in the end date ("2062" for
"2026") must not create hundreds of events in one click.
"""

from __future__ import annotations

import datetime as dt

MAX_OCCURRENCES = 60
MAX_INTERVAL_WEEKS = 52


class RecurrenceError(ValueError):
    """Why a series cannot be made. `reason` is one of the constants below."""

    BAD_INTERVAL = "bad_interval"
    BAD_COUNT = "bad_count"
    UNTIL_BEFORE_START = "until_before_start"
    NO_END = "no_end"
    BOTH_ENDS = "both_ends"
    TOO_MANY = "too_many"

    def __init__(self, reason: str, occurrences: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.occurrences = occurrences  # how many the request would have made (TOO_MANY)


def weekly_dates(
    first: dt.date,
    every_weeks: int,
    *,
    until: dt.date | None = None,
    count: int | None = None,
    cap: int = MAX_OCCURRENCES,
) -> list[dt.date]:
    """The dates first, first + N weeks, … up to `until` (inclusive) or `count` dates.

    Exactly one of `until` and `count` is given. The first date is always part of
    the series. Raises RecurrenceError rather than silently shortening a series.
    """
    if not isinstance(every_weeks, int) or not 1 <= every_weeks <= MAX_INTERVAL_WEEKS:
        raise RecurrenceError(RecurrenceError.BAD_INTERVAL)
    if until is None and count is None:
        raise RecurrenceError(RecurrenceError.NO_END)
    if until is not None and count is not None:
        raise RecurrenceError(RecurrenceError.BOTH_ENDS)
    step = dt.timedelta(weeks=every_weeks)
    if count is not None:
        if count < 1:
            raise RecurrenceError(RecurrenceError.BAD_COUNT)
        total = count
    else:
        assert until is not None  # exactly one end is given (checked above)
        if until < first:
            raise RecurrenceError(RecurrenceError.UNTIL_BEFORE_START)
        total = (until - first).days // step.days + 1
    if total > cap:
        raise RecurrenceError(RecurrenceError.TOO_MANY, total)
    return [first + i * step for i in range(total)]
