"""When follow-up survey rounds fall due, and which of them are done: pure rules (seed 001,
FOLLOWUP.md), no Flask, no database.

Koordi's schedule (design decisions, stated where the schedule is shown):
- The unit starts a method on the first day its deployment entered pilot or in use. Usability
  rounds fall due 1 and 5 months after that day, unless the deployment is paused or ended then.
- NoMAD rounds fall due in the county's months (a setting; default June and October) for every
  deployment that is in pilot or in use on the first day of that month (once a method is
  embedded it is normal work: NoMAD measures the way there). A NoMAD round is due by the month's
  last day.
- A due round is done when a survey round of the matching kind (NoMAD for NoMAD; SUS, UMUX-Lite
  or a custom instrument for usability: Zef's own usability set is a custom one) covers the
  deployment's unit and method and is dated in its window: from 2 weeks before the round opens
  to 2 months after it is due. Each survey round closes one due round at most (the earliest).
- A due round may be closed as not done, with a reason ("not done, because…").
- A round is listed from 2 weeks before it opens; it is overdue the day after it is due, and
  missed once its window has closed (a survey round dated later cannot be this one any more).
- Rounds are listed only for deployments not paused or ended now.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

USABILITY = "usability"
NOMAD = "nomad"
START_PHASES = ("pilot", "in_use")  # entering one of these starts the method in the unit
STOPPED_PHASES = ("paused", "ended")  # a usability round does not fall due in these
NOMAD_PHASES = ("pilot", "in_use")  # NoMAD falls due in its months while in these
USABILITY_MONTHS = (1, 5)
NOMAD_MONTHS_DEFAULT = (6, 10)
NOMAD_MONTHS_KEY = "nomad_months"  # the Setting: month numbers, "6,10"
LEAD_DAYS = 14  # the window opens, and the round is listed, this long before it opens
GRACE_MONTHS = 2  # a round dated up to this long after the due day still closes it

# Statuses of a due round.
DONE = "done"
SKIPPED = "skipped"
OVERDUE = "overdue"  # past its due day, its window still open
MISSED = "missed"  # its window closed without a survey round or a reason
OPEN = "open"  # listed: it opens within LEAD_DAYS, or has opened, and is not past due
UPCOMING = "upcoming"  # further ahead (the annual plan's calendar holds these)


def schedule_kind(instrument_kind: str) -> str:
    """Which due rounds a survey round of this instrument kind (app.core.instruments.Kind) closes."""
    return NOMAD if instrument_kind == "nomad" else USABILITY


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day (31.1. + 1 month = 28.2. or 29.2.)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class Due(NamedTuple):
    """A round that falls due for one deployment."""

    key: str  # "usability-1", "usability-5", "nomad-2026-06" (a skip names it)
    kind: str  # USABILITY | NOMAD
    opens: dt.date  # usability: the due day; NoMAD: the month's first day
    due: dt.date  # usability: the same day; NoMAD: the month's last day

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        """The days a survey round may be dated and still be this round (both included)."""
        return self.opens - dt.timedelta(days=LEAD_DAYS), add_months(self.due, GRACE_MONTHS)

    @property
    def months_after_start(self) -> int | None:
        return int(self.key.rsplit("-", 1)[1]) if self.kind == USABILITY else None

    @property
    def nomad_month(self) -> dt.date | None:
        return self.opens if self.kind == NOMAD else None


History = Sequence[tuple[dt.date, str]]  # (changed_on, phase), oldest first


def phase_on(history: History, day: dt.date) -> str | None:
    """The phase on `day`: the last one entered on or before it (None: before the first)."""
    current = None
    for changed_on, phase in history:
        if changed_on > day:
            break
        current = phase
    return current


def start_day(history: History) -> dt.date | None:
    """The first day the deployment entered pilot or in use (the unit started the method)."""
    return next((day for day, phase in history if phase in START_PHASES), None)


def parse_months(saved: str | None) -> tuple[int, ...]:
    """The NoMAD months setting as sorted month numbers; the default when missing or unreadable.
    An empty setting ("") is a choice: no NoMAD rounds."""
    if saved is None:
        return NOMAD_MONTHS_DEFAULT
    months: set[int] = set()
    for part in saved.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 12:
            return NOMAD_MONTHS_DEFAULT
        months.add(int(part))
    return tuple(sorted(months))


def months_ok(text: str) -> bool:
    """Whether a typed NoMAD months setting reads as month numbers ("6, 10"; "" is fine: none)."""
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    return all(p.isdigit() and 1 <= int(p) <= 12 for p in parts if p)


def format_months(months: Iterable[int]) -> str:
    return ",".join(str(m) for m in sorted(set(months)))


def due_rounds(history: History, nomad_months: Iterable[int], until: dt.date) -> list[Due]:
    """Every round that falls due for a deployment with this phase history and opens on or
    before `until`, by the day it opens. Days after the history's last change keep its phase."""
    start = start_day(history)
    if start is None:
        return []
    out = []
    for months in USABILITY_MONTHS:
        day = add_months(start, months)
        if day <= until and phase_on(history, day) not in STOPPED_PHASES:
            out.append(Due(f"{USABILITY}-{months}", USABILITY, day, day))
    wanted = set(nomad_months)
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= until:
        first = dt.date(year, month, 1)
        if month in wanted and first >= start and phase_on(history, first) in NOMAD_PHASES:
            out.append(Due(f"{NOMAD}-{year:04d}-{month:02d}", NOMAD, first, month_end(year, month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted(out, key=lambda d: (d.opens, d.key))


def match(due: Sequence[Due], done: Iterable[tuple[str, dt.date]]) -> dict[str, dt.date]:
    """{due key: the date of the survey round that closes it}. `done` holds (kind, date) of the
    survey rounds of the deployment's unit and method; each closes the earliest due round of its
    kind whose window holds its date and that no earlier survey round closed."""
    closed: dict[str, dt.date] = {}
    for kind, day in sorted(done, key=lambda pair: pair[1]):
        for d in due:
            start, end = d.window
            if d.kind == kind and d.key not in closed and start <= day <= end:
                closed[d.key] = day
                break
    return closed


def status(d: Due, closed: dict[str, dt.date], skipped: Iterable[str], today: dt.date) -> str:
    if d.key in closed:
        return DONE
    if d.key in set(skipped):
        return SKIPPED
    if today > d.window[1]:
        return MISSED
    if today > d.due:
        return OVERDUE
    if today >= d.opens - dt.timedelta(days=LEAD_DAYS):
        return OPEN
    return UPCOMING


def listed(current_phase: str) -> bool:
    """Whether a deployment's due rounds are listed at all (not for one paused or ended now)."""
    return current_phase not in STOPPED_PHASES
