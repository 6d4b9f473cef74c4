"""app.pdf.spans: a table with spanned cells lays out and draws exactly as reportlab's own Table."""

from __future__ import annotations

import datetime as dt

import pytest
from reportlab import rl_config
from reportlab.platypus import Table, TableStyle

from app.pdf import blocks as b
from app.pdf.document import FONT, DocumentInfo, PageCounter, build_pdf, register_fonts
from app.pdf.spans import SpanRanges, SpanTable
from app.pdf.text import Texts
from tests.reports.pdftools import page_lines


@pytest.fixture(autouse=True, scope="module")
def fonts():
    register_fonts()


def units_pdf(monkeypatch, table_class) -> tuple[bytes, int]:
    """A landscape page's 'By unit' table of 150 units, made with `table_class`."""
    monkeypatch.setattr(rl_config, "invariant", 1)  # no creation date or random id: the bytes compare
    monkeypatch.setattr(b, "SpanTable", table_class)
    rows = [
        [f"Yksikkö {i:03} {'pitkä nimi joka rivittyy kahdelle riville ' * (i % 7 == 0)}", *map(str, range(i, i + 8))]
        for i in range(150)
    ]
    header = ["Yksikkö", "Pidetyt", "Suunnitellut", "Ammattilaiset", "Esihenkilöt", "Muut", "Kerrat", "Tunnit", "Ohjatut"]
    table = b.table(
        header,
        rows,
        [0.24] + [0.095] * 8,
        numeric=range(1, 9),
        wide=True,
        groups=[("", 1), ("Tapahtumat", 2), ("Osallistujat pidetyissä", 3), ("Menetelmäohjaus", 3)],
    )
    info = DocumentInfo("Kausiraportti", "Kausiraportti 2026", "Testi Koordinaattori", "Testimaa", "", dt.date(2026, 12, 6))
    counter = PageCounter()
    data = build_pdf(info, Texts("fi"), [b.h2("Yksiköittäin"), table], counter, first_template="landscape")
    return data, counter.pages


def test_a_grouped_header_table_over_several_pages_draws_as_reportlabs_own(monkeypatch):
    ours, our_pages = units_pdf(monkeypatch, SpanTable)
    theirs, their_pages = units_pdf(monkeypatch, Table)
    assert our_pages == their_pages >= 4
    pages = page_lines(ours)
    assert pages == page_lines(theirs)
    assert all("Osallistujat pidetyissä" in " ".join(lines) for lines in pages)  # the group header on every page
    assert ours == theirs  # the same drawing, to the byte


def spanned(table_class):
    data = [["Ryhmä", "", "Toinen", ""], ["a", "b", "c", "d"]] + [[f"r{i}", str(i), "x", "y"] for i in range(40)]
    table = table_class(data, colWidths=[60] * 4, repeatRows=2)
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (-2, 0), (-1, 0)),  # counted from the end
                ("SPAN", (3, 5), (3, 8)),  # a body cell over four rows: no split inside it
                ("GRID", (0, 0), (-1, -1), 0.25, "black"),
            ]
        )
    )
    return table


def test_span_map_answers_as_reportlabs_and_splits_alike():
    ours, theirs = spanned(SpanTable), spanned(Table)
    ours.wrap(300, 10_000)
    theirs.wrap(300, 10_000)
    assert isinstance(ours._spanRanges, SpanRanges)
    assert list(ours._spanRanges.items()) == list(theirs._spanRanges.items())
    assert ours._spanRanges.get((9, 0)) is None and (0, 99) not in ours._spanRanges
    with pytest.raises(KeyError):
        ours._spanRanges[4, 0]
    assert (ours._colSpanCells, ours._rowSpanCells) == (theirs._colSpanCells, theirs._rowSpanCells)
    assert ours._spanRects == theirs._spanRects
    # Split where the row span would be cut: both move the split above it.
    height = sum(theirs._rowHeights[:8])
    ours_parts, their_parts = spanned(SpanTable).split(300, height), spanned(Table).split(300, height)
    assert [p._nrows for p in ours_parts] == [p._nrows for p in their_parts] == [5, 39]


def _chars(count: int) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import getFont

    cmap = getFont(FONT).face.charToGlyph
    return [chr(code) for code in sorted(cmap) if code > 0xA0 and chr(code).isprintable()][:count]


def _cells_pdf(monkeypatch, table_class) -> bytes:
    """A table of one-line text cells (and two of two lines) in every alignment and vertical
    alignment, in more characters than one font subset holds (256): a cell switches subsets."""
    monkeypatch.setattr(rl_config, "invariant", 1)
    chars = _chars(600)
    rows = [["".join(chars[i : i + 12]), f"{i}", "".join(chars[i + 300 : i + 306]) + " A", "keskellä"] for i in range(0, 288, 6)]
    table = table_class(
        [["Vasen", "Oikea", "Keski", "Tyhjä"], *rows, ["rivi\ntoinen rivi", "1\n2", "", None]],
        colWidths=[150, 60, 90, 60],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("ALIGN", (2, 0), (2, -1), "CENTRE"),
                ("VALIGN", (0, 0), (0, -1), "TOP"),
                ("VALIGN", (1, 0), (1, -1), "BOTTOM"),
                ("VALIGN", (2, 0), (3, -1), "MIDDLE"),
                ("TEXTCOLOR", (3, 0), (3, -1), "#336699"),
                ("SPAN", (0, 0), (1, 0)),
            ]
        )
    )
    info = DocumentInfo("Merkit", "Merkit", "Testi Koordinaattori", "Testimaa", "", dt.date(2026, 12, 7))
    return build_pdf(info, Texts("fi"), [table], PageCounter())


def test_text_cells_in_every_alignment_and_font_subset_draw_as_reportlabs_own(monkeypatch):
    ours, theirs = _cells_pdf(monkeypatch, SpanTable), _cells_pdf(monkeypatch, Table)
    assert len(_chars(600)) == 600
    assert b"+1 " in ours  # a second subset of the font was used (its name ends in +1)
    assert ours == theirs
