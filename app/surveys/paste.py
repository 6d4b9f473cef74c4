"""A block of counts pasted from Excel or a survey tool's summary table -> counts per item and
answer option of one grid table. Pure: no Flask, no database; the entry page words the problems.

The block: cells separated by TABs (Excel's copy) or ';' (a CSV opened as text), else by runs of
spaces. Optionally a first column naming the items (code, "CO1 Differs…", or a label in
fi/sv/en or the survey's own wording), and optionally a header row of answer option labels
(fi/sv/en and the synonyms survey tools print: instruments.label_index). Without a header the
columns are the table's options in order; without item names the rows are its items in order.
A header's total, n and mean columns are skipped. Every bad cell is named by line and column
(both 1-based, as pasted), and then nothing is filled.

static/js/survey_grid.js does the same in the page for the block it can read; anything it
cannot, it leaves to this module (the form is sent, and the problems come back worded).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.instruments import normalise_label

MAX_COUNT = 100_000  # more than any round's respondents; keeps a pasted "1e308" out of the database
MAX_CHARS = 200_000  # a pasted block is a few kilobytes

# Summary columns a survey tool prints beside the options: not counts of an option, skipped.
SKIPPED_HEADERS = frozenset(
    normalise_label(w)
    for w in (
        "Yhteensä",
        "Yht.",
        "Yht",
        "Summa",
        "Vastaajia",
        "Vastauksia",
        "Vastaukset",
        "Vastaajat",
        "Keskiarvo",
        "Ka",
        "Ka.",
        "Keskihajonta",
        "Mediaani",
        "Totalt",
        "Summa",
        "Antal",
        "Antal svar",
        "Svarande",
        "Medelvärde",
        "Medeltal",
        "Standardavvikelse",
        "Median",
        "Total",
        "Sum",
        "N",
        "n",
        "Count",
        "Respondents",
        "Answers",
        "Mean",
        "Average",
        "Std",
        "Std. dev.",
        "Median",
    )
)
_COUNT = re.compile(r"\d{1,9}")
_SPACES = re.compile(r"[ \u00a0\u202f]")  # thousands separators as Excel copies them ("1 234")
_ITEM_PREFIX = re.compile(r"[\s.:)\]–-]")


class Trouble(StrEnum):
    """What is wrong with a pasted block; the page words it."""

    EMPTY = "empty"  # nothing pasted
    TOO_LONG = "too_long"  # more than MAX_CHARS characters
    NOT_A_COUNT = "not_a_count"  # (line, column, text) a cell that is not a whole number 0 or more
    TOO_LARGE = "too_large"  # (line, column, text) a count over MAX_COUNT
    UNKNOWN_OPTION = "unknown_option"  # (line, column, text) a header cell that is no answer option here
    DUPLICATE_OPTION = "duplicate_option"  # (line, column, text) two header cells for one option
    UNKNOWN_ITEM = "unknown_item"  # (line, column, text) a first cell that names no item of this table
    DUPLICATE_ITEM = "duplicate_item"  # (line, column, text) an item named twice
    TOO_MANY_CELLS = "too_many_cells"  # (line, cells, expected) more counts than the table has options
    TOO_FEW_CELLS = "too_few_cells"  # (line, cells, expected) fewer counts than options, without a header
    ROW_COUNT = "row_count"  # (rows, expected) without item names, the rows must be the table's items


@dataclass(frozen=True)
class Problem:
    trouble: Trouble
    line: int | None = None
    column: int | None = None
    text: str = ""
    params: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class GridItem:
    code: str
    labels: tuple[str, ...] = ()  # its labels in fi/sv/en and the survey's own wording


@dataclass(frozen=True)
class Parsed:
    counts: dict[str, dict[str, int]]  # item code -> option code -> count, for the items pasted
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def split_rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each line holding anything; cells trimmed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if any("\t" in line for line in lines):
        split = lambda line: line.split("\t")  # noqa: E731
    elif any(";" in line for line in lines):
        split = lambda line: line.split(";")  # noqa: E731
    else:
        split = lambda line: line.split()  # noqa: E731
    rows = []
    for number, line in enumerate(lines, start=1):
        cells = [c.strip().strip('"').strip() for c in split(line)]
        if any(cells):  # empty cells at a row's end stay: Excel copies them as trailing TABs
            rows.append((number, cells))
    return rows


def _filled(cells: list[str]) -> int:
    """How many cells up to the last one holding anything."""
    n = len(cells)
    while n and not cells[n - 1]:
        n -= 1
    return n


def count_of(cell: str) -> int | None:
    """A cell as a count: '' is 0; '1 234' is 1234; None when it is not a whole number."""
    plain = _SPACES.sub("", cell)
    if not plain:
        return 0
    return int(plain) if _COUNT.fullmatch(plain) else None


def is_number(cell: str) -> bool:
    return count_of(cell) is not None


class _Items:
    """Finds an item by the first cell: its code, the code at the start ("CO1 Differs…"), or a label."""

    def __init__(self, items: Sequence[GridItem]) -> None:
        self.by_key: dict[str, str | None] = {}
        for item in items:
            for key in (item.code, *item.labels):
                k = normalise_label(key)
                if k:
                    self.by_key[k] = item.code if self.by_key.get(k, item.code) == item.code else None
        for item in items:  # a code always wins over another item's label
            self.by_key[normalise_label(item.code)] = item.code
        self.codes = sorted({normalise_label(i.code): i.code for i in items}.items(), key=lambda kv: -len(kv[0]))

    def find(self, cell: str) -> str | None:
        key = normalise_label(cell)
        if self.by_key.get(key):
            return self.by_key[key]
        for folded, code in self.codes:  # "CO1. Differs from…", "CO1 – …"
            if key.startswith(folded) and _ITEM_PREFIX.match(key[len(folded) :]):
                return code
        return None


def parse(text: str, items: Sequence[GridItem], options: Sequence[str], labels: Mapping[str, str]) -> Parsed:
    """Counts for the table of `items` × `options` (option codes in the table's order) from a pasted
    block. `labels`: normalised answer label -> option code (instruments.label_index)."""
    if len(text) > MAX_CHARS:
        return Parsed({}, (Problem(Trouble.TOO_LONG, params={"limit": MAX_CHARS}),))
    rows = split_rows(text)
    if not rows:
        return Parsed({}, (Problem(Trouble.EMPTY),))
    finder = _Items(items)
    problems: list[Problem] = []

    # Item names in the first column: when a data row's first cell is text (not a count).
    data_rows = rows[1:] if len(rows) > 1 else rows
    named = any(cells and cells[0] and not is_number(cells[0]) for _, cells in data_rows)
    first = 1 if named else 0

    # A header row: its cells (after the names column) hold text; or, with names, an empty
    # corner cell, or a corner naming no item above numbers that are all option labels (a
    # header "Kysymys | 0 | 1 | … | 10" of a 0-10 table is all numbers).
    line0, cells0 = rows[0]
    rest = [c for c in cells0[first:] if c]
    texts = [c for c in rest if not is_number(c)]
    if texts:  # a header if it names an option, or holds no count at all; else a row with a bad cell
        header = len(texts) == len(rest) or any(
            normalise_label(c) in labels or normalise_label(c) in SKIPPED_HEADERS for c in texts
        )
    elif named and not cells0[0]:
        header = True
    elif named and finder.find(cells0[0]) is None:
        header = bool(rest) and all(normalise_label(c) in labels for c in rest)
    else:
        header = False
    columns: list[str | None]  # per pasted column after the names: option code, or None to skip
    if header:
        columns = []
        seen: dict[str, int] = {}
        for index, cell in enumerate(cells0[first:], start=first + 1):
            key = normalise_label(cell)
            if not key or key in SKIPPED_HEADERS:
                columns.append(None)
                continue
            code = labels.get(key)
            if code is None or code not in options:
                problems.append(Problem(Trouble.UNKNOWN_OPTION, line0, index, cell))
                columns.append(None)
            elif code in seen:
                problems.append(Problem(Trouble.DUPLICATE_OPTION, line0, index, cell))
                columns.append(None)
            else:
                seen[code] = index
                columns.append(code)
        body = rows[1:]
    else:
        columns = list(options)
        body = rows

    if not named and len(body) != len(items):
        problems.append(Problem(Trouble.ROW_COUNT, params={"rows": len(body), "expected": len(items)}))

    counts: dict[str, dict[str, int]] = {}
    for position, (line, cells) in enumerate(body):
        if named:
            code = finder.find(cells[0]) if cells[0] else None
            if code is None:
                problems.append(Problem(Trouble.UNKNOWN_ITEM, line, 1, cells[0]))
                continue
            if code in counts:
                problems.append(Problem(Trouble.DUPLICATE_ITEM, line, 1, cells[0]))
                continue
        else:
            if position >= len(items):
                continue  # already named as a wrong row count
            code = items[position].code
        values = cells[first:]
        if _filled(values) > len(columns):
            problems.append(Problem(Trouble.TOO_MANY_CELLS, line, params={"cells": _filled(values), "expected": len(columns)}))
            continue
        values = values[: len(columns)]
        if not header and len(values) < len(columns):
            problems.append(Problem(Trouble.TOO_FEW_CELLS, line, params={"cells": len(values), "expected": len(columns)}))
            continue
        row: dict[str, int] = {}
        for offset, cell in enumerate(values):
            option = columns[offset]
            if option is None:
                continue
            column = first + offset + 1
            value = count_of(cell)
            if value is None:
                problems.append(Problem(Trouble.NOT_A_COUNT, line, column, cell))
            elif value > MAX_COUNT:
                problems.append(Problem(Trouble.TOO_LARGE, line, column, cell, {"limit": MAX_COUNT}))
            else:
                row[option] = value
        counts[code] = {o: row.get(o, 0) for o in options}
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return Parsed({} if problems else counts, tuple(problems))
