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
