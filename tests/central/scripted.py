"""A scripted year of sends (2026) and the grid it must give, for the unit test of
app.central.completeness and for the same year sent as real export files and merged.

Each person: (name, county, sends, roster). A send is (day, time of day UTC, full?,
complete_through, lost?): a lost file was made (the next incremental starts after it) but
never reached the office. The grid is read on TODAY with the deadline of DEADLINE days.

EXPECTED: per person, one character per month of 2026: O on time, L late, G gap,
M missing, ? open (not due yet), - not expected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TODAY = dt.date(2027, 1, 20)
DEADLINE = 14


@dataclass(frozen=True)
class Send:
    day: dt.date
    full: bool = False
    complete_through: str | None = None
    lost: bool = False

    @property
    def at(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(8, 0), tzinfo=dt.UTC)


@dataclass
class Script:
    name: str
    county: str
    sends: list[Send] = field(default_factory=list)
    left_on: dt.date | None = None
    expected_from: dt.date | None = None  # set: added by hand (with no sends) or told by the roster


def _monthly(first: dt.date, day: int, months: range, year: int = 2026) -> list[Send]:
    return [Send(first, full=True)] + [Send(dt.date(year, m, day)) for m in months]


def _last_days() -> list[Send]:
    out = []
    for m in range(1, 13):
        after = dt.date(2026 + m // 12, m % 12 + 1, 1)
        last = after - dt.timedelta(days=1)
        out.append(Send(last, full=m == 1, complete_through=f"2026-{m:02d}"))
    return out


SCRIPTS: dict[str, Script] = {
    # On time every month.
    "A": Script("Aino Ajallaan", "pohjois-savo", _monthly(dt.date(2026, 1, 10), 5, range(2, 13)) + [Send(dt.date(2027, 1, 5))]),
    # March's file came on 25 April: late (its deadline was 14 April).
    "B": Script(
        "Bertta Myöhä",
        "etela-savo",
        [Send(dt.date(2026, 1, 3), full=True), Send(dt.date(2026, 2, 5)), Send(dt.date(2026, 3, 5)), Send(dt.date(2026, 4, 25))]
        + [Send(dt.date(2026, m, 5)) for m in range(5, 13)]
        + [Send(dt.date(2027, 1, 5))],
    ),
    # Started in March; stopped sending after July.
    "C": Script(
        "Cecilia Poissa", "lappi", [Send(dt.date(2026, 3, 2), full=True)] + [Send(dt.date(2026, m, 5)) for m in range(4, 8)]
    ),
    # The file of 5 June was lost: May and June are a gap.
    "D": Script(
        "Dora Aukko",
        "pirkanmaa",
        [Send(dt.date(2026, 1, 5), full=True)]
        + [Send(dt.date(2026, m, 5), lost=m == 6) for m in range(2, 13)]
        + [Send(dt.date(2027, 1, 5))],
    ),
    # The same loss, then a full export on 20 July: May and June are late, not a gap.
    "E": Script(
        "Eeva Korjaus",
        "kanta-hame",
        [Send(dt.date(2026, 1, 5), full=True)]
        + [Send(dt.date(2026, m, 5), lost=m == 6) for m in range(2, 8)]
        + [Send(dt.date(2026, 7, 20), full=True)]
        + [Send(dt.date(2026, m, 5)) for m in range(8, 13)]
        + [Send(dt.date(2027, 1, 5))],
    ),
    # Sends on each month's last day, declaring the month complete.
    "F": Script("Fanni Valmis", "keski-suomi", _last_days()),
    # Left on 30 June, declaring June complete that day.
    "G": Script(
        "Greta Lähtijä",
        "kainuu",
        _monthly(dt.date(2026, 1, 5), 5, range(2, 7)) + [Send(dt.date(2026, 6, 30), complete_through="2026-06")],
        left_on=dt.date(2026, 6, 30),
    ),
    # Added by hand for Pohjois-Karjala, expected from October; has not sent.
    "H": Script("Hilkka Tulossa", "pohjois-karjala", expected_from=dt.date(2026, 10, 1)),
}

EXPECTED = {
    "A": "OOOOOOOOOOOO",
    "B": "OOLOOOOOOOOO",
    "C": "--OOOOMMMMMM",
    "D": "OOOOGGOOOOOO",
    "E": "OOOOLLOOOOOO",
    "F": "OOOOOOOOOOOO",
    "G": "OOOOOO------",
    "H": "---------MMM",
}
SYMBOL = {"on_time": "O", "late": "L", "gap": "G", "missing": "M", "open": "?", "not_expected": "-"}
