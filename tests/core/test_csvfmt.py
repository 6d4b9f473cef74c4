"""The CSV dialect Excel opens on a Finnish laptop, the formula guard, and the strict reader."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from app.core import csvfmt
from app.core.csvfmt import neutralise, read_csv, restore, write_csv

# Any text a cell can hold: every code point but the lone surrogates UTF-8 cannot encode.
cell_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
TRIGGER_CHARS = sorted(csvfmt.TRIGGERS)


def plain_read(data: bytes) -> list[list[str]]:
    """Read back the way the issue asks: check the BOM and CRLF by hand, then a csv.reader that sniffs nothing."""
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@given(cell_text)
def test_restore_undoes_neutralise_for_every_text(text):
    assert restore(neutralise(text)) == text


@given(cell_text)
def test_no_neutralised_cell_starts_with_a_trigger(text):
    assert neutralise(text)[:1] not in csvfmt.TRIGGERS


def test_triggers_and_apostrophes_get_exactly_one_apostrophe():
    for cell in ['=HYPERLINK("http://x";"y")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'", "'=1"]:
        assert neutralise(cell) == "'" + cell
    for cell in ["", "abc", "1-2", "Äänekoski", " =1", "a=b"]:
        assert neutralise(cell) == cell


def test_restore_leaves_an_apostrophe_it_did_not_add():
    # neutralise() never makes these, so restore() has nothing to take away.
    for cell in ["'", "'abc", "'1"]:
        assert restore(cell) == cell


def test_written_bytes_are_excel_s_finnish_dialect():
    data = write_csv(["id", "name", "notes"], [["1", "Äänekosken terveysasema", 'rivi 1\nrivi 2; "lainaus"']])
    assert data.startswith(csvfmt.BOM_BYTES)
    body = data[3:]
    assert body.count(b"\r\n") == 2 and body.endswith(b"\r\n")  # the header and the row end in CRLF; the LF inside the note stays
    assert body.split(b"\r\n")[0] == b"id;name;notes"
    assert "Äänekosken".encode() in body
    assert b'"rivi 1\nrivi 2; ""lainaus"""' in body  # quoted only because of ; " and the newline
    assert plain_read(data) == [["id", "name", "notes"], ["1", "Äänekosken terveysasema", 'rivi 1\nrivi 2; "lainaus"']]


def test_formula_cells_are_neutralised_in_the_bytes_and_restored_by_the_reader():
    cells = ['=HYPERLINK("http://evil.example";"klik")', "+1", "-2", "@SUM(A1:A9)", "\t=1", "\r=1", "'quoted"]
    data = write_csv(["a"] * len(cells), [cells])
    raw = plain_read(data)[1]
    assert all(cell.startswith("'") for cell in raw)  # what Excel sees: text, never a formula
    assert read_csv(data).records == [(2, cells)]


@given(st.lists(st.lists(cell_text, min_size=3, max_size=3), max_size=5))
def test_any_rows_survive_the_trip(rows):
    data = write_csv(["a", "b", "c"], rows)
    parsed = read_csv(data)
    assert parsed.problems == [] and parsed.complete
    assert [cells for _line, cells in parsed.records] == rows
    assert parsed.rows == len(rows)
    # A plain csv.reader (no sniffing) sees the same cells, neutralised.
    assert plain_read(data)[1:] == [[neutralise(c) for c in row] for row in rows]


def test_line_numbers_count_physical_lines():
    data = write_csv(["a", "b"], [["x", "two\r\nlines"], ["y", "z"]])
    assert [line for line, _ in read_csv(data).records] == [2, 4]


def test_no_bom_is_reported_and_reading_stops():
    result = read_csv(b"a;b\r\n1;2\r\n")
    assert [(p.line, p.code) for p in result.problems] == [(1, csvfmt.NO_BOM)]
    assert result.records == []


def test_not_utf8_names_the_line():
    data = csvfmt.BOM_BYTES + "a;b\r\n1;2\r\nLänsi;x\r\n".encode("cp1252")
    result = read_csv(data)
    assert [(p.line, p.code) for p in result.problems] == [(3, csvfmt.NOT_UTF8)]


def test_utf16_is_not_utf8_with_bom():
    result = read_csv("a;b\r\n".encode("utf-16"))
    assert [p.code for p in result.problems] == [csvfmt.NO_BOM]


def test_comma_delimiter_is_detected_from_the_header():
    result = read_csv(csvfmt.BOM_BYTES + b"id,name\r\n1,x\r\n")
    assert [(p.line, p.code) for p in result.problems] == [(1, csvfmt.COMMA_DELIMITER)]


def test_wrong_cell_count_names_the_line_and_reading_goes_on():
    result = read_csv(csvfmt.BOM_BYTES + b"a;b\r\n1;2;3\r\n4;5\r\n6\r\n")
    assert [(p.line, p.code, p.params) for p in result.problems] == [
        (2, csvfmt.COLUMN_COUNT, {"expected": 2, "found": 3}),
        (4, csvfmt.COLUMN_COUNT, {"expected": 2, "found": 1}),
    ]
    assert result.records == [(3, ["4", "5"])] and result.rows == 3


def test_a_huge_field_names_its_line_and_column():
    huge = "x" * 200_000  # beyond the csv module's own 131 072 limit too
    data = write_csv(["a", "b"], [["1", "ok"], ["2", huge]])
    result = read_csv(data)
    assert [(p.line, p.code, p.column) for p in result.problems] == [(3, csvfmt.FIELD_TOO_LARGE, 1)]
    assert result.problems[0].params == {"length": 200_000, "limit": csvfmt.EXCEL_CELL_LIMIT}


def test_a_stray_quote_stops_reading_at_its_line():
    result = read_csv(csvfmt.BOM_BYTES + b'a;b\r\n1;2\r\n"x"y;3\r\n4;5\r\n')
    assert [(p.line, p.code) for p in result.problems] == [(3, csvfmt.MALFORMED)]
    assert not result.complete


def test_empty_file_and_empty_header():
    assert [p.code for p in read_csv(b"").problems] == [csvfmt.EMPTY]
    assert [p.code for p in read_csv(csvfmt.BOM_BYTES).problems] == [csvfmt.EMPTY]


def test_problems_beyond_the_limit_are_counted_not_kept():
    data = csvfmt.BOM_BYTES + b"a;b\r\n" + b"1\r\n" * 150
    result = read_csv(data, max_problems=100)
    assert len(result.problems) == 100 and result.more_problems == 50


@given(st.text(st.sampled_from('a;"\r\n\x0c\u2028ä'), max_size=60))
def test_lines_are_what_a_stringio_gives_one_at_a_time(text):
    assert list(csvfmt.lines(text)) == list(io.StringIO(text, newline=""))


@given(st.lists(st.lists(cell_text, min_size=2, max_size=2), max_size=5))
def test_header_and_rows_written_in_pieces_are_write_csv(rows):
    header = ["a", "=b"]
    guarded = [[neutralise(cell) for cell in row] for row in rows]
    pieces = csvfmt.header_bytes(header) + b"".join(csvfmt.rows_bytes([row]) for row in guarded)
    assert pieces == write_csv(header, rows)
