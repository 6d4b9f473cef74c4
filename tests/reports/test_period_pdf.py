"""The period report from `koordi demo` data, read back: every total equals the tests' own SQL."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from app.core import periods
from app.reports.build import period_pdf
from tests.reports.pdftools import after, dec, lines, num, page_labels, page_lines, section

TYPES_FI = {
    "workshop": "Työpaja",
    "support_meeting": "Tukitapaaminen",
    "guidance_group": "Menetelmäohjausryhmä",
    "peer_mentoring": "Vertaismentorointiryhmän tapaaminen",
    "management_sparring": "Tiedolla johtamisen sparri",
    "network_meeting": "Verkostotapaaminen",
    "training": "Koulutus",
    "other": "Muu",
}
MONTHS_FI = (
    "tammikuu",
    "helmikuu",
    "maaliskuu",
    "huhtikuu",
    "toukokuu",
    "kesäkuu",
    "heinäkuu",
    "elokuu",
    "syyskuu",
    "lokakuu",
    "marraskuu",
    "joulukuu",
)


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def year(today):
    return periods.year(today.year)


@pytest.fixture(scope="module")
def pdf(demo_session, year, today):
    return period_pdf(demo_session, year, "fi", today)


@pytest.fixture(scope="module")
def text(pdf):
    return lines(pdf.data)


def test_events_by_type_held_and_planned(text, sql, year):
    rows = section(text, "Tapahtumat tyypeittäin", "Rooli")
    expected = sql.rows(
        "SELECT type, count(*), sum(status = 'held'), sum(status = 'cancelled') FROM events "
        "WHERE deleted = 0 AND date BETWEEN ? AND ? GROUP BY type",
        year.start,
        year.end,
    )
    assert len(expected) >= 5
    for type_, planned, held, cancelled in expected:
        assert [num(v) for v in after(rows, TYPES_FI[type_], 3)] == [planned, held, cancelled], type_
    totals = [sum(r[i] for r in expected) for i in (1, 2, 3)]
    assert [num(v) for v in after(rows, "Yhteensä", 3)] == totals
    assert after(text, "Pidetyt tapahtumat", 1) == [f"{totals[1]} / {totals[0]} suunnitellusta ({totals[2]} peruttu)"]


def test_attendance_by_role(text, sql, year):
    professionals, supervisors, others = sql.one(
        "SELECT sum(coalesce(ea.professionals, 0)), sum(coalesce(ea.supervisors, 0)), sum(coalesce(ea.others, 0)) "
        "FROM events e JOIN event_attendance ea ON ea.event_id = e.id "
        "WHERE e.deleted = 0 AND ea.deleted = 0 AND e.status = 'held' AND e.date BETWEEN ? AND ?",
        year.start,
        year.end,
    )
    rows = section(text, "Rooli", "Vaihe")
    assert num(after(rows, "Ammattilaiset", 1)[0]) == professionals > 0
    assert num(after(rows, "Esihenkilöt", 1)[0]) == supervisors
    assert num(after(rows, "Muut", 1)[0]) == others
    assert num(after(rows, "Yhteensä", 1)[0]) == professionals + supervisors + others


def test_guidance_sessions_hours_and_trainees(text, sql, year):
    sessions, minutes = sql.one(
        "SELECT count(*), sum(duration_minutes) FROM guidance_sessions WHERE deleted = 0 AND date BETWEEN ? AND ?",
        year.start,
        year.end,
    )
    trainees = sql.value(
        "SELECT count(DISTINCT ga.trainee_id) FROM guidance_attendance ga JOIN guidance_sessions gs ON gs.id = ga.session_id "
        "WHERE ga.deleted = 0 AND gs.deleted = 0 AND gs.date BETWEEN ? AND ?",
        year.start,
        year.end,
    )
    shown = f"{sessions} ohjauskertaa, {hours(minutes)} h".replace(".", ",")
    assert after(text, "Menetelmäohjaus", 1) == [shown]
    assert num(after(text, "Ohjatut kouluttautujat", 1)[0]) == trainees > 0
    # The month table: each month's events and guidance, and its total row.
    by_month = {
        m: (n, mins)
        for m, n, mins in sql.rows(
            "SELECT cast(strftime('%m', date) AS integer), count(*), sum(duration_minutes) FROM guidance_sessions "
            "WHERE deleted = 0 AND date BETWEEN ? AND ? GROUP BY 1",
            year.start,
            year.end,
        )
    }
    events = {
        m: (n, h)
        for m, n, h in sql.rows(
            "SELECT cast(strftime('%m', date) AS integer), count(*), sum(status = 'held') FROM events "
            "WHERE deleted = 0 AND date BETWEEN ? AND ? GROUP BY 1",
            year.start,
            year.end,
        )
    }
    table = section(text, "Kuukausittain", "Tapahtumat tyypeittäin")
    for month, name in enumerate(MONTHS_FI, start=1):
        planned, held, n, h = after(table, f"{name} {year.start.year}", 4)
        assert (num(planned), num(held)) == events.get(month, (0, 0)), name
        assert (num(n), dec(h)) == (by_month.get(month, (0, 0))[0], hours(by_month.get(month, (0, 0))[1])), name
    assert [dec(v) for v in after(table, "Yhteensä", 4)][2:] == [sessions, hours(minutes)]


def test_per_method_guidance(text, sql, year):
    rows = sql.rows(
        "SELECT m.name_fi, count(*), sum(gs.duration_minutes) FROM guidance_sessions gs JOIN methods m ON m.id = gs.method_id "
        "WHERE gs.deleted = 0 AND gs.date BETWEEN ? AND ? GROUP BY m.id",
        year.start,
        year.end,
    )
    table = text[text.index("Menetelmittäin") :]
    checked = 0
    for name, sessions, minutes in rows:
        if name not in table:  # a long name wraps over two lines: those rows are checked through the totals
            continue
        cells = after(table, name, 6)
        assert (num(cells[2]), dec(cells[3])) == (sessions, hours(minutes)), name
        checked += 1
    assert checked >= 1


def test_per_unit_rows(text, sql, year):
    table = text[text.index("Yksiköittäin") :]
    table = table[: table.index("Tavoitteet")]  # not the goals after it: their titles name units too
    units = sql.rows("SELECT id, name FROM units WHERE deleted = 0 AND active = 1")
    checked = 0
    for unit_id, name in units:
        if name not in table:
            continue  # wrapped over two lines
        cells = [num(v) if "," not in v else dec(v) for v in after(table, name, 8)]
        planned, held = sql.one(
            "SELECT count(DISTINCT e.id), count(DISTINCT CASE WHEN e.status = 'held' THEN e.id END) FROM events e "
            "JOIN event_attendance ea ON ea.event_id = e.id WHERE e.deleted = 0 AND ea.deleted = 0 AND ea.unit_id = ? "
            "AND e.date BETWEEN ? AND ?",
            unit_id,
            year.start,
            year.end,
        )
        people = sql.one(
            "SELECT coalesce(sum(ea.professionals), 0), coalesce(sum(ea.supervisors), 0), coalesce(sum(ea.others), 0) "
            "FROM events e JOIN event_attendance ea ON ea.event_id = e.id WHERE e.deleted = 0 AND ea.deleted = 0 "
            "AND e.status = 'held' AND ea.unit_id = ? AND e.date BETWEEN ? AND ?",
            unit_id,
            year.start,
            year.end,
        )
        sessions, minutes = sql.one(
            "SELECT count(*), coalesce(sum(duration_minutes), 0) FROM guidance_sessions WHERE deleted = 0 AND date BETWEEN ? AND ? "
            "AND id IN (SELECT ga.session_id FROM guidance_attendance ga JOIN trainees t ON t.id = ga.trainee_id "
            "WHERE ga.deleted = 0 AND t.unit_id = ?)",
            year.start,
            year.end,
            unit_id,
        )
        assert cells[:7] == [held, planned, *people, sessions, hours(minutes)], name
        checked += 1
    assert checked >= 10


def test_no_person_names(text, sql):
    """The period report is aggregate: no trainee's or supervisor's name in it."""
    names = [
        n
        for (n,) in sql.rows(
            "SELECT name FROM trainees WHERE name != '' UNION SELECT supervisor_name FROM units WHERE supervisor_name != ''"
        )
    ]
    joined = "\n".join(text)
    assert names and not [n for n in names if n in joined]


def test_pages_are_numbered_in_finnish_and_swedish(pdf, demo_session, year, today):
    pages = page_labels(pdf.data)
    assert pages == [(i, pdf.pages) for i in range(1, pdf.pages + 1)] and pdf.pages >= 3
    assert page_lines(pdf.data)[0][0] == "Kausiraportti"
    swedish = period_pdf(demo_session, year, "sv", today)
    first = page_lines(swedish.data)[0]
    assert first[0] == "Periodrapport" and f"sida 1 / {swedish.pages}" in first
    assert "Evenemang per typ" in lines(swedish.data)
    assert swedish.filename.startswith("periodrapport_") and pdf.filename.startswith("kausiraportti_")
