"""A survey tool's export of individual responses -> counts per answer option per item.

Webropol, Zef and LimeSurvey export a header row, a row per respondent and a column per
question (plus respondent ids, timestamps, other questions). Koordi never keeps individual
answers (FOLLOWUP.md): read() counts them in memory and returns only the counts; the caller
deletes the upload. Nothing here writes anywhere.

Columns map to items by the item code in the header ("CO1", "CO1.", "[CO1]", "Q_CO1",
LimeSurvey's "NOMAD[CO1]", "CO1. Differs …"), by the item's wording (any value of
Item.labels: fi/sv/en, and the coordinator's pasted wording under a key of its own such as
"wording"; numbering like "1. " and trailing punctuation tolerated), or by the caller's
mapping (the one remembered per instrument). Answers map by label (instruments.label_index: fi/sv/en and
synonyms), never by a number: tools code answers in either direction. Only on 0-10 and
points scales is a number the answer. What maps to nothing is a question for the user
(unmapped columns and answers), not a problem; a Problem (a bad cell, a file too large, a
damaged workbook) means nothing may be saved. Problems carry reason codes; the UI words them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.core import hetu
from app.core.instruments import BLANK, Instrument, Item, Scale, label_index, normalise_label, options
from app.core.survey_table import MAX_CELL, MAX_ROWS, FileKind, Problem, Reason, Table, has_invalid, letter, open_table, text

__all__ = ["WILDCARD", "Column", "FileKind", "Problem", "Reason", "Result", "Source", "read"]

WILDCARD = "*"  # an answer mapping for every item (where its option code is one of the item's)
MAX_PROBLEMS = 100  # listed; the rest are counted in one MORE_PROBLEMS


class Source(StrEnum):
    """How a column got its item."""

    CODE = "code"  # the header holds the item code
    WORDING = "wording"  # the header is the item's wording
    CALLER = "caller"  # the caller's (the user's, remembered) mapping; item None: ignored
    UNMAPPED = "unmapped"  # to be asked


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    letter: str
    header: str
    item: str | None
    source: Source


@dataclass(frozen=True)
class Result:
    file: str
    kind: FileKind
    encoding: str | None  # "utf-8", "utf-8-sig", "cp1252" (shown for confirmation); None for XLSX
    delimiter: str | None  # ";", "," or "\t"; None for XLSX
    sheet: str | None  # the XLSX sheet read
    rows: int  # data rows holding anything
    respondents: int  # rows with an answer in at least one mapped column
    # item code -> option code -> n; instruments.BLANK counts the respondents who left the item empty.
    counts: Mapping[str, Mapping[str, int]]
    columns: tuple[Column, ...]
    missing_items: tuple[str, ...]  # the instrument's items no column maps to (not asked)
    # item code -> answer text (as first seen) -> n, texts sorted: to be mapped by the user.
    unmapped_answers: Mapping[str, Mapping[str, int]]
    problems: tuple[Problem, ...]

    @property
    def mapping(self) -> dict[str, str | None]:
        """Header -> item code (None: ignored), as used: what the caller remembers."""
        return {c.header: c.item for c in self.columns if c.source is not Source.UNMAPPED}

    @property
    def unmapped_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.source is Source.UNMAPPED)

    @property
    def can_save(self) -> bool:
        """No problem and nothing left to ask."""
        return not self.problems and not self.unmapped_columns and not self.unmapped_answers


def read(
    data: bytes,
    file_name: str,
    instrument: Instrument,
    *,
    columns: Mapping[str, str | None] | None = None,
    answers: Mapping[str, Mapping[str, str | None]] | None = None,
) -> Result:
    """Count a survey export's answers per item and option.

    columns: header text -> item code, or None to ignore the column (header texts compared
    case- and space-insensitively; a code not in the instrument is ignored, so the column is
    asked again). answers: item code or WILDCARD -> answer text -> option code, or None to
    count the answer as blank ("don't know" where the item has no such option); an item's
    own mapping wins over WILDCARD, which wins over the labels.
    """
    table = open_table(data, file_name)
    problems = _Problems(file_name)
    if table.problems:
        return _refused(file_name, table, problems)
    _header_problems(table, problems)
    all_columns = _map_columns(table.header, instrument, columns or {}, problems)
    counters = {
        c.index: _Column(c, instrument.item(c.item), _caller_answers(instrument.item(c.item), answers or {}))
        for c in all_columns
        if c.item is not None
    }
    tally = _count(table, counters, problems)
    for line, reason, params in table.problems:  # a damaged sheet or CSV quoting found while reading
        problems.add(line, None, None, reason, **params)
    asked = {col.column.item for col in counters.values()}
    counts: dict[str, dict[str, int]] = {}
    unmapped: dict[str, dict[str, int]] = {}
    for col in counters.values():
        code = col.item.code
        answered = sum(col.counts.values()) + sum(n for _, n in col.unmapped.values())
        counts[code] = {o.code: col.counts[o.code] for o in options(col.item) if col.counts[o.code]}
        if tally.respondents - answered:
            counts[code][BLANK] = tally.respondents - answered
        if col.unmapped:
            unmapped[code] = dict(sorted(col.unmapped.values()))
    to_ask = any(c.source is Source.UNMAPPED for c in all_columns)
    if not counters and not to_ask:
        problems.add(None, None, None, Reason.NO_ITEMS)
    elif counters and not tally.respondents and not to_ask:
        problems.add(None, None, None, Reason.NO_RESPONDENTS)
    return Result(
        file=file_name,
        kind=table.kind,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        rows=tally.rows,
        respondents=tally.respondents,
        counts=counts,
        columns=tuple(all_columns),
        missing_items=tuple(i.code for i in instrument.items if i.code not in asked),
        unmapped_answers=unmapped,
        problems=problems.done(),
    )


def _refused(file_name: str, table: Table, problems: _Problems) -> Result:
    table.rows.close()
    for line, reason, params in table.problems:
        problems.add(line, None, None, reason, **params)
    return Result(file_name, table.kind, table.encoding, table.delimiter, table.sheet, 0, 0, {}, (), (), {}, problems.done())


class _Problems:
    def __init__(self, file_name: str) -> None:
        self.file = file_name
        self.items: list[Problem] = []
        self.more = 0

    def add(self, line: int | None, column: str | None, letter_: str | None, reason: Reason, **params: object) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(self.file, line, column, letter_, reason, params))
        else:
            self.more += 1

    def done(self) -> tuple[Problem, ...]:
        more = [Problem(self.file, None, None, None, Reason.MORE_PROBLEMS, {"count": self.more})] if self.more else []
        return (*self.items, *more)


def _header_problems(table: Table, problems: _Problems) -> None:
    for i, cell in enumerate(table.header):
        if len(cell) > MAX_CELL:
            problems.add(table.header_line, None, letter(i), Reason.CELL_TOO_LONG, length=len(cell), limit=MAX_CELL)
        elif table.invalid_bytes and has_invalid(cell):
            problems.add(table.header_line, None, letter(i), Reason.INVALID_BYTES, encoding=table.encoding)


# --- Columns -------------------------------------------------------------------------------------

_LEADING_NUMBER = re.compile(r"^(?:\d{1,3}|[a-z])\s*[.)]\s+|^\d{1,3}\s+(?=\D)")
_TRAILING = " .,:;!?*\"'”“»«"
_SEPARATORS = (" - ", " – ", " — ", ": ", " / ", " | ")


def header_key(header: str) -> str:
    """A header or an item's wording as compared: folded, numbering and trailing punctuation gone."""
    key = normalise_label(header).strip(_TRAILING)
    return _LEADING_NUMBER.sub("", key, count=1).strip(_TRAILING)


class _Codes:
    """Finds an item code in a header: the whole header, at its start, or in [brackets] at its end."""

    def __init__(self, instrument: Instrument) -> None:
        self.codes = {i.code.casefold(): i.code for i in instrument.items}
        alt = "|".join(re.escape(c) for c in sorted(self.codes, key=len, reverse=True))
        self.whole = re.compile(rf"[\[(]?\s*(?:[a-z0-9]*[_-])?({alt})\s*[\])]?\s*[.:)]?")
        self.leading = re.compile(rf"\[?({alt})\]?(?:\s*[.:)\]-]\s*|\s+)\S")
        self.bracket = re.compile(rf".*\[({alt})\]\s*[.:]?")

    def find(self, header: str) -> str | None:
        folded = normalise_label(header)
        if not self.codes:
            return None
        m = self.whole.fullmatch(folded) or self.leading.match(folded) or self.bracket.fullmatch(folded)
        return self.codes[m.group(1)] if m else None


def _wordings(instrument: Instrument) -> dict[str, str | None]:
    """Every label of every item (the coordinator's pasted wording included) -> item code;
    None where two items share a wording (then it maps neither)."""
    out: dict[str, str | None] = {}
    for item in instrument.items:
        for label in item.labels.values():
            key = header_key(label)
            if key:
                out[key] = item.code if out.get(key, item.code) == item.code else None
    return out


def _by_wording(header: str, wordings: Mapping[str, str | None]) -> str | None:
    key = header_key(header)
    candidates = [key]
    # Webropol's matrix "Question - statement", LimeSurvey's "Question [statement]"
    bracket = re.fullmatch(r".*\[(.+)\]", key)
    if bracket:
        candidates.append(header_key(bracket.group(1)))
    for sep in _SEPARATORS:
        if sep in key:
            candidates.append(header_key(key.rsplit(sep, 1)[1]))
    for candidate in candidates:
        if candidate and wordings.get(candidate):
            return wordings[candidate]
    return None


def _map_columns(
    header: Sequence[str], instrument: Instrument, explicit: Mapping[str, str | None], problems: _Problems
) -> list[Column]:
    known = {i.code for i in instrument.items}
    given = {normalise_label(h): code for h, code in explicit.items() if code is None or code in known}
    codes, wordings = _Codes(instrument), _wordings(instrument)
    found: list[tuple[str | None, Source]] = []
    for cell in header:
        key = normalise_label(cell)
        if key in given:
            found.append((given[key], Source.CALLER))
        elif (code := codes.find(cell)) is not None:
            found.append((code, Source.CODE))
        elif (code := _by_wording(cell, wordings)) is not None:
            found.append((code, Source.WORDING))
        else:
            found.append((None, Source.UNMAPPED))
    # Two columns for one item would count its answers twice. The user's own mapping doing
    # so is a problem; found automatically, both are asked (or the user's column wins).
    claimed = Counter(code for code, source in found if code is not None and source is Source.CALLER)
    automatic = Counter(code for code, source in found if code is not None and source is not Source.CALLER)
    columns: list[Column] = []
    first: dict[str, int] = {}
    for i, (code, source) in enumerate(found):
        if code is not None and source is not Source.CALLER and (claimed[code] or automatic[code] > 1):
            code, source = None, Source.UNMAPPED
        elif code is not None and source is Source.CALLER and claimed[code] > 1:
            if code in first:
                other = first[code]
                problems.add(
                    None,
                    header[i],
                    letter(i),
                    Reason.DUPLICATE_ITEM,
                    item=code,
                    other_column=header[other],
                    other_letter=letter(other),
                )
            else:
                first[code] = i
        columns.append(Column(i, letter(i), header[i], code, source))
    return columns


# --- Answers -------------------------------------------------------------------------------------

_OPTION, _IGNORED, _UNMAPPED, _IDENTITY = range(4)
_NUMBER = re.compile(r"(\d{1,2})(?:[.,]0+)?")
# "1 - Strongly agree", "5 = Täysin samaa mieltä", "Strongly agree (1)": the words and the number.
_NUMBERED = re.compile(r"\(?(\d{1,2})\s*(?:[-=:.)–]\s*|\s+)(\D.*)|(\D.*?)\s*[(\[](\d{1,2})[)\]]")


def _caller_answers(item: Item, answers: Mapping[str, Mapping[str, str | None]]) -> dict[str, str | None]:
    """The caller's answer mapping for this item: its own wins over WILDCARD; codes not of this item dropped."""
    valid = {o.code for o in options(item)}
    out: dict[str, str | None] = {}
    for scope in (WILDCARD, item.code):
        for answer, code in answers.get(scope, {}).items():
            if code is None or code in valid:
                out[normalise_label(answer)] = code
    return out


class _Column:
    """One mapped column: its item, how its answers map, and what it has counted."""

    def __init__(self, column: Column, item: Item, caller: dict[str, str | None]) -> None:
        self.column, self.item, self.caller = column, item, caller
        self.index = label_index(item)
        self.numeric = item.scale in (Scale.ZERO_TEN, Scale.POINTS)
        self.valid = {o.code for o in options(item)}
        self.cache: dict[str, tuple[int, str]] = {}  # cell text -> outcome, as most cells repeat
        self.counts: Counter[str] = Counter()
        self.unmapped: dict[str, tuple[str, int]] = {}  # normalised text -> (text as first seen, n)

    def outcome(self, cell: str) -> tuple[int, str]:
        found = self.cache.get(cell)
        if found is None:
            found = self.cache[cell] = self._resolve(cell)
        return found

    def _resolve(self, cell: str) -> tuple[int, str]:
        key = normalise_label(cell)
        if key in self.caller:
            code = self.caller[key]
            return (_IGNORED, "") if code is None else (_OPTION, code)
        if key in self.index:
            return _OPTION, self.index[key]
        if self.numeric and (m := _NUMBER.fullmatch(key)) and str(int(m.group(1))) in self.valid:
            return _OPTION, str(int(m.group(1)))
        numbered = _NUMBERED.fullmatch(key)
        if numbered:  # by the words; on a numeric scale by the number, unless the words say otherwise
            number, words = (numbered.group(1), numbered.group(2)) if numbered.group(1) else numbered.group(4, 3)
            code = self.index.get(words.strip(_TRAILING))
            point = str(int(number))
            if not self.numeric and code is not None:
                return _OPTION, code
            if self.numeric and code in (None, point) and point in self.valid:
                return _OPTION, point
        if hetu.contains_code(cell):
            return _IDENTITY, ""
        return _UNMAPPED, key


@dataclass
class _Tally:
    rows: int = 0
    respondents: int = 0


def _count(table: Table, columns: Mapping[int, _Column], problems: _Problems) -> _Tally:
    tally = _Tally()
    order = sorted(columns.values(), key=lambda c: c.column.index)
    width = len(table.header)
    csv_file = table.kind is FileKind.CSV
    check_bytes = table.invalid_bytes
    try:
        for line, row in table.rows:
            if not any(text(v) for v in row):
                continue
            tally.rows += 1
            if tally.rows > MAX_ROWS:
                problems.add(line, None, None, Reason.TOO_MANY_ROWS, limit=MAX_ROWS)
                break
            if csv_file and len(row) > width and any(text(v) for v in row[width:]):
                # An unquoted ';' or ',' in an answer shifts every cell after it: counts would be wrong.
                problems.add(line, None, None, Reason.EXTRA_CELLS, cells=len(row), header_cells=width)
                continue
            answered = False
            for col in order:
                i = col.column.index
                cell = text(row[i]) if i < len(row) else None
                if cell is None:
                    continue
                answered = True
                if len(cell) > MAX_CELL:
                    problems.add(
                        line, col.column.header, col.column.letter, Reason.CELL_TOO_LONG, length=len(cell), limit=MAX_CELL
                    )
                    continue
                if check_bytes and has_invalid(cell):
                    problems.add(line, col.column.header, col.column.letter, Reason.INVALID_BYTES, encoding=table.encoding)
                    continue
                kind, value = col.outcome(cell)
                if kind == _OPTION:
                    col.counts[value] += 1
                elif kind == _UNMAPPED:
                    shown, n = col.unmapped.get(value, (cell, 0))
                    col.unmapped[value] = (shown, n + 1)
                elif kind == _IDENTITY:  # named by place only: the cell is never repeated
                    problems.add(line, col.column.header, col.column.letter, Reason.IDENTITY_CODE)
            if answered:
                tally.respondents += 1
    finally:
        table.rows.close()
    return tally
