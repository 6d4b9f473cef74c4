"""What every part of the demo generator shares: the seeded random source, the calendar
window, the rows being collected per model, and helpers for ids, stamps and names."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.core.holidays import is_working_day
from app.demo import vocabulary as words
from app.i18n import HELSINKI

if TYPE_CHECKING:
    from app.demo.surveys import Catalogued

UTC = dt.UTC
_HOURS = [dt.timedelta(hours=h) for h in range(24)]
# RFC 4122 version 4: version nibble 4, variant bits 10.
_UUID_CLEAR = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_UUID4_BITS = (0x4 << 76) | (0x2 << 62)


@dataclass(frozen=True)
class Scale:
    units: int
    events: int  # all events, recurring guidance groups included
    sessions: int  # all guidance sessions, group and individual
    cohorts_per_term: int  # new method-guidance groups each spring and each autumn
    goals: int


SCALES = {
    "normal": Scale(units=25, events=450, sessions=450, cohorts_per_term=2, goals=12),
    "bench": Scale(units=500, events=20_000, sessions=100_000, cohorts_per_term=60, goals=200),
}
YEARS_BACK_DAYS = 730  # two years of history...
DAYS_AHEAD = 183  # ...and about six months planned


@dataclass(frozen=True)
class MethodInfo:
    id: str
    key: str | None
    target_group: str  # adult | child_youth
    name_fi: str


@dataclass
class Demo:
    rng: random.Random
    scale: Scale
    today: dt.date  # Europe/Helsinki
    now: dt.datetime  # UTC
    county: str
    methods: list[MethodInfo]
    # model -> rows (dicts of column values)
    rows: dict[type, list[dict]] = field(default_factory=dict)
    # What later parts build on: the units, and which methods each one has taken into use.
    units: list[dict] = field(default_factory=list)
    unit_methods: dict[str, list[str]] = field(default_factory=dict)
    method_units: dict[str, list[str]] = field(default_factory=dict)
    unit_by_id: dict[str, dict] = field(default_factory=dict)
    swedish_units: set[str] = field(default_factory=set)
    # The seeded survey instruments the catalogue keeps (key -> ids); empty: no survey rounds.
    instruments: dict[str, Catalogued] = field(default_factory=dict)
    _midnights: dict[dt.date, dt.datetime] = field(default_factory=dict, repr=False)

    @property
    def start(self) -> dt.date:
        return self.today - dt.timedelta(days=YEARS_BACK_DAYS)

    @property
    def end(self) -> dt.date:
        return self.today + dt.timedelta(days=DAYS_AHEAD)

    # -- ids, stamps, rows ---------------------------------------------------------
    def new_id(self) -> str:
        """A UUID4 string from the seeded source: the same seed gives the same ids.

        Formatted by hand: uuid.UUID() is a third of the build time at bench scale.
        """
        n = (self.rng.getrandbits(128) & _UUID_CLEAR) | _UUID4_BITS
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def stamp(self, day: dt.date, hour: int = 10) -> dt.datetime:
        """A UTC timestamp at `hour` o'clock on a Helsinki day, never later than now."""
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = dt.datetime.combine(day, dt.time(0), tzinfo=HELSINKI).astimezone(UTC)
            self._midnights[day] = midnight
        return min(midnight + _HOURS[hour], self.now)

    def add(self, model, created: dt.date, updated: dt.date | None = None, **values) -> dict:
        """Collect one row of `model` with the SyncedMixin columns filled in."""
        created_at = self.stamp(created, 9)
        updated_at = max(created_at, self.stamp(updated, 15)) if updated else created_at
        row = {"id": self.new_id(), "created_at": created_at, "updated_at": updated_at, "deleted": False, **values}
        self.rows.setdefault(model, []).append(row)
        return row

    # -- dates -----------------------------------------------------------------------
    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    @staticmethod
    def workday(day: dt.date) -> dt.date:
        """Saturday -> Friday, Sunday -> Monday: coordinators work office days; a public
        holiday (Christmas Day, Midsummer Eve…) -> the next working day."""
        weekday = day.weekday()
        if weekday == 5:
            day -= dt.timedelta(days=1)
        elif weekday == 6:
            day += dt.timedelta(days=1)
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    @staticmethod
    def next_workday(day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    # -- people ----------------------------------------------------------------------
    def person(self, swedish: bool | None = None) -> str:
        if swedish is None:
            swedish = self.rng.random() < 0.12
        first = self.rng.choice(words.FIRST_NAMES_SV if swedish else words.FIRST_NAMES_FI)
        # Mixed families are common: a Swedish first name with a Finnish surname and back.
        mixed = self.rng.random() < 0.2
        last = self.rng.choice(words.LAST_NAMES_SV if swedish != mixed else words.LAST_NAMES_FI)
        return f"{first} {last}"

    @staticmethod
    def email(name: str) -> str:
        ascii_name = name.lower().translate(str.maketrans("äöå ", "aoa."))
        return f"{ascii_name}@example.org"

    def municipalities(self) -> tuple[str, ...]:
        return words.MUNICIPALITIES.get(self.county) or words.MUNICIPALITIES[words.DEFAULT_COUNTY]

    def methods_for(self, age_group: str) -> list[MethodInfo]:
        """Methods a unit serving `age_group` would take into use."""
        wanted = {"adults": ("adult",), "children_youth": ("child_youth",)}.get(age_group, ("adult", "child_youth"))
        return [m for m in self.methods if m.target_group in wanted]
