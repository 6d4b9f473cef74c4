"""The central-office summary PDF, made from a merged database of four fictional coordinators in
three counties (`koordi merge` of real export files) and read back with pypdf: its totals
equal the tests' own raw SQL over the coordinators' own databases."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from app.central.pdf import central_pdf
from app.central.schema import open_target
from app.central.summary import Span
from tests.reports.pdftools import after, catalog_lang, dec, fonts, lines, num, page_labels, page_lines, reader, to_png
from tests.sync.central_sql import national


@pytest.fixture(scope="module")
def merged(central_db):
    engine = open_target(str(central_db), read_only=True)  # as `koordi report central` opens it
    yield engine
    engine.dispose()


def render(engine, lang: str, today: dt.date, span: Span = Span()):
    with engine.connect() as conn:
        return central_pdf(conn, span, lang, today)


@pytest.fixture(scope="module")
def fi_all(merged, today):
    """The Finnish summary of all the merged data, rendered once: four tests read it (bytes)."""
    return render(merged, "fi", today)


def row_figures(cells: list[str]) -> list:
    return [dec(v) if "," in v else num(v) for v in cells]


def hours(minutes: int) -> Decimal:
    """Hours to one decimal, half up, as the PDF prints them (45 min -> 0,8)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def expected(figures, coordinators: int) -> list:
    d = figures.as_dict()
    phases = d["phases"]
    return [
        coordinators,
        d["units"],
        sum(phases.values()),
        phases["in_use"] + phases["embedded"],
        d["events_held"],
        d["events_planned"],
        d["attendance"],
        d["guidance_sessions"],
        hours(d["guidance_minutes"]),
        d["trainees_guided"],
        d["trainees_active"],
    ]


def test_the_totals_in_the_pdf_equal_independent_sql(fi_all, merge_exports, today):
    rendered = fi_all
    text = lines(rendered.data)
    assert text[0] == "Keskustoimiston yhteenveto" and "Terapiat etulinjaan -keskustoimisto" in text
    counties, _cells, everything = national(merge_exports.coordinators.values(), today)
    assert row_figures(after(text, "Yhteensä", 11)) == expected(everything, 4)
    assert row_figures(after(text, "Länsi-Uusimaa", 11)) == expected(counties["lansi-uusimaa"], 2)
    assert row_figures(after(text, "Lappi", 11)) == expected(counties["lappi"], 1)
    assert everything.events_held > 100  # the figures are real, not a table of zeros
    assert rendered.filename == f"keskustoimiston-yhteenveto_{today.isoformat()}.pdf"


def test_every_page_has_the_header_period_and_page_number(fi_all, today):
    rendered = fi_all
    pages = page_lines(rendered.data)
    assert rendered.pages == len(pages) >= 3
    assert page_labels(rendered.data) == [(i, len(pages)) for i in range(1, len(pages) + 1)]
    for page in pages:
        assert "Ajanjakso: kaikki yhdistetyt tiedot" in page and f"Laadittu {today.day}.{today.month}.{today.year}" in page
    # The county x method table runs over pages: its header row comes again on the next one.
    continued = [page for page in pages[1:] if "Hyvinvointialue" in page and "Menetelmä" in page]
    assert len(continued) >= 2


def test_finnish_and_swedish_headings_fonts_and_metadata(merged, fi_all, today):
    fi = fi_all
    fi_text = lines(fi.data)
    for heading in ("Hyvinvointialueittain", "Menetelmittäin", "Hyvinvointialueittain ja menetelmittäin"):
        assert heading in fi_text
    sv = render(merged, "sv", today)
    sv_text = lines(sv.data)
    assert "Centralkansliets sammandrag" in sv_text and "Per välfärdsområde" in sv_text and "Per metod" in sv_text
    assert "Västra Nyland" in sv_text and f"sida 1 / {sv.pages}" in sv_text and "Period: alla sammanslagna uppgifter" in sv_text
    assert catalog_lang(sv.data) == "sv-FI" and catalog_lang(fi.data) == "fi-FI"
    assert all(fonts(fi.data).values()) and fonts(fi.data)
    info = reader(fi.data).metadata
    assert info.title == "Keskustoimiston yhteenveto" and info.subject.startswith("Keskustoimiston yhteenveto")


def test_a_period_is_printed_and_counted(merged, merge_exports, today):
    start, end = today - dt.timedelta(days=365), today
    rendered = render(merged, "en", today, Span(start, end))
    text = lines(rendered.data)
    dates = f"{start.day}.{start.month}.{start.year}–{end.day}.{end.month}.{end.year}"
    assert dates in text and f"Period {dates}" in text  # the subtitle, and the header line of every page
    _counties, _cells, everything = national(merge_exports.coordinators.values(), end, start, end)
    assert row_figures(after(text, "Total", 11)) == expected(everything, 4)


def test_page_one_as_an_image(fi_all, tmp_path):
    png = to_png(fi_all.data, tmp_path, "central")
    assert png.stat().st_size > 10_000
