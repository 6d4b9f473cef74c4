"""The national summary of a merged database: its figures equal the tests' own raw SQL over the
coordinators' own databases, they follow the coordinator's period report rule for rule, and
the CSV reads back in Koordi's dialect."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy.orm import Session

from app.central.summary import Span, central_summary
from app.central.summary_csv import HEADER, summary_csv
from app.core.periods import Period
from app.i18n import HELSINKI
from app.models.deployments import PHASES
from app.queries.period_report import period_report
from app.store.engine import make_engine
from tests.sync.central_sql import national
from tests.sync.merge_helpers import merge, sqlite_target

FIGURES = (
    "events_held",
    "events_planned",
    "attendance",
    "guidance_sessions",
    "guidance_minutes",
    "trainees_active",
    "trainees_guided",
    "units",
)


def today() -> dt.date:
    return dt.datetime.now(HELSINKI).date()


def figures(row) -> dict:
    out = {name: getattr(row, name) for name in FIGURES}
    out["phases"] = dict(row.phases)
    return out


def expected(figs) -> dict:
    d = figs.as_dict()
    return {**{name: d[name] for name in FIGURES}, "phases": d["phases"]}


def check(summary, merge_exports, span: Span) -> None:
    counties, cells, everything = national(merge_exports.coordinators.values(), span.day(today()), span.start, span.end)
    assert {r.county: figures(r) for r in summary.counties} == {k: expected(v) for k, v in counties.items()}
    assert figures(summary.total) == expected(everything)
    wanted = {key: expected(v) for key, v in cells.items() if any(v.as_dict()[f] for f in FIGURES) or sum(v.phases.values())}
    assert {(r.county, r.method_id): figures(r) for r in summary.rows} == wanted
    assert summary.coordinators == {"lansi-uusimaa": 2, "lappi": 1, "pirkanmaa": 1}


@pytest.fixture(scope="module")
def latest_sqlite(tmp_path_factory, merge_exports):
    """Every file merged once into one SQLite file, shared: the tests below only read it (a
    merge of all the files is most of each test's time)."""
    target = sqlite_target(tmp_path_factory.mktemp("merge-summary"))
    merge(target, merge_exports.latest)
    yield target
    target.dispose()


@pytest.fixture
def latest(request, new_target, merge_exports):
    """new_target's SQLite case is the shared file above; PostgreSQL gets a new database merged here."""
    if request.node.callspec.params["new_target"] == "sqlite":
        return request.getfixturevalue("latest_sqlite")
    target = new_target()
    merge(target, merge_exports.latest)
    return target


def test_the_summary_equals_raw_sql_over_the_coordinators_own_databases(latest, merge_exports):
    target = latest
    with target.connect() as conn:
        summary = central_summary(conn, Span(), today(), "fi")
    check(summary, merge_exports, Span())
    assert summary.total.events_held > 100 and summary.total.trainees_guided > 50  # real figures, not zeros
    # Per method over the country: the county rows summed (each belongs to one coordinator).
    for method in summary.methods:
        rows = [r for r in summary.rows if r.method_id == method.method_id]
        assert method.events_held == sum(r.events_held for r in rows) and method.units == sum(r.units for r in rows)


def test_a_period_counts_only_its_days(latest_sqlite, merge_exports):
    target = latest_sqlite
    span = Span(today() - dt.timedelta(days=200), today() - dt.timedelta(days=30))
    with target.connect() as conn:
        summary = central_summary(conn, span, today(), "sv")
        everything = central_summary(conn, Span(), today(), "sv")
    check(summary, merge_exports, span)
    assert summary.day == span.end
    assert 0 < summary.total.events_planned < everything.total.events_planned


def test_a_coordinators_figures_follow_their_own_period_report(latest_sqlite, merge_exports):
    """Pirkanmaa has one coordinator, C: the central rows of the county are C's own period report."""
    c = merge_exports["C"]
    start, end = today() - dt.timedelta(days=800), today() + dt.timedelta(days=200)
    with latest_sqlite.connect() as conn:
        summary = central_summary(conn, Span(start, end), today(), "fi")
    engine = make_engine(c.db, read_only=True)
    with Session(engine) as s:
        report = period_report(s, Period(start, end), today(), "fi")
    engine.dispose()
    rows = {r.method_id: r for r in summary.rows if r.county == "pirkanmaa"}
    own = {m.method.id: m for m in report.methods}
    assert set(rows) == set(own)
    for method_id, m in own.items():
        r = rows[method_id]
        assert (r.events_held, r.events_planned) == (m.events.held, m.events.planned)
        assert (r.guidance_sessions, r.guidance_minutes, r.trainees_guided) == (
            m.guidance.sessions,
            m.guidance.minutes,
            m.trainees,
        )
        assert r.phases == {p: m.phases.get(p, 0) for p in PHASES}
    [county] = [r for r in summary.counties if r.county == "pirkanmaa"]
    assert (county.events_held, county.events_planned) == (report.events.held, report.events.planned)
    assert county.attendance == report.attendance.total
    assert (county.guidance_sessions, county.guidance_minutes) == (report.guidance.sessions, report.guidance.minutes)
    assert county.trainees_guided == report.trainees_guided and county.phases == report.phases


def test_the_summary_csv_reads_back_in_koordis_dialect(latest_sqlite, merge_exports):
    target = latest_sqlite
    with target.connect() as conn:
        summary = central_summary(conn, Span(), today(), "fi")
    raw = summary_csv(summary, "fi")
    assert raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:].decode("utf-8")
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    table = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))
    assert table[0] == HEADER
    rows = [dict(zip(table[0], r)) for r in table[1:]]
    numbers = HEADER[HEADER.index("units") :]
    assert all(row[n].isdigit() for row in rows for n in numbers)  # whole numbers only: minutes, not hours
    [country] = [r for r in rows if r["level"] == "country"]
    total = summary.total
    assert (
        int(country["events_held"]),
        int(country["attendance"]),
        int(country["guidance_minutes"]),
        int(country["trainees_guided"]),
        int(country["coordinators"]),
    ) == (total.events_held, total.attendance, total.guidance_minutes, total.trainees_guided, 4)
    counties = [r for r in rows if r["level"] == "county"]
    assert [(r["county"], r["county_name"], r["coordinators"]) for r in counties] == [
        ("lansi-uusimaa", "Länsi-Uusimaa", "2"),
        ("pirkanmaa", "Pirkanmaa", "1"),
        ("lappi", "Lappi", "1"),
    ]
    assert sum(int(r["guidance_minutes"]) for r in counties) == total.guidance_minutes
    cells = [r for r in rows if r["level"] == "county_method"]
    assert len(cells) == len(summary.rows) and all(r["method_name"] and r["coordinators"] == "" for r in cells)
    assert len([r for r in rows if r["level"] == "method"]) == len(summary.methods)
