"""The monthly figures grid: which rows and months it shows, the cells' text, and reading a posted
grid back (every cell checked by the indicator's measure; nothing saved while any cell is wrong).

A table is units × months for one indicator (and one method, when the indicator is reported per
method), or one unit's methods × months. Its last month is last month unless asked otherwise;
MONTHS_SHOWN months, ROWS_PER_PAGE rows a page. Cell names: c-<row id>-<YYYY-MM> (the value) and
n-<row id>-<YYYY-MM> (the clients a median or share is of). A cell missing from a post is left as
it is; an emptied one is "not reported" (its figure is deleted), never zero.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from app.core import hetu
from app.i18n import format_month
from app.indicators.cells import MILLI, Trouble, limit, parse_base, parse_value
from app.indicators.forms import GridFilterForm
from app.indicators.ops import Cell
from app.models import Indicator, MonthlyFigure
from app.queries import indicators as q
from app.queries.units import live_unit
from app.web.listing import page_number

MONTHS_SHOWN = 6
ROWS_PER_PAGE = 50
MONTH_CHOICES = 36  # the month select goes back three years


def month_key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def parse_month(text: str | None) -> dt.date | None:
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return None


@dataclass
class Grid:
    indicator: Indicator
    months: list[dt.date]
    month_labels: list[str]
    rows: list[q.GridRow]  # this page's
    by_unit: bool  # rows are one unit's methods
    unit_name: str  # by_unit: the unit's
    method_id: str | None  # units × months of a per-method indicator: the method
    method_name: str
    days: int | None  # the "within N days" of a takes_days indicator
    page: int
    pages: int
    total: int
    figures: dict[tuple[str, dt.date], MonthlyFigure]
    last_month: dt.date

    @property
    def has_base(self) -> bool:
        return self.indicator.has_base

    def cell(self, kind: str, row_id: str, month: dt.date) -> str:
        return f"{kind}-{row_id}-{month.year:04d}-{month.month:02d}"

    def cells_html(self, row: q.GridRow, r: int, values: dict[str, str], errors: Errors) -> Markup:
        """A row's inputs, each named by its row and month header (and the value / clients column).
        Built here, not in the template: 50 rows × 6 months × 2 inputs were most of the page's time."""
        described = f' aria-describedby="err-{row.id}"' if row.id in errors.by_row else ""
        out = []
        last = len(self.months)
        for m, month in enumerate(self.months, start=1):
            kinds = (
                (("c", "decimal", "cell", "-v"), ("n", "numeric", "cell cell-n", "-n"))
                if self.has_base
                else (("c", "decimal", "cell", ""),)
            )
            for kind, mode, css, column in kinds:
                name = self.cell(kind, row.id, month)
                labelled = f"g-r{r} g-m{m}" + (f" g-m{m}{column}" if column else "")
                invalid = ' aria-invalid="true"' if name in errors.cells else ""
                focus = " autofocus" if r == 1 and m == last and kind == "c" and not errors else ""
                out.append(
                    f'<td><input type="text" inputmode="{mode}" autocomplete="off" class="{css}" name="{name}" id="{name}" '
                    f'value="{escape(values.get(name, ""))}" aria-labelledby="{labelled}"{described}{invalid}{focus}></td>'
                )
        return Markup("\n".join(out))

    def page_args(self, number: int) -> dict[str, str]:
        args = {"month": month_key(self.last_month), "page": str(number)}
        if self.by_unit:
            args["unit"] = self.rows[0].unit_id if self.rows else ""
        elif self.method_id:
            args["method"] = self.method_id
        if self.days is not None:
            args["days"] = str(self.days)
        return args


def _month_choices(today: dt.date, lang: str, asked: dt.date | None) -> list[tuple[str, str]]:
    this = q.month_start(today)
    months = [q.add_months(this, -i) for i in range(MONTH_CHOICES)]
    if asked is not None and asked not in months and asked <= this:
        months.append(asked)
    return [(month_key(m), format_month(m.year, m.month, lang)) for m in months]


def build(s: Session, indicator: Indicator, filters: GridFilterForm, today: dt.date, lang: str) -> Grid:
    """The grid the query string asks for; anything it asks that does not exist falls back quietly."""
    asked = parse_month(filters.month.data)
    this = q.month_start(today)
    last = asked if asked is not None and asked <= this else q.last_month(today)
    methods = [(i, n) for i, n, _count in q.grid_methods(s, lang)] if indicator.per_method else []
    filters.set_choices(_month_choices(today, lang, asked), methods)
    filters.validate()
    filters.month.data = month_key(last)
    months = [q.add_months(last, i - MONTHS_SHOWN + 1) for i in range(MONTHS_SHOWN)]
    unit = live_unit(s, filters.unit.data) if indicator.per_method and filters.unit.data else None
    method_id = None
    if indicator.per_method and unit is None:
        ids = [i for i, _n in methods]
        method_id = filters.method.data if filters.method.data in ids else (ids[0] if ids else None)
        filters.method.data = method_id
    filters.unit.data = unit.id if unit is not None else ""
    if unit is not None:
        rows = q.method_rows(s, indicator, months, unit.id, lang)
    elif indicator.per_method and method_id is None:
        rows = []
    else:
        rows = q.unit_rows(s, indicator, months, method_id)
    days = None
    if indicator.takes_days:
        days = filters.days.data if filters.days.data and not filters.days.errors else q.usual_days(s, indicator)
        filters.days.data = days
    total = len(rows)
    pages = max(1, math.ceil(total / ROWS_PER_PAGE))
    page = min(page_number(), pages)
    shown = rows[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE]
    return Grid(
        indicator=indicator,
        months=months,
        month_labels=[format_month(m.year, m.month, lang) for m in months],
        rows=shown,
        by_unit=unit is not None,
        unit_name=unit.name if unit else "",
        method_id=method_id,
        method_name=dict(methods).get(method_id or "", ""),
        days=days,
        page=page,
        pages=pages,
        total=total,
        figures=q.grid_figures(s, indicator, shown, months, days, by_method=unit is not None),
        last_month=last,
    )


def show_value(value_milli: int, lang: str) -> str:
    """A stored figure as the grid shows it: "12", "1234", "12,5" (the decimal comma of every
    language's Finnish format; no thousands spaces in a cell, no trailing zeros). Plain integer
    arithmetic: babel's formatter for 600 cells was a tenth of the page."""
    whole, part = divmod(value_milli, MILLI)
    return f"{whole},{part:03d}".rstrip("0") if part else str(whole)


def stored_values(grid: Grid, lang: str) -> dict[str, str]:
    values = {}
    for (row_id, month), figure in grid.figures.items():
        values[grid.cell("c", row_id, month)] = show_value(figure.value_milli, lang)
        if figure.n is not None:
            values[grid.cell("n", row_id, month)] = str(figure.n)
    return values


def stored_by_part(grid: Grid) -> dict[tuple[str, str | None, dt.date], MonthlyFigure]:
    return {(f.unit_id, f.method_id, f.month): f for f in grid.figures.values()}


@dataclass
class Errors:
    """Messages by row (shown in its header cell), the cells at fault, and the summary's lines."""

    by_row: dict[str, list[str]] = field(default_factory=dict)
    cells: set[str] = field(default_factory=set)
    summary: list[tuple[str, str]] = field(default_factory=list)  # (cell name, message)

    def __bool__(self) -> bool:
        return bool(self.summary)

    def add(self, row_id: str, cell: str, message: str) -> None:
        self.by_row.setdefault(row_id, []).append(message)
        self.cells.add(cell)
        self.summary.append((cell, message))


@dataclass
class Read:
    cells: list[Cell]
    values: dict[str, str]  # as posted (an identity code never shown back)
    errors: Errors


def _trouble(trouble: Trouble, indicator: Indicator, base: bool) -> str:
    if trouble is Trouble.NOT_A_NUMBER:
        return _("enter a number, e.g. 12 or 12,5") if not base else _("enter the number of clients, e.g. 40")
    if trouble is Trouble.NEGATIVE:
        return _("a figure cannot be below 0")
    if trouble is Trouble.NOT_WHOLE:
        return _("enter a whole number")
    if trouble is Trouble.TOO_PRECISE:
        return _("at most three decimals")
    if trouble is Trouble.TOO_LARGE:
        return _("at most %(max)s", max=limit(indicator.measure) if not base else 100_000)
    return _("the number of clients is given without a figure")


def read_posted(grid: Grid, form, lang: str) -> Read:
    """Every posted cell of the grid checked; the cells to save only when none is wrong."""
    errors = Errors()
    values: dict[str, str] = {}
    cells: list[Cell] = []
    for row in grid.rows:
        for month, month_label in zip(grid.months, grid.month_labels):
            name, base_name = grid.cell("c", row.id, month), grid.cell("n", row.id, month)
            if name not in form:
                continue  # not in this post: left as it is
            text = form.get(name, "").strip()
            base_text = form.get(base_name, "").strip() if grid.has_base else ""
            where = _("%(row)s, %(month)s", row=row.label, month=month_label)
            value = n = None
            for kind, cell_name, cell_text in (("c", name, text), ("n", base_name, base_text)):
                if hetu.find_codes(cell_text):
                    values[cell_name] = ""  # never shown back
                    errors.add(row.id, cell_name, _("%(cell)s: this cell held an identity code; it was removed", cell=where))
                    continue
                values[cell_name] = cell_text
                if kind == "c":
                    value, trouble = parse_value(cell_text, grid.indicator.measure)
                    if trouble:
                        errors.add(
                            row.id,
                            cell_name,
                            _("%(cell)s: %(problem)s", cell=where, problem=_trouble(trouble, grid.indicator, False)),
                        )
                elif grid.has_base:
                    n, trouble = parse_base(cell_text)
                    if trouble:
                        msg = _trouble(trouble, grid.indicator, True)
                        errors.add(row.id, cell_name, _("%(cell)s, clients: %(problem)s", cell=where, problem=msg))
                    elif n is not None and not text:
                        msg = _trouble(Trouble.BASE_WITHOUT_VALUE, grid.indicator, True)
                        errors.add(row.id, cell_name, _("%(cell)s, clients: %(problem)s", cell=where, problem=msg))
            cells.append(Cell(row.unit_id, row.method_id, month, value, n if value is not None else None))
    return Read([] if errors else cells, values, errors)
