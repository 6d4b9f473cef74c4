"""app.pdf.blocks: a table header's words stay whole in a narrow column."""

from __future__ import annotations

import pytest

from app.pdf import blocks as b
from app.pdf.document import register_fonts


@pytest.fixture(autouse=True, scope="module")
def fonts():
    register_fonts()  # the embedded fonts' metrics measure the words


def words_on_lines(text: str, width: float, style=b.HEAD) -> tuple[list[str], float]:
    cell = b.head_cell(text, style, width)
    cell.wrap(width - 2 * b.CELL_PADDING, 1000)
    return [word for line in cell.blPara.lines for word in line[1]], cell.style.fontSize


def test_a_long_compound_word_shrinks_the_header_instead_of_breaking():
    words, size = words_on_lines("Utbildade yrkespersoner", 60)
    assert words == ["Utbildade", "yrkespersoner"]
    assert b.HEAD_MIN_SIZE <= size < b.HEAD.fontSize


def test_a_header_that_fits_keeps_the_tables_size():
    words, size = words_on_lines("Utbildade yrkespersoner", 200)
    assert (words, size) == (["Utbildade", "yrkespersoner"], b.HEAD.fontSize)


def test_below_the_smallest_size_the_word_is_left_to_break():
    words, size = words_on_lines("Menetelmäohjaustilaisuudet", 30)
    assert size == b.HEAD_MIN_SIZE
    assert "Menetelmäohjaustilaisuudet" not in words  # unreadably small is worse than a break


def test_a_group_heading_fits_the_columns_it_spans():
    table = b.table(["Timmar", "Tillfällen"], [["1", "2"]], [0.1, 0.1], groups=[("Handledningstillfällen", 2)])
    group = table._cellvalues[0][0]
    assert group.style.fontSize == b.HEAD_GROUP.fontSize  # two columns wide: no need to shrink


# -- body cells: a word is never cut in two ------------------------------------------------


def cell_words(table, row: int, column: int) -> tuple[list[str], float]:
    """The words on the lines of a body cell as the table lays it out, and the cell's font size."""
    cell = table._cellvalues[row][column]
    cell.wrap(table._colWidths[column] - 2 * b.CELL_PADDING, 1000)
    return [word for line in cell.blPara.lines for word in line[1]], cell.style.fontSize


def test_a_long_word_widens_its_column_from_the_others_room():
    # The unit PDF's events: "Vertaismentorointiryhmän" is wider than a quarter of a narrow table.
    table = b.table(
        ["Tapahtuma", "Tyyppi"],
        [["Kevään työpaja", "Vertaismentorointiryhmän tapaaminen"]],
        [0.75, 0.25],
        width=400,
    )
    words, size = cell_words(table, 1, 1)
    assert words == ["Vertaismentorointiryhmän", "tapaaminen"]
    assert size == b.CELL.fontSize
    assert sum(table._colWidths) == pytest.approx(400)  # the table keeps its width


def test_without_room_to_take_the_cell_is_set_smaller_not_cut():
    table = b.table(
        ["Tyyppi", "Tyyppi"],
        [["Vertaismentorointiryhmän", "Menetelmäohjaustilaisuudet"]],
        [0.5, 0.5],
        width=220,
    )
    for column in (0, 1):
        words, size = cell_words(table, 1, column)
        assert len(words) == 1 and b.CELL_MIN_SIZE <= size < b.CELL.fontSize


def test_a_plain_date_column_grows_to_its_whole_text():
    # Dates and times never wrap: their column is as wide as "13.10.2026 14.00".
    table = b.table(
        ["Päivämäärä", "Tapahtuma"], [["13.10.2026 14.00", "Menetelmäohjaus: IPT kevät 2026"]], [0.1, 0.9], plain=(0,)
    )
    assert table._colWidths[0] >= b.stringWidth("13.10.2026 14.00", b.FONT, 8.5) + 2 * b.CELL_PADDING


def test_fitted_columns_keep_the_total_and_spare_what_has_no_room():
    assert b.fit_columns([100, 100], [50, 150]) == [50, 150]
    assert b.fit_columns([100, 100], [90, 150]) == pytest.approx([90, 110])  # only the spare 10 is given
    assert b.fit_columns([100, 100], [40, 40]) == [100, 100]  # nothing short: unchanged


# -- one-line text as plain strings (issue 17): the same layout, without a paragraph per cell ------


def laid_out(table) -> list[float]:
    table.wrap(b.CONTENT_WIDTH, 10_000)
    return list(table._rowHeights)


def test_text_that_fits_on_a_line_is_a_plain_string_and_the_rows_keep_their_heights(monkeypatch):
    header, widths = ["Yksikkö", "Pidetyt", "Tunnit"], [0.3, 0.35, 0.35]
    rows = [["Kotihoito itä", "12", "3,5"], ["Hyvinvointialueen psykiatrian poliklinikka ja päivystys", "1 204", "17,0"]]
    table = b.table(header, rows, widths, numeric=(1, 2), total=["Yhteensä", "1 216", "20,5"])
    cells = [row[0] for row in table._cellvalues[1:]]
    assert cells[0] == "Kotihoito itä" and cells[2] == "Yhteensä"  # plain strings
    assert isinstance(cells[1], b.Paragraph)  # the long name still wraps, within its column
    with monkeypatch.context() as m:
        m.setattr(b, "_fits", lambda *args: False)  # every text cell a paragraph, as before
        as_paragraphs = b.table(header, rows, widths, numeric=(1, 2), total=["Yhteensä", "1 216", "20,5"])
    assert laid_out(table) == laid_out(as_paragraphs)
    assert laid_out(table)[1] == b.CELL.leading + 5  # one line and the paddings, as a paragraph's


def test_markup_characters_and_folded_spaces_stay_in_paragraphs():
    table = b.table(["Yksikkö", "N"], [["A & B", "1"], ["Kaksi  välilyöntiä", "2"]], [0.5, 0.5], numeric=(1,))
    assert table._cellvalues[1][0] == "A & B"  # drawn as it is, no markup to read
    assert isinstance(table._cellvalues[2][0], b.Paragraph)  # a paragraph folds the spaces: it stays one
