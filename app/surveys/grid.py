"""The entry grid of a round: its tables (items sharing one set of answer options), the cells
posted back, and the checks a coordinator needs at the row (a total above the number answered).
No Flask here: the view reads the request and words the problems."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.core.instruments import BLANK, Item, Option, bounds, label_index, normalise_label, options
from app.models import InstrumentItem
from app.surveys import paste
from app.surveys.paste import MAX_COUNT


@dataclass
class Row:
    row: InstrumentItem  # the catalogue's item (id, labels)
    item: Item  # as scored

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def code(self) -> str:
        return self.item.code

    def keys(self) -> list[str]:
        """What a pasted block's first cell may name it by, normalised."""
        return sorted({normalise_label(k) for k in (self.item.code, *self.item.labels.values()) if k})


@dataclass
class Section:
    index: int
    rows: list[Row]
    options: tuple[Option, ...]

    @property
    def labels(self) -> dict[str, str]:
        """Normalised answer label -> option code (fi/sv/en and synonyms)."""
        return label_index(self.rows[0].item)

    def parse(self, text: str) -> paste.Parsed:
        items = [paste.GridItem(r.code, tuple(v for v in r.item.labels.values() if v)) for r in self.rows]
        return paste.parse(text, items, [o.code for o in self.options], self.labels)


def sections(rows: Sequence[tuple[InstrumentItem, Item]]) -> list[Section]:
    """Consecutive items with the same answer options share a table (NoMAD: the 0-10 general
    items, then the agree – disagree items)."""
    out: list[Section] = []
    for row, item in rows:
        opts = options(item)
        if out and out[-1].options == opts and [o.code for o in out[-1].options] == [o.code for o in opts]:
            out[-1].rows.append(Row(row, item))
        else:
            out.append(Section(len(out), [Row(row, item)], opts))
    return out


def cell_name(item_id: str, option: str) -> str:
    return f"c-{item_id}-{option}"


# -- counts posted back ------------------------------------------------------------------------


@dataclass
class CellProblem:
    item_id: str
    option: str | None  # None: the row as a whole (its total)
    kind: str  # "not_a_count" | "too_large" | "over_answered"
    text: str = ""
    total: int = 0


@dataclass
class Cells:
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # item id -> option -> as typed
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # asked items only
    problems: list[CellProblem] = field(default_factory=list)

    def total(self, item_id: str) -> int | None:
        counts = self.counts.get(item_id)
        return None if counts is None else sum(counts.values())


def read_cells(form: Mapping[str, str], grid: Sequence[Section], answered: int) -> Cells:
    """The counts typed into the grid. A row with any cell filled is an asked item (empty cells
    count 0); a row left empty was not asked. A row's total above `answered` is refused at it."""
    out = Cells()
    for section in grid:
        for row in section.rows:
            typed = {o.code: (form.get(cell_name(row.id, o.code)) or "").strip() for o in section.options}
            out.values[row.id] = typed
            if not any(typed.values()):
                continue
            counts: dict[str, int] = {}
            for option, text in typed.items():
                value = paste.count_of(text)
                if value is None:
                    out.problems.append(CellProblem(row.id, option, "not_a_count", text[:40]))
                elif value > MAX_COUNT:
                    out.problems.append(CellProblem(row.id, option, "too_large", text[:40]))
                else:
                    counts[option] = value
            out.counts[row.id] = counts
            total = sum(counts.values())
            if total > answered:
                out.problems.append(CellProblem(row.id, None, "over_answered", total=total))
    return out


def values_from_counts(grid: Sequence[Section], stored: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, str]]:
    """The grid's cells as stored: an asked item shows every option (0 where none answered it)."""
    values: dict[str, dict[str, str]] = {}
    for section in grid:
        for row in section.rows:
            counts = stored.get(row.id)
            values[row.id] = {o.code: "" if counts is None else str(counts.get(o.code, 0)) for o in section.options}
    return values


def blanks_of(stored: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    return {item_id: counts.get(BLANK, 0) for item_id, counts in stored.items()}


# -- means posted back ---------------------------------------------------------------------------


@dataclass
class MeanProblem:
    item_id: str
    field: str  # "mean" | "n"
    kind: str  # "not_a_number" | "out_of_scale" | "not_a_count" | "over_answered" | "missing"
    text: str = ""
    low: int = 0
    high: int = 0


@dataclass
class MeanCells:
    values: dict[str, tuple[str, str]] = field(default_factory=dict)  # item id -> (mean, n) as typed
    means: dict[str, tuple[float, int]] = field(default_factory=dict)
    problems: list[MeanProblem] = field(default_factory=list)


def parse_mean(text: str) -> float | None:
    """'3,75' or '3.75' -> 3.75; None when not a finite number."""
    try:
        value = float(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_means(form: Mapping[str, str], rows: Sequence[Row], answered: int) -> MeanCells:
    out = MeanCells()
    for row in rows:
        mean_text = (form.get(f"m-{row.id}") or "").strip()
        n_text = (form.get(f"n-{row.id}") or "").strip()
        out.values[row.id] = (mean_text, n_text)
        if not mean_text and not n_text:
            continue
        low, high = bounds(row.item)
        mean = parse_mean(mean_text) if mean_text else None
        n = paste.count_of(n_text) if n_text else None
        ok = True
        if not mean_text:
            out.problems.append(MeanProblem(row.id, "mean", "missing"))
            ok = False
        elif mean is None:
            out.problems.append(MeanProblem(row.id, "mean", "not_a_number", mean_text[:40]))
            ok = False
        elif not low <= mean <= high:
            out.problems.append(MeanProblem(row.id, "mean", "out_of_scale", mean_text[:40], low, high))
            ok = False
        if not n_text:
            out.problems.append(MeanProblem(row.id, "n", "missing"))
            ok = False
        elif n is None or n > MAX_COUNT:
            out.problems.append(MeanProblem(row.id, "n", "not_a_count", n_text[:40]))
            ok = False
        elif n > answered:
            out.problems.append(MeanProblem(row.id, "n", "over_answered", n_text[:40]))
            ok = False
        if ok and mean is not None and n is not None:
            out.means[row.id] = (mean, n)
    return out
