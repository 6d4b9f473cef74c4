"""Reporting completeness: who has reported, per coordinator and reporting period. Pure: no
Flask, no database (app.central.reporting reads the rows and calls it).

DHIS2's reporting rate, with Koordi's files. The rules (design decisions, stated on the grid):

Periods. Months by default, or quarters (an office setting). A period is its first and last
day; "YYYY-MM" or "YYYY-Qn". Dates are days on Helsinki's wall; a file's time is its
manifest's `exported_at` (UTC) on Helsinki's wall.

Deadline. A period's deadline is its last day plus `deadline_days` (an office setting,
default 14): a file made on the deadline day is on time.

Expected. A coordinator is expected to report a period when
- it begins on or after their first expected period: the period holding the roster's
  "expected from" day when the office set one, else the period in which their first file
  was made (a coordinator added by hand has no file: their "expected from" is required), and
- it ends on or before the day they left, when the roster marks them as a leaver (the period
  in which they leave is not expected of them: a file for it is still shown).
Any other period is `not_expected`.

Covered. A period is covered by the first file (by export time) that was made after the
period's last day, or that declares it complete (`complete_through` at or after the period's
last month: the tick "Everything through <month> is entered", which may be made on the last
day itself). A file covers a period whole only if no file is missing before it: a full
export, or an incremental one whose `since` is not later than the export time of the file
received before it (the merge's gap rule, app.central.merge._report_gaps). When the first
covering file has a file missing before it, the first full export made after it covers the
period instead; with none, the period is a `gap`: rows of it may be missing (ask the
coordinator for a full export).

Status of an expected period:
- `on_time`: covered by a file made on or before the deadline;
- `late`: covered by a file made after the deadline;
- `gap`: see above (the file is the incremental one after the missing file);
- `missing`: no file covers it and the deadline has passed;
- `open`: no file covers it yet and the deadline has not passed: not due yet, and not
  counted in any rate.
`declared` says whether any file declared the period complete (shown beside the status).

Rates over any set of cells (a coordinator's span, a county, a cooperation area, the
country, one period): `due` = on_time + late + gap + missing; the reporting rate is
(on_time + late) / due and the on-time rate on_time / due (a gap is not a report whole).
Nothing due: no rate ("–"), never 0 %.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate

from app.core.clock import HELSINKI

MONTH, QUARTER = "month", "quarter"
PERIOD_KINDS = (MONTH, QUARTER)
DEFAULT_DEADLINE_DAYS = 14
MAX_DEADLINE_DAYS = 120

ON_TIME, LATE, GAP, MISSING, OPEN, NOT_EXPECTED = "on_time", "late", "gap", "missing", "open", "not_expected"
STATUSES = (ON_TIME, LATE, GAP, MISSING, OPEN, NOT_EXPECTED)
DUE = (ON_TIME, LATE, GAP, MISSING)


# -- periods -------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # the last day
    kind: str = MONTH

    @property
    def key(self) -> str:
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @cached_property  # asked once per cell of a grid (a frozen dataclass keeps it in __dict__)
    def last_month(self) -> str:
        """The period's last month, "YYYY-MM" (what complete_through is compared with)."""
        return f"{self.end:%Y-%m}"

    @property
    def short(self) -> str:
        """A column heading: "3/2026", "Q1/2026"."""
        if self.kind == QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1}/{self.start.year}"
        return f"{self.start.month}/{self.start.year}"

    def deadline(self, deadline_days: int) -> dt.date:
        return self.end + dt.timedelta(days=deadline_days)


@lru_cache(maxsize=4096)  # a row asks for its first expected period once per cell; a Period never changes
def period_of(kind: str, day: dt.date) -> Period:
    if kind == QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        start = dt.date(day.year, first_month, 1)
        after = _add_months(start, 3)
    else:
        start = day.replace(day=1)
        after = _add_months(start, 1)
    return Period(start, after - dt.timedelta(days=1), kind)


def periods_between(kind: str, first: dt.date, last: dt.date) -> list[Period]:
    """Every period from the one holding `first` to the one holding `last` (none if reversed)."""
    out: list[Period] = []
    period = period_of(kind, first)
    while period.start <= last:
        out.append(period)
        period = period_of(kind, period.end + dt.timedelta(days=1))
    return out


def parse_month(text: str) -> dt.date | None:
    """The first day of a "YYYY-MM" month, or None when it is not one."""
    try:
        day = dt.date.fromisoformat(f"{text}-01") if len(text) == 7 else None
    except ValueError:
        return None
    return day if day is not None and 2000 <= day.year <= 2999 else None


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# -- who and what they sent ------------------------------------------------------------------------


@dataclass(frozen=True)
class SentFile:
    """One merged file of a coordinator (a merged_files row)."""

    export_id: str
    file_name: str
    kind: str  # full | incremental
    since: dt.datetime | None  # naive UTC, as the merged database keeps it
    exported_at: dt.datetime  # naive UTC
    complete_through: str | None = None  # "YYYY-MM"
    sha256: str = ""

    @cached_property  # a coordinator's first file's is asked once per cell of their row
    def local_day(self) -> dt.date:
        return self.exported_at.replace(tzinfo=dt.UTC).astimezone(HELSINKI).date()


@dataclass(frozen=True)
class Person:
    """A row of the grid: a coordinator seen in files and/or a roster entry."""

    key: str  # the coordinator's id, or "roster:<id>" for one added by hand and not yet linked
    name: str
    county: str
    area: str
    files: tuple[SentFile, ...] = ()  # in export order
    expected_from: dt.date | None = None
    left_on: dt.date | None = None
    coordinator_id: str | None = None
    roster_id: str | None = None

    def first_expected(self, kind: str) -> Period | None:
        if self.expected_from is not None:
            return period_of(kind, self.expected_from)
        if self.files:
            return period_of(kind, self.files[0].local_day)
        return None

    def expects(self, period: Period) -> bool:
        first = self.first_expected(period.kind)
        if first is None or period.start < first.start:
            return False
        return self.left_on is None or period.end <= self.left_on


@dataclass(frozen=True)
class Cell:
    period: Period
    status: str
    declared: bool = False
    file: SentFile | None = None  # the file that covered the period (the gap's: the file after the missing one)
    deadline: dt.date | None = None


class Timeline:
    """A person's files in export order, with what every period's look-up needs computed once
    (a grid of 60 coordinators × 60 months asks 3 600 times)."""

    def __init__(self, files: Iterable[SentFile]):
        self.files = sorted(files, key=lambda f: (f.exported_at, f.export_id))
        self.days = [f.local_day for f in self.files]
        # The latest month declared complete by file i or any before it ("" for none).
        self.declared: list[str] = list(accumulate((f.complete_through or "" for f in self.files), max))
        self.gap = [self._gap_before(i) for i in range(len(self.files))]
        # The first full export after file i (its index), or None.
        self.next_full: list[int | None] = [None] * len(self.files)
        following: int | None = None
        for i in range(len(self.files) - 1, -1, -1):
            self.next_full[i] = following
            if self.files[i].kind == "full":
                following = i

    def _gap_before(self, index: int) -> bool:
        """Whether a file is missing before file `index`: the merge's rule (_report_gaps)."""
        f = self.files[index]
        if f.kind != "incremental":
            return False
        earlier = next((g for g in reversed(self.files[:index]) if g.export_id != f.export_id), None)
        if earlier is None:
            return True
        return f.since is not None and f.since > earlier.exported_at

    def first_covering(self, period: Period) -> int | None:
        after = bisect_right(self.days, period.end)  # the first file made after the last day
        declaring = bisect_left(self.declared, period.last_month)  # the first declaring it complete
        first = min(after, declaring)
        return first if first < len(self.files) else None

    def declares(self, period: Period) -> bool:
        return bool(self.declared) and self.declared[-1] >= period.last_month


def cell(person: Person, period: Period, deadline_days: int, today: dt.date, timeline: Timeline | None = None) -> Cell:
    line = timeline or Timeline(person.files)
    deadline = period.deadline(deadline_days)
    declared = line.declares(period)
    if not person.expects(period):
        return Cell(period, NOT_EXPECTED, declared, None, deadline)
    first = line.first_covering(period)
    if first is None:
        return Cell(period, MISSING if today > deadline else OPEN, declared, None, deadline)
    chosen = line.files[first]
    if line.gap[first]:
        full = line.next_full[first]
        if full is None:
            return Cell(period, GAP, declared, chosen, deadline)
        chosen = line.files[full]
    return Cell(period, ON_TIME if chosen.local_day <= deadline else LATE, declared, chosen, deadline)


# -- the grid and its rates ----------------------------------------------------------------------


@dataclass
class Rates:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    def add(self, status: str) -> None:
        self.counts[status] += 1

    @property
    def due(self) -> int:
        return sum(self.counts[s] for s in DUE)

    @property
    def reported(self) -> int:
        return self.counts[ON_TIME] + self.counts[LATE]

    @property
    def rate(self) -> float | None:
        return self.reported / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.counts[ON_TIME] / self.due if self.due else None


def rates(cells: Iterable[Cell]) -> Rates:
    out = Rates()
    for c in cells:
        out.add(c.status)
    return out


@dataclass
class Row:
    person: Person
    cells: list[Cell]

    @property
    def rates(self) -> Rates:
        return rates(self.cells)


@dataclass
class Grid:
    periods: list[Period]
    rows: list[Row]  # by cooperation area, county, then name
    deadline_days: int

    def rates_where(self, keep) -> Rates:
        return rates(c for row in self.rows if keep(row.person) for c in row.cells)

    @property
    def total(self) -> Rates:
        return self.rates_where(lambda p: True)

    def by_county(self) -> dict[str, Rates]:
        return self._by(lambda p: p.county)

    def by_area(self) -> dict[str, Rates]:
        return self._by(lambda p: p.area)

    def _by(self, key) -> dict[str, Rates]:
        """One pass over the cells (in the rows' order of first appearance), not one per group."""
        out: dict[str, Rates] = {}
        for row in self.rows:
            found = out.setdefault(key(row.person), Rates())
            for c in row.cells:
                found.add(c.status)
        return out

    def by_period(self) -> list[Rates]:
        return [rates(row.cells[i] for row in self.rows) for i in range(len(self.periods))]


def build_grid(
    people: Iterable[Person], periods: list[Period], deadline_days: int, today: dt.date, order: dict[str, int] | None = None
) -> Grid:
    """Every person × period. `order` (county -> position) sorts the rows as the country lists its
    counties (app.core.geography); the rows are then by name."""
    position = order or {}
    ordered = sorted(people, key=lambda p: (position.get(p.county, len(position)), p.county, p.name.casefold(), p.key))
    rows = []
    for p in ordered:
        line = Timeline(p.files)
        rows.append(Row(p, [cell(p, period, deadline_days, today, line) for period in periods]))
    return Grid(periods, rows, deadline_days)
