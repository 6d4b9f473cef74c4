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
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")
DELIMITER = ";"
LINE_END = "\r\n"
QUOTE = '"'
# The first characters that make a spreadsheet treat a cell as a formula (OWASP's list).
TRIGGERS = frozenset("=+-@\t\r")
GUARD = "'"
_GUARDED = TRIGGERS | {GUARD}  # the first characters neutralise() puts an apostrophe before
# Does neutralise() change this cell? As a C-level match: a writer checks a whole column at once.
needs_guard = re.compile("[" + re.escape("".join(sorted(_GUARDED))) + "]").match
# Excel's limit for the characters in one cell: a longer cell is cut when the file opens.
EXCEL_CELL_LIMIT = 32_767


class CsvCode(StrEnum):
    """Problem codes of read_csv (the caller words them)."""

    NO_BOM = "no_bom"
    NOT_UTF8 = "not_utf8"
    EMPTY = "empty"
    COMMA_DELIMITER = "comma_delimiter"
    COLUMN_COUNT = "column_count"
    FIELD_TOO_LARGE = "field_too_large"
    MALFORMED = "malformed"


NO_BOM = CsvCode.NO_BOM
NOT_UTF8 = CsvCode.NOT_UTF8
EMPTY = CsvCode.EMPTY
COMMA_DELIMITER = CsvCode.COMMA_DELIMITER
COLUMN_COUNT = CsvCode.COLUMN_COUNT
FIELD_TOO_LARGE = CsvCode.FIELD_TOO_LARGE
MALFORMED = CsvCode.MALFORMED


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
    return GUARD + cell if cell[:1] in _GUARDED else cell


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


def header_bytes(header: Sequence[str]) -> bytes:
    """The start of a file that is written in pieces: BOM and header (see rows_bytes)."""
    return BOM_BYTES + rows_bytes([header])


def rows_bytes(rows: Iterable[Sequence[str]]) -> bytes:
    """Rows in the dialect, cells as given: the caller has neutralised them. header_bytes() and
    then rows_bytes() of each piece of the rows make exactly write_csv's bytes."""
    out = io.StringIO(newline="")
    csv.writer(out, dialect=DIALECT).writerows(rows)
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class CsvProblem:
    line: int  # 1-based physical line of the file where the record starts
    code: str
    column: int | None = None  # 0-based cell index, when one cell is at fault
    params: dict[str, object] = field(default_factory=dict)


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
    # which cell. Lifting its (process-wide) limit lets the reader report the cell itself;
    # the size of a whole file is capped by whoever hands the bytes in.
    limit = 2**31 - 1  # a C long on Windows
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


# A line as io.StringIO(text, newline="") gives it: up to and with CR LF, CR or LF, or the rest.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def lines(text: str) -> Iterator[str]:
    """The lines of text as io.StringIO(text, newline="") iterates them, one at a time: a
    StringIO holds a copy of the text at four bytes a character, five times a large file."""
    return map(re.Match.group, _LINE.finditer(text))  # each match's whole text, with no Python frame per line


class CsvReader:
    """Parse the dialect strictly, sniffing nothing; problems instead of exceptions.

    The header is read at once; iterating yields (line, restored cells) of every good
    row, one at a time (a large file is never held as lists of cells all at once).
    Encoding, delimiter and quoting problems stop the reading (nothing after them can
    be trusted); row-level ones (wrong cell count, a cell too large) are collected up
    to max_problems. Line numbers count physical lines (CR, LF or CRLF end one), so a
    note with a line break makes its record two lines long.
    """

    def __init__(self, data: bytes, *, max_field: int = EXCEL_CELL_LIMIT, max_problems: int = 100):
        self.header: list[str] = []
        self.problems: list[CsvProblem] = []
        self.rows = 0
        self.more_problems = 0
        self.complete = False
        self._max_field = max_field
        self._max_problems = max_problems
        self._reader = None
        self._start = 1
        self._sizes_checked = self._restores = True
        text = self._decode(data)
        if text is None:
            return
        # Two checks of every row that a look at the whole text can settle at once (issue 17: a
        # merge reads ~900 000 rows): no cell is longer than the text, and with no apostrophe in
        # the text no cell was neutralised.
        self._sizes_checked = max_field < len(text)
        self._restores = GUARD in text
        _allow_large_fields()
        self._reader = csv.reader(lines(text), dialect=DIALECT)
        try:
            self.header = next(self._reader)
            self._start = self._reader.line_num + 1
        except (csv.Error, StopIteration):
            self.problems.append(CsvProblem(1, MALFORMED))
            self._reader = None

    def _decode(self, data: bytes) -> str | None:
        if not data:
            self.problems.append(CsvProblem(1, EMPTY))
            return None
        if not data.startswith(BOM_BYTES):
            self.problems.append(CsvProblem(1, NO_BOM))
            return None
        try:
            text = data[len(BOM_BYTES) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, len(BOM_BYTES) + exc.start) + 1
            self.problems.append(CsvProblem(line, NOT_UTF8))
            return None
        first_line = text.split("\n", 1)[0]
        if not first_line.strip():
            self.problems.append(CsvProblem(1, EMPTY))
            return None
        if DELIMITER not in first_line and "," in first_line:
            self.problems.append(CsvProblem(1, COMMA_DELIMITER))
            return None
        return text

    def _report(self, found: list[CsvProblem]) -> None:
        room = max(0, self._max_problems - len(self.problems))
        self.problems.extend(found[:room])
        self.more_problems += len(found[room:])

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        if reader is None:
            return
        self._reader = None  # one pass
        expected = len(self.header)
        max_field = self._max_field
        sizes_checked, restores = self._sizes_checked, self._restores
        try:
            for cells in reader:
                line, self._start = self._start, reader.line_num + 1
                self.rows += 1
                if len(cells) != expected:
                    self._report([CsvProblem(line, COLUMN_COUNT, params={"expected": expected, "found": len(cells)})])
                    continue
                if sizes_checked and max(map(len, cells), default=0) > max_field:
                    self._report(
                        [
                            CsvProblem(line, FIELD_TOO_LARGE, column=i, params={"length": len(cell), "limit": max_field})
                            for i, cell in enumerate(cells)
                            if len(cell) > max_field
                        ]
                    )
                    continue
                yield line, [restore(cell) if cell[:1] == GUARD else cell for cell in cells] if restores else cells
            self.complete = True
        except csv.Error:
            # Only an unbalanced quote or a stray character after a closing quote gets here:
            # the parser cannot find its place again, so reading stops at that line.
            self.problems.append(CsvProblem(self._start, MALFORMED))


def read_csv(data: bytes, *, max_field: int = EXCEL_CELL_LIMIT, max_problems: int = 100) -> CsvData:
    """Everything CsvReader reads, at once (for small files and tests)."""
    reader = CsvReader(data, max_field=max_field, max_problems=max_problems)
    records = list(reader)
    return CsvData(reader.header, records, reader.problems, reader.rows, reader.more_problems, reader.complete)
