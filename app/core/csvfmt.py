"""The CSV dialect of Koordi's files, the formula-injection guard, and a strict reader.

Files are for Excel on a Finnish-locale Windows laptop, opened by double-click:
- UTF-8 with a byte order mark (without it Excel reads ä and ö as mojibake);
- ';' between cells (the comma is the Finnish decimal mark, so Excel splits on ';');
- CRLF line ends, a header row, RFC 4180 quoting: a cell is quoted only when it
  holds ';', '"', CR or LF, and a '"' inside is doubled.

Formula injection: a cell that starts with = + - @ TAB or CR could run as a formula
when the file is opened. neutralise() puts an apostrophe in front of it, and also in
front of a cell that already starts with an apostrophe, so that restore() can take
exactly the one it added away and every text survives the trip unchanged.

The reader never raises on bad input: it returns the records it could read and the
problems it found as codes with the line number, for the caller to translate.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Iterable, Sequence

BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")
DELIMITER = ";"
LINE_END = "\r\n"
QUOTE = '"'
# The first characters that make a spreadsheet treat a cell as a formula (OWASP's list).
TRIGGERS = frozenset("=+-@\t\r")
GUARD = "'"
# Excel's limit for the characters in one cell: a longer cell is cut when the file opens.
EXCEL_CELL_LIMIT = 32_767

# Problem codes of read_csv (the caller words them).
NO_BOM = "no_bom"
NOT_UTF8 = "not_utf8"
EMPTY = "empty"
COMMA_DELIMITER = "comma_delimiter"
COLUMN_COUNT = "column_count"
FIELD_TOO_LARGE = "field_too_large"
MALFORMED = "malformed"


class _Dialect(csv.Dialect):
    delimiter = DELIMITER
    quotechar = QUOTE
    doublequote = True
    skipinitialspace = False
    lineterminator = LINE_END
    quoting = csv.QUOTE_MINIMAL
    strict = True  # a stray quote is an error, not a guess


DIALECT = _Dialect


def neutralise(cell: str) -> str:
    """The cell as written to a file: an apostrophe before a formula trigger (or an apostrophe)."""
    if cell and (cell[0] in TRIGGERS or cell[0] == GUARD):
        return GUARD + cell
    return cell


def restore(cell: str) -> str:
    """The original of a neutralised cell: drops the one apostrophe neutralise() added.

    An apostrophe is taken away only where neutralise() would have put one, that is
    when the next character is a trigger or an apostrophe; any other cell is left as is.
    """
    if len(cell) >= 2 and cell[0] == GUARD and (cell[1] in TRIGGERS or cell[1] == GUARD):
        return cell[1:]
    return cell


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """The file's bytes: BOM, header, rows; every cell neutralised. Cells must be str."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect=DIALECT)
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return BOM_BYTES + out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class CsvProblem:
    line: int  # 1-based physical line of the file where the record starts
    code: str
    column: int | None = None  # 0-based cell index, when one cell is at fault
    params: dict = field(default_factory=dict)


@dataclass
class CsvData:
    header: list[str] = field(default_factory=list)
    records: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, restored cells)
    problems: list[CsvProblem] = field(default_factory=list)
    rows: int = 0  # data rows seen, good and bad
    more_problems: int = 0  # problems beyond max_problems, counted but not kept
    complete: bool = False  # the whole file was read (no encoding, delimiter or quoting stop)


def _allow_large_fields() -> None:
    # The csv module stops at 131 072 characters a field with an error that cannot say
    # which cell. Lifting its (process-wide) limit lets read_csv report the cell itself;
    # the size of a whole file is capped by whoever hands the bytes in.
    limit = 2**31 - 1  # a C long on Windows
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


def read_csv(data: bytes, *, max_field: int = EXCEL_CELL_LIMIT, max_problems: int = 100) -> CsvData:
    """Parse the dialect strictly; sniff nothing. Problems instead of exceptions.

    Encoding and delimiter problems stop the reading (nothing after them can be trusted);
    row-level ones (wrong cell count, a cell too large) are collected up to max_problems.
    """
    result = CsvData()
    if not data:
        result.problems.append(CsvProblem(1, EMPTY))
        return result
    if not data.startswith(BOM_BYTES):
        result.problems.append(CsvProblem(1, NO_BOM))
        return result
    try:
        text = data[len(BOM_BYTES):].decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, len(BOM_BYTES) + exc.start) + 1
        result.problems.append(CsvProblem(line, NOT_UTF8))
        return result
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        result.problems.append(CsvProblem(1, EMPTY))
        return result
    if DELIMITER not in first_line and "," in first_line:
        result.problems.append(CsvProblem(1, COMMA_DELIMITER))
        return result

    _allow_large_fields()
    reader = csv.reader(io.StringIO(text, newline=""), dialect=DIALECT)
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not result.header and line == 1:
                result.header = cells
                continue
            result.rows += 1
            row_problems = _check_row(line, cells, len(result.header), max_field)
            if row_problems:
                room = max(0, max_problems - len(result.problems))
                result.problems.extend(row_problems[:room])
                result.more_problems += len(row_problems[room:])
                continue
            result.records.append((line, [restore(cell) for cell in cells]))
        result.complete = True
    except csv.Error:
        # Only an unbalanced quote or a stray character after a closing quote gets here:
        # the parser cannot find its place again, so reading stops at that line.
        result.problems.append(CsvProblem(start, MALFORMED))
    return result


def _check_row(line: int, cells: list[str], expected: int, max_field: int) -> list[CsvProblem]:
    if len(cells) != expected:
        return [CsvProblem(line, COLUMN_COUNT, params={"expected": expected, "found": len(cells)})]
    return [
        CsvProblem(line, FIELD_TOO_LARGE, column=i, params={"length": len(cell), "limit": max_field})
        for i, cell in enumerate(cells)
        if len(cell) > max_field
    ]
