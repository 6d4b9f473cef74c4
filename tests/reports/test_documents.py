"""What every document must be: a valid PDF with its fonts embedded and its metadata set,
the coordinator, county, period and date on every page, no notes unless asked, and a
first page that renders to a real A4 image."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PIL import Image, ImageStat
from sqlalchemy import select

from app.central import pdf as central
from app.central.summary import CentralRow, CentralSummary, Span
from app.core import periods
from app.i18n import format_date
from app.models import Event, Trainee, Unit
from app.pdf.text import Texts
from app.reports import build
from app.reports.common import Author
from tests.reports.conftest import ASA, EVENT_TITLE, MARKER, UNIT_NAME
from tests.reports.pdftools import BASE14, catalog_lang, fonts, lines, page_lines, reader, to_png

TITLES = {
    "fi": {
        "period": "Kausiraportti",
        "unit": "Yksikköyhteenveto",
        "attestation": "Menetelmäohjaustodistus",
        "signin": "Osallistujalista",
        "central": "Keskustoimiston yhteenveto",
    },
    "sv": {
        "period": "Periodrapport",
        "unit": "Enhetssammandrag",
        "attestation": "Intyg över metodhandledning",
        "signin": "Deltagarlista",
        "central": "Centralkansliets sammandrag",
    },
}
COUNTY = {"fi": "Länsi-Uusimaa", "sv": "Västra Nyland"}
GENERATED = {"fi": "Laadittu", "sv": "Uppgjord"}


def make(kind: str, s, lang: str, today: dt.date, notes: bool = False) -> bytes:
    year = periods.year(today.year)
    if kind == "period":
        return build.period_pdf(s, year, lang, today, notes).data
    if kind == "unit":
        unit = s.scalars(select(Unit).where(Unit.name == UNIT_NAME)).one()
        return build.unit_pdf(s, unit, year, lang, today, notes).data
    if kind == "attestation":
        trainee = s.scalars(select(Trainee).where(Trainee.name == ASA)).one()
        return build.attestation_pdf(s, trainee.id, lang, today, notes).data
    if kind == "signin":
        event = s.scalars(select(Event).where(Event.title == EVENT_TITLE)).one()
        return build.signin_pdf(s, event.id, lang, today, None, notes).data
    row = central.CentralRow(
        "lansi-uusimaa",
        "m1",
        "Cool Kids",
        "cool-kids",
        units=3,
        events_held=5,
        events_planned=6,
        attendance_professionals=40,
        guidance_sessions=8,
        guidance_minutes=600,
        trainees_guided=5,
    )
    row.phases["in_use"] = 2
    county, method, total = CentralRow("lansi-uusimaa"), CentralRow("", "m1", "Cool Kids", "cool-kids"), CentralRow("")
    for summed in (county, method, total):
        summed.add(row)
    summary = CentralSummary(
        Span(year.start, year.end), min(year.end, today), [row], [county], [method], total, {"lansi-uusimaa": 1}, 1, None
    )
    return central.render(summary, Author("Keskus Toimisto"), Texts(lang), today)[0]


KINDS = ("period", "unit", "attestation", "signin", "central")
PERIOD_LINE = re.compile(r"^(Kausi|Koulutusjakso|Tapahtuman päivä) \d{1,2}\.\d{1,2}\.\d{4}")


@pytest.fixture(scope="module")
def documents(marked_session, today):
    return {(kind, lang): make(kind, marked_session, lang, today) for kind in KINDS for lang in ("fi", "sv")}


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("kind", KINDS)
def test_valid_with_embedded_fonts_and_metadata(documents, marked_sql, kind, lang):
    data = documents[(kind, lang)]
    pdf = reader(data)  # strict parsing: a broken cross-reference table fails here
    used = fonts(data)
    assert used and all(used.values()), used  # every font embedded (FontFile2)
    assert not {name.lstrip("/").split("+")[-1] for name in used} & BASE14
    assert any("DejaVuSans" in name for name in used)
    meta = pdf.metadata
    assert meta.title == TITLES[lang][kind]
    assert meta.subject and meta.creator.startswith("Koordi")
    coordinator = "Keskus Toimisto" if kind == "central" else marked_sql.value("SELECT name FROM coordinator_profile")
    assert meta.author == coordinator
    assert catalog_lang(data) == {"fi": "fi-FI", "sv": "sv-FI"}[lang]


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_carries_the_header(documents, marked_sql, today, kind):
    data = documents[(kind, "fi")]
    coordinator = "Keskus Toimisto" if kind == "central" else marked_sql.value("SELECT name FROM coordinator_profile")
    who = coordinator if kind == "central" else f"{coordinator} · {COUNTY['fi']}"
    for page in page_lines(data):
        assert who in page and TITLES["fi"][kind] in page
        assert f"Laadittu {format_date(today)}" in page
        period_lines = [line for line in page if PERIOD_LINE.match(line)]
        assert len(period_lines) == 1, page


@pytest.mark.parametrize("kind", ["period", "unit", "attestation", "signin"])
def test_no_notes_unless_asked(documents, marked_session, today, kind):
    assert MARKER not in "\n".join(lines(documents[(kind, "fi")]))
    with_notes = "\n".join(lines(make(kind, marked_session, "fi", today, notes=True)))
    assert MARKER in with_notes


@pytest.mark.parametrize("kind", KINDS)
def test_first_page_renders_to_an_a4_image(documents, tmp_path_factory, kind):
    folder = tmp_path_factory.mktemp("png")
    png = to_png(documents[(kind, "fi")], folder, kind)
    image = Image.open(png).convert("L")
    width, height = image.size
    ratio = min(width, height) / max(width, height)
    assert abs(ratio - 210 / 297) < 0.01, image.size
    assert (width > height) == (kind == "central")  # the central summary's wide tables are landscape
    ink = sum(image.histogram()[:200]) / (width * height)  # pixels darker than light grey
    assert ink > 0.01, f"page 1 of {kind} is nearly blank ({ink:.3%} ink)"
    assert ImageStat.Stat(image).stddev[0] > 10
