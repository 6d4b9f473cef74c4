"""The reporting rule (app.central.completeness) on a scripted year of sends: on time, late,
missing, a gap, a gap mended by a full export, declared complete, a leaver, a coordinator
added by hand who has not sent, and periods not due yet."""

from __future__ import annotations

import datetime as dt
import uuid

from app.central import completeness as C
from app.core.geography import COUNTY_BY_KEY
from tests.central.scripted import DEADLINE, EXPECTED, SCRIPTS, SYMBOL, TODAY, Script

YEAR = C.periods_between(C.MONTH, dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def person(key: str, script: Script) -> C.Person:
    """The files the office received, as the merge logs them: an incremental starts 10 minutes
    before the previous file made (the export's overlap), received or not."""
    files = []
    previous = None
    for send in script.sends:
        at = send.at.replace(tzinfo=None)
        since = None if send.full else previous - dt.timedelta(minutes=10)
        if not send.lost:
            kind = "full" if send.full else "incremental"
            files.append(C.SentFile(str(uuid.uuid4()), f"{key}.zip", kind, since, at, send.complete_through))
        previous = at
    return C.Person(
        key,
        script.name,
        script.county,
        COUNTY_BY_KEY[script.county].area,
        tuple(files),
        script.expected_from,
        script.left_on,
    )


def line(row: C.Row) -> str:
    return "".join(SYMBOL[c.status] for c in row.cells)


def scripted_grid(today=TODAY) -> C.Grid:
    return C.build_grid([person(k, s) for k, s in SCRIPTS.items()], YEAR, DEADLINE, today)


def test_the_scripted_year_gives_each_status():
    grid = scripted_grid()
    assert {row.person.key: line(row) for row in grid.rows} == EXPECTED


def test_the_file_that_covered_a_period_and_the_declared_flag():
    rows = {row.person.key: row for row in scripted_grid().rows}
    march_late = rows["B"].cells[2]
    assert march_late.file.local_day == dt.date(2026, 4, 25) and march_late.deadline == dt.date(2026, 4, 14)
    may_gap = rows["D"].cells[4]
    assert may_gap.status == C.GAP and may_gap.file.local_day == dt.date(2026, 7, 5)  # the file after the lost one
    may_mended = rows["E"].cells[4]
    assert may_mended.file.kind == "full" and may_mended.file.local_day == dt.date(2026, 7, 20)
    # Declared on the month's last day: that file covers it.
    assert all(c.declared and c.file.local_day == c.period.end for c in rows["F"].cells)
    assert not any(c.declared for c in rows["A"].cells)
    assert rows["G"].cells[5].declared and rows["G"].cells[6].status == C.NOT_EXPECTED


def test_a_period_whose_deadline_has_not_passed_is_open_not_missing():
    rows = {row.person.key: row for row in scripted_grid(today=dt.date(2027, 1, 10)).rows}
    assert line(rows["C"])[-2:] == "M?"  # November's deadline passed on 14 December
    assert line(rows["H"]) == "---------MM?"
    assert line(rows["A"])[-1] == "O"  # covered already on 5 January


def test_rates_per_county_area_and_country():
    grid = scripted_grid()
    ita = grid.by_area()["ita-suomi"]  # A, B, F and H
    assert (ita.due, ita.counts[C.ON_TIME], ita.counts[C.LATE], ita.counts[C.MISSING]) == (39, 35, 1, 3)
    assert ita.rate == 36 / 39 and ita.on_time_rate == 35 / 39
    assert grid.by_county()["pohjois-karjala"].rate == 0
    total = grid.total
    assert total.due == 12 * 5 + 10 + 6 + 3  # G's six months, C's ten, H's three
    assert total.counts[C.GAP] == 2 and total.reported == total.due - 2 - 6 - 3
    # One period across the country: May has D's gap.
    may = grid.by_period()[4]
    assert may.counts[C.GAP] == 1 and may.due == 7


def test_nothing_due_is_no_rate_rather_than_zero():
    hilkka = C.build_grid([person("H", SCRIPTS["H"])], YEAR[:9], DEADLINE, TODAY)
    assert hilkka.total.due == 0 and hilkka.total.rate is None


def test_quarters():
    quarters = C.periods_between(C.QUARTER, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [q.key for q in quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert quarters[0].end == dt.date(2026, 3, 31) and quarters[0].last_month == "2026-03"
    grid = C.build_grid([person("B", SCRIPTS["B"]), person("D", SCRIPTS["D"])], quarters, DEADLINE, TODAY)
    rows = {row.person.key: line(row) for row in grid.rows}
    # B's first file after March came on 25 April, past Q1's deadline; D's after June is the gap's.
    assert rows == {"B": "LOOO", "D": "OGOO"}


def test_periods_and_months():
    assert C.parse_month("2026-02") == dt.date(2026, 2, 1)
    assert C.parse_month("2026-13") is None and C.parse_month("26-02") is None
    assert C.period_of(C.MONTH, dt.date(2024, 2, 10)).end == dt.date(2024, 2, 29)
    assert C.period_of(C.QUARTER, dt.date(2026, 11, 30)).key == "2026-Q4"
    assert [p.short for p in C.periods_between(C.MONTH, dt.date(2026, 11, 5), dt.date(2027, 1, 1))] == [
        "11/2026",
        "12/2026",
        "1/2027",
    ]
