"""A survey tool's export (CSV or XLSX bytes) as a header and rows of cells, in memory.

app.core.survey_file maps and counts what this reads. Nothing is written anywhere; the bytes
are never trusted: every way a file can be wrong ends in a Problem (a reason code, where it
is), never in an exception reaching the caller.

CSV: ';', ',' or TAB (sniffed from the first rows); UTF-8 with or without a byte order mark,
else Windows-1252 (what Excel on a Finnish Windows saves as "CSV"); UTF-16 with its mark. Bytes valid in neither
are kept as lone surrogates (surrogateescape) so that the cell holding them can be named.
XLSX: openpyxl in read-only mode (rows streamed from the zip, cached formula values).
Line numbers are rows as a spreadsheet shows them (1-based, header included; a CSV record
with a line break inside a quoted cell is one row, as Excel shows it).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000  # data rows holding anything, header not counted
MAX_COLUMNS = 500
MAX_CELL = 1_000  # characters in a header or in a cell of a mapped column
# A 20 MB XLSX can unpack to gigabytes (a zip bomb); real exports unpack to about 10x.
MAX_UNPACKED = 400 * 1024 * 1024

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text" (tab-delimited UTF-16)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Excel 97-2003, or an encrypted XLSX
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML package holds
ZIP = b"PK\x03\x04"
DELIMITERS = (";", ",", "\t")  # ';' first: Excel's own on a Finnish Windows, so it wins a tie
SNIFF_CHARS = 64 * 1024
SNIFF_ROWS = 50

_INVALID = re.compile("[\udc80-\udcff]")  # a byte the encoding could not read (surrogateescape)
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
# surrogateescape's mark for a broken sequence where that handler has none (UTF-16's odd byte).
_MARK_INVALID = "koordi-survey-invalid"


def _mark_invalid(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "\udcff", error.end


codecs.register_error(_MARK_INVALID, _mark_invalid)


class Reason(StrEnum):
    """Why a file or a cell cannot be counted; the UI words them (params in brackets)."""

    TOO_BIG = "too_big"  # (size, limit) bytes; XLSX: unpacked size
    TOO_MANY_ROWS = "too_many_rows"  # (limit)
    TOO_MANY_COLUMNS = "too_many_columns"  # (columns, limit)
    EMPTY = "empty"  # no header row
    NOT_XLSX = "not_xlsx"  # named or packed as XLSX but not a readable workbook (not a zip, damaged)
    ENCRYPTED = "encrypted"  # a password-protected workbook: save it without the password
    OLD_XLS = "old_xls"  # an Excel 97-2003 .xls: save it as .xlsx or .csv
    MALFORMED = "malformed"  # CSV quoting that cannot be read
    INVALID_BYTES = "invalid_bytes"  # (encoding) bytes that are not text in the detected encoding
    CELL_TOO_LONG = "cell_too_long"  # (length, limit)
    EXTRA_CELLS = "extra_cells"  # (cells, header_cells) a CSV row longer than its header: columns shifted
    DUPLICATE_ITEM = "duplicate_item"  # (item, other_column, other_letter) two columns for one item
    IDENTITY_CODE = "identity_code"  # an answer holding an identity code (never echoed)
    NO_ITEMS = "no_items"  # no column is mapped to an item of the instrument
    NO_RESPONDENTS = "no_respondents"  # mapped columns, but no row answers any of them
    MORE_PROBLEMS = "more_problems"  # (count) problems beyond the ones listed


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based row as a spreadsheet shows it (the header is row 1 in most files)
    column: str | None  # the column's header text
    letter: str | None  # the column's letter (A, B, … AA) as a spreadsheet shows it
    reason: Reason
    params: Mapping[str, object] = field(default_factory=dict, compare=False)


class FileKind(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


Rows = Generator[tuple[int, Sequence[object]], None, None]  # (line, cells)


def _no_rows() -> Rows:
    yield from ()


@dataclass
class Table:
    """What was read: rows is an iterator (a large file is never held as cells all at once)."""

    kind: FileKind
    encoding: str | None = None  # "utf-8", "utf-8-sig", "cp1252", "utf-16"; None for XLSX
    delimiter: str | None = None  # None for XLSX
    sheet: str | None = None  # the XLSX sheet read (the first one)
    invalid_bytes: bool = False  # some cells may hold undecodable bytes: check them
    header_line: int = 0
    header: list[str] = field(default_factory=list)
    rows: Rows = field(default_factory=lambda: _no_rows())
    problems: list[tuple[int | None, Reason, dict[str, object]]] = field(default_factory=list)  # file level


def letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    out = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def text(value: object) -> str | None:
    """A cell as the text a spreadsheet shows, stripped; None for a blank cell."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float: 7.0 is the answer "7"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip() or None


def has_invalid(cell: str) -> bool:
    return _INVALID.search(cell) is not None


def open_table(data: bytes, file_name: str) -> Table:
    """The file's header and rows, or a Table whose problems say why it cannot be read."""
    looks_xlsx = file_name.lower().endswith((".xlsx", ".xlsm"))
    kind = FileKind.XLSX if looks_xlsx or data.startswith((ZIP, OLE)) else FileKind.CSV
    table = Table(kind)
    if len(data) > MAX_BYTES:
        table.problems.append((None, Reason.TOO_BIG, {"size": len(data), "limit": MAX_BYTES}))
        return table
    if kind is FileKind.XLSX:
        _open_xlsx(table, data)
    else:
        _open_csv(table, data)
    if not table.problems:
        _read_header(table)
    return table


def _read_header(table: Table) -> None:
    for line, row in table.rows:
        cells = [text(v) or "" for v in row]
        if any(cells):
            while cells and not cells[-1]:
                cells.pop()  # Excel's and the tools' trailing empty columns
            table.header_line, table.header = line, cells
            if len(cells) > MAX_COLUMNS:
                table.problems.append((line, Reason.TOO_MANY_COLUMNS, {"columns": len(cells), "limit": MAX_COLUMNS}))
            return
    if not table.problems:  # a damaged sheet already said why nothing came
        table.problems.append((None, Reason.EMPTY, {}))


# --- CSV -----------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, whether some bytes were invalid in it).

    UTF-8 when the bytes are valid UTF-8 (or carry its byte order mark); else Windows-1252,
    unless the file is mostly well-formed UTF-8 with a few broken bytes (then those bytes,
    not the whole file, are the problem: read as Windows-1252 every ä would turn into "Ã¤").
    UTF-16 only with its byte order mark, as Excel writes it.
    """
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16", False
        except UnicodeDecodeError:
            return data.decode("utf-16", _MARK_INVALID), "utf-16", True
    body, encoding = (data[len(BOM) :], "utf-8-sig") if data.startswith(BOM) else (data, "utf-8")
    try:
        return body.decode("utf-8"), encoding, False
    except UnicodeDecodeError:
        pass
    as_utf8 = body.decode("utf-8", "surrogateescape")
    broken = len(_INVALID.findall(as_utf8))
    if encoding == "utf-8-sig" or len(_NON_ASCII.findall(as_utf8)) > broken:
        return as_utf8, encoding, True
    try:
        return data.decode("cp1252"), "cp1252", False
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D mean nothing in Windows-1252
        return data.decode("cp1252", "surrogateescape"), "cp1252", True


def sniff(text_: str) -> str:
    """The delimiter that splits the first rows into the most columns, the same number in each row."""
    sample = text_[:SNIFF_CHARS]
    best, best_score = DELIMITERS[0], (False, -1, -1)
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            rows = [r for r in itertools.islice(reader, SNIFF_ROWS) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        score = (width > 1, sum(1 for r in rows[1:] if len(r) == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(table: Table, data: bytes) -> None:
    decoded, table.encoding, table.invalid_bytes = decode(data)
    table.delimiter = sniff(decoded)
    table.rows = _csv_rows(table, decoded, table.delimiter)


def _csv_rows(table: Table, decoded: str, delimiter: str) -> Rows:
    # Records, not physical lines: a quoted cell with a line break is one spreadsheet row.
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
    line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            table.problems.append((line + 1, Reason.MALFORMED, {}))
            return
        line += 1
        yield line, row


# --- XLSX ----------------------------------------------------------------------------------------


def _open_xlsx(table: Table, data: bytes) -> None:
    if data.startswith(OLE):
        reason = Reason.ENCRYPTED if ENCRYPTION_INFO in data else Reason.OLD_XLS
        table.problems.append((None, reason, {}))
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        table.problems.append((None, Reason.NOT_XLSX, {}))
        return
    if unpacked > MAX_UNPACKED:
        table.problems.append((None, Reason.TOO_BIG, {"size": unpacked, "limit": MAX_UNPACKED}))
        return
    import openpyxl  # here: the app starts without it; only an XLSX import needs it

    try:
        with warnings.catch_warnings():  # "no default style", unsupported extensions: nothing for the user
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises whatever its parsers raise on a damaged package: all mean "not readable"
        table.problems.append((None, Reason.NOT_XLSX, {}))
        return
    sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
    if not sheets:
        workbook.close()
        table.problems.append((None, Reason.EMPTY, {}))
        return
    sheet = sheets[0]
    table.sheet = str(sheet.title)
    # The stored dimension may claim A1:XFD1048576: without it openpyxl pads nothing and
    # yields only the rows and cells the sheet holds.
    sheet.reset_dimensions()
    table.rows = _xlsx_rows(table, workbook, sheet)


def _xlsx_rows(table: Table, workbook: Any, sheet: Any) -> Rows:
    line = 0
    try:
        for row in sheet.iter_rows(values_only=True):
            line += 1
            yield line, row
    except Exception:  # a damaged sheet part shows only while streaming: the row it stopped at
        table.problems.append((line + 1, Reason.NOT_XLSX, {}))
    finally:
        workbook.close()
