"""The unit summary, read back: the unit's events, attendance and guidance equal the tests' SQL;
its deployments show their phase history; its own trainees are named, in any script."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from app.core import periods
from app.models import Unit
from app.reports.build import unit_pdf
from tests.reports.conftest import ASA, DMITRI, SESSIONS, UNIT_NAME
from tests.reports.pdftools import after, dec, lines, num, page_labels, section


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def busiest(sql, today):
    """The demo unit with the most events this year."""
    return sql.one(
        "SELECT ea.unit_id, count(*) FROM event_attendance ea JOIN events e ON e.id = ea.event_id "
        "WHERE e.deleted = 0 AND ea.deleted = 0 AND e.date BETWEEN ? AND ? GROUP BY ea.unit_id ORDER BY 2 DESC LIMIT 1",
        f"{today.year}-01-01",
        f"{today.year}-12-31",
    )[0]


def test_events_attendance_and_guidance_equal_the_database(demo_session, sql, busiest, today):
    year = periods.year(today.year)
    unit = demo_session.get(Unit, busiest)
    pdf = unit_pdf(demo_session, unit, year, "fi", today)
    text = lines(pdf.data)
    planned, held, cancelled = sql.one(
        "SELECT count(DISTINCT e.id), count(DISTINCT CASE WHEN e.status = 'held' THEN e.id END), "
        "count(DISTINCT CASE WHEN e.status = 'cancelled' THEN e.id END) FROM events e JOIN event_attendance ea "
        "ON ea.event_id = e.id WHERE e.deleted = 0 AND ea.deleted = 0 AND ea.unit_id = ? AND e.date BETWEEN ? AND ?",
        unit.id,
        year.start,
        year.end,
    )
    assert after(text, "Pidetyt tapahtumat", 1) == [f"{held} / {planned} suunnitellusta ({cancelled} peruttu)"]
    people = sql.value(
        "SELECT sum(coalesce(ea.professionals, 0) + coalesce(ea.supervisors, 0) + coalesce(ea.others, 0)) FROM events e "
        "JOIN event_attendance ea ON ea.event_id = e.id WHERE e.deleted = 0 AND ea.deleted = 0 AND e.status = 'held' "
        "AND ea.unit_id = ? AND e.date BETWEEN ? AND ?",
        unit.id,
        year.start,
        year.end,
    )
    assert num(after(text, "Yhteensä pidetyissä tapahtumissa", 1)[0]) == people > 0
    # One row per event (a row starts with its date, "3.2.2026 9.00"), the long table split over pages.
    events = section(text, "Kauden tapahtumat", "Yksikön kouluttautujien menetelmäohjaus")
    dated = [line for line in events if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}( \d{1,2}\.\d{2})?", line)]
    assert len(dated) == planned
    sessions, minutes = sql.one(
        "SELECT count(*), coalesce(sum(duration_minutes), 0) FROM guidance_sessions WHERE deleted = 0 AND date BETWEEN ? AND ? "
        "AND id IN (SELECT ga.session_id FROM guidance_attendance ga JOIN trainees t ON t.id = ga.trainee_id "
        "WHERE ga.deleted = 0 AND t.unit_id = ?)",
        year.start,
        year.end,
        unit.id,
    )
    assert after(text, "Menetelmäohjaus", 1) == [f"{sessions} ohjauskertaa, {hours(minutes)} h".replace(".", ",")]
    assert page_labels(pdf.data)[-1] == (pdf.pages, pdf.pages)


def test_the_units_trainees_deployments_and_goals(marked_session, marked_sql, today):
    year = periods.year(today.year)
    unit = marked_session.query(Unit).filter_by(name=UNIT_NAME).one()
    pdf = unit_pdf(marked_session, unit, year, "fi", today)
    text = lines(pdf.data)
    assert text[:2] == ["Yksikköyhteenveto", f"{UNIT_NAME} · 1.1.{today.year}–31.12.{today.year}"]
    assert after(text, "Esihenkilö", 1) == ["Sanna Esimies"]
    # Method guidance: each trainee's own sessions, the unit's sessions once.
    minutes = {
        name: m
        for name, m in marked_sql.rows(
            "SELECT t.name, sum(gs.duration_minutes) FROM trainees t JOIN guidance_attendance ga ON ga.trainee_id = t.id "
            "JOIN guidance_sessions gs ON gs.id = ga.session_id WHERE t.unit_id = ? GROUP BY t.id",
            unit.id,
        )
    }
    guidance = section(text, "Yksikön kouluttautujien menetelmäohjaus")
    asa = after(guidance, ASA, 4)
    assert (num(asa[1]), num(asa[2]), dec(asa[3])) == (SESSIONS, minutes[ASA], hours(minutes[ASA]))
    dmitri = after(guidance, DMITRI, 4)  # Cyrillic prints (and reads back) as itself
    assert num(dmitri[1]) == SESSIONS // 3
    total = after(guidance, "Yhteensä", 3)
    assert [num(total[0]), num(total[1])] == [SESSIONS + SESSIONS // 3, minutes[ASA] + minutes[DMITRI]]
    unit_minutes = marked_sql.value(
        "SELECT sum(duration_minutes) FROM guidance_sessions WHERE id IN (SELECT ga.session_id FROM guidance_attendance ga "
        "JOIN trainees t ON t.id = ga.trainee_id WHERE t.unit_id = ?)",
        unit.id,
    )
    assert unit_minutes == minutes[ASA]  # Dmitri was always with Åsa: the unit's sessions count once
    assert after(text, "Menetelmäohjaus", 1) == [f"{SESSIONS} ohjauskertaa, {hours(unit_minutes)} h".replace(".", ",")]
    # The deployment's history, oldest first.
    history = " ".join(section(text, "Käyttöönotot ja niiden vaiheet", "Kauden tapahtumat"))
    assert history.index("Koulutus") < history.index("→ Pilotti")
    # The goal with its latest value and progress.
    goals = " ".join(section(text, "Tavoitteet"))
    assert "Merkkitavoite" in goals and "40 %" in goals


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fi", ["Tavoitearvo", "Edistyminen", "Tavoitepäivä"]), ("sv", ["yrkespersoner", "Målvärde", "Framsteg"])],
)
def test_narrow_columns_keep_their_header_words_whole(marked_session, today, lang, words):
    """A column sized for numbers gets a header in a smaller font, not one cut mid-word
    ("Utbildade yrk" / "espersoner")."""
    unit = marked_session.query(Unit).filter_by(name=UNIT_NAME).one()
    text = lines(unit_pdf(marked_session, unit, periods.year(today.year), lang, today).data)
    printed = {word for line in text for word in line.split()}
    assert set(words) <= printed, sorted(set(words) - printed)


def test_body_cells_keep_long_finnish_words_whole(demo_session, sql, today):
    """The event type "Vertaismentorointiryhmän tapaaminen" in its column: the column takes room
    from the wider title column instead of cutting "Vertaismentorointiryhmä|n"."""
    unit_id = sql.one(
        "SELECT ea.unit_id FROM event_attendance ea JOIN events e ON e.id = ea.event_id WHERE e.deleted = 0 "
        "AND ea.deleted = 0 AND e.type = 'peer_mentoring' AND e.date BETWEEN ? AND ? LIMIT 1",
        f"{today.year}-01-01",
        f"{today.year}-12-31",
    )[0]
    unit = demo_session.get(Unit, unit_id)
    text = lines(unit_pdf(demo_session, unit, periods.year(today.year), "fi", today).data)
    words = [word for line in text for word in line.split()]
    assert "Vertaismentorointiryhmän" in words
    assert not [line for line in text if line.startswith("n tapaaminen")]
