"""The guidance attestation, read back: every session's date and minutes, the totals, the
coordinator's name and title, and a 60-session table that runs over the pages it should."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import select

from app.guidance import ops
from app.i18n import format_date
from app.models import Trainee
from app.pdf import blocks, document
from app.reports import build
from tests.reports.conftest import ASA, SESSIONS
from tests.reports.pdftools import lines, num, page_labels, page_lines

ROW = re.compile(r"^\d+$")
DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$")


def grouped(n: int) -> str:
    """4050 -> '4 050', as Finnish writes it (the PDF's no-break space read back as a space)."""
    return f"{n:,}".replace(",", " ")


def hours(minutes: int) -> str:
    return str((Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")


@pytest.fixture(scope="module")
def asa(marked_session):
    return marked_session.scalars(select(Trainee).where(Trainee.name == ASA)).one()


@pytest.fixture(scope="module")
def pdf(marked_session, asa, today):
    return build.attestation_pdf(marked_session, asa.id, "fi", today)


def test_every_session_and_the_totals(pdf, asa, marked_sql):
    text = lines(pdf.data)
    expected = marked_sql.rows(
        "SELECT gs.date, gs.duration_minutes FROM guidance_sessions gs JOIN guidance_attendance ga ON ga.session_id = gs.id "
        "WHERE ga.trainee_id = ? AND ga.deleted = 0 AND gs.deleted = 0 ORDER BY gs.date",
        asa.id,
    )
    assert len(expected) == SESSIONS
    for number, (day, minutes) in enumerate(expected, start=1):
        i = text.index(format_date(dt.date.fromisoformat(day)))
        assert text[i - 1] == str(number) and num(text[i + 3]) == minutes, (number, day)
    total = sum(m for _d, m in expected)
    assert f"Yhteensä {SESSIONS} ohjauskertaa, {grouped(total)} minuuttia eli {hours(total)} tuntia." in text
    assert text[:1] == ["Menetelmäohjaustodistus"]
    for label, value in (
        ("Nimi", ASA),
        ("Ammatti", "psykologi"),
        ("Menetelmä", "Interpersonaalinen ohjanta IPC"),
        ("Koulutusryhmä", "IPC-ryhmä kevät"),
    ):
        assert text[text.index(label) + 1] == value


def test_signed_by_the_coordinator_with_name_and_title(pdf, marked_sql):
    name, role = marked_sql.one("SELECT name, role FROM coordinator_profile WHERE deleted = 0")
    titles = {
        "therapy": "Terapiakoordinaattori",
        "intervention": "Interventiokoordinaattori",
        "both": "Terapia- ja interventiokoordinaattori",
    }
    last = page_lines(pdf.data)[-1]
    signature = last.index("Allekirjoitus")
    assert "Paikka ja päiväys" in last
    assert last[signature + 1 : signature + 3] == [name, titles[role]]


def test_sixty_sessions_run_over_the_pages_the_layout_gives(pdf):
    """Continuation pages hold as many rows as fit under the repeated header; the total,
    the sentence and the signature follow the last row."""
    frame = document.PAGE_HEIGHT - document.MARGIN_TOP - document.MARGIN_BOTTOM
    row = blocks.CELL.leading + 2 * 2.5  # one line of 8.5 pt text and the table's padding
    header = blocks.HEAD.leading + 2 * 2.5
    per_page = math.floor((frame - header) / row)
    pages = page_lines(pdf.data)
    # A row reads "12", "3.9.2026", ...: its number is the line before a date.
    numbers = [[int(page[i - 1]) for i, line in enumerate(page) if DATE.match(line) and ROW.match(page[i - 1])] for page in pages]
    assert sorted(n for page in numbers for n in page) == list(range(1, SESSIONS + 1))  # each row once
    first = len(numbers[0])
    assert 20 <= first < per_page  # the title and facts share the first page; the table starts there
    expected = 1 + math.ceil((SESSIONS - first) / per_page)
    assert pdf.pages == expected == len(pages) == 2
    for page in pages:  # the header row repeats on every page of the table
        assert "Päivämäärä" in page and "Minuutit" in page
    assert page_labels(pdf.data) == [(1, 2), (2, 2)]


def test_swedish_attestation(marked_session, asa, today):
    sv = build.attestation_pdf(marked_session, asa.id, "sv", today)
    first = page_lines(sv.data)[0]
    assert first[0] == "Intyg över metodhandledning" and f"sida 1 / {sv.pages}" in first
    assert "Underskrift" in lines(sv.data) and sv.filename.startswith("intyg-metodhandledning_")


def test_demo_trainee_totals(demo_session, sql, today):
    trainee_id, name = sql.one(
        "SELECT t.id, t.name FROM trainees t JOIN guidance_attendance ga ON ga.trainee_id = t.id WHERE t.erased_at IS NULL "
        "GROUP BY t.id ORDER BY count(*) DESC LIMIT 1"
    )
    sessions, minutes = sql.one(
        "SELECT count(*), sum(duration_minutes) FROM guidance_sessions WHERE deleted = 0 AND id IN "
        "(SELECT session_id FROM guidance_attendance WHERE deleted = 0 AND trainee_id = ?)",
        trainee_id,
    )
    text = lines(build.attestation_pdf(demo_session, trainee_id, "fi", today).data)
    assert f"Yhteensä {grouped(sessions)} ohjauskertaa, {grouped(minutes)} minuuttia eli {hours(minutes)} tuntia." in text
    assert name in text


def test_no_attestation_for_an_erased_trainee(tmp_path, today):
    from app.models.methods import seed_id
    from app.store import Store

    store = Store.open(tmp_path)
    try:
        with store.Session() as s:
            person = ops.save_trainee(s, ops.TraineeData(name="Poistettava Henkilö", method_id=seed_id("ipc")))
            ops.erase_trainee(s, person)
            with pytest.raises(build.Erased):
                build.attestation_pdf(s, person.id, "fi", today)
            assert build.attestation_pdf(s, "no-such-id", "fi", today) is None
    finally:
        store.dispose()
