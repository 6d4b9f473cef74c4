"""Who has reported: the coordinator × period grid with its rates, and one coordinator's files.

    /reporting?from=YYYY-MM&to=YYYY-MM&area=KEY&county=KEY     the grid (reporting.grid)
    /reporting/coordinator/<key>                               their files (reporting.coordinator)

The rule is app.central.completeness's (its docstring); the page states it beside the grid.
Every status is a symbol and a word, never a colour alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, select

from app.central import completeness as C
from app.central import months
from app.central.office import read_settings
from app.central.reporting import Filters, KeptGrids, people, reporting_grid
from app.central.reporting_cells import row_cells
from app.central.schema import merged_files
from app.central.site import reader, today
from app.core.geography import AREA_BY_KEY, COUNTY_BY_KEY, area_name, counties_by_area, county_name
from app.web.i18n import current_language

bp = Blueprint("reporting", __name__, template_folder="templates")

# status -> (symbol, short word for a cell, the legend's explanation)
STATUS = {
    C.ON_TIME: ("✓", _l("on time"), _l("A file covered the period by its deadline.")),
    C.LATE: ("!", _l("late"), _l("The first file that covered the period came after its deadline.")),
    C.GAP: (
        "⚠",
        _l("gap"),
        _l("A file is missing before the one that covered the period: rows may be missing. Ask for a full export."),
    ),
    C.MISSING: ("✗", _l("missing"), _l("No file covers the period and its deadline has passed.")),
    C.OPEN: ("…", _l("not due"), _l("No file yet, and the deadline has not passed.")),
    C.NOT_EXPECTED: ("–", _l("not expected"), _l("Before the coordinator's start, or after they left.")),
}
DECLARED = ("✎", _l("declared complete"))
PERIOD_NAMES = {C.MONTH: _l("month"), C.QUARTER: _l("quarter")}


@bp.app_context_processor
def _labels():
    # month_shown, month_error: the national picture's month fields too (app.central.months)
    return {
        "reporting_status": STATUS,
        "reporting_declared": DECLARED,
        "month_shown": months.shown,
        "month_error": months.field_error,
    }


MONTH_LABELS = {"from": _l("First month"), "to": _l("Last month")}


@dataclass
class FilterForm:
    """The grid's filters from the query string; a bad value is named, then left out."""

    first: str = ""
    last: str = ""
    area: str = ""
    county: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)  # the month fields as shown: 3/2026, or as typed when wrong

    @classmethod
    def from_args(cls, args) -> FilterForm:
        form = cls(*(args.get(k, "").strip() for k in ("from", "to", "area", "county")))
        for name, attr in (("from", "first"), ("to", "last")):
            value = getattr(form, attr)
            month = months.read_month(value) if value else None
            form.typed[name] = months.shown(value)
            if value and month is None:
                form.errors[name] = months.error(str(MONTH_LABELS[name]))
            elif month is not None:  # links carry the month as YYYY-MM, whatever was typed
                setattr(form, attr, months.key(month))
        first, last = C.parse_month(form.first), C.parse_month(form.last)
        if first and last and last < first:
            form.errors["to"] = _("The last month cannot be before the first.")
        if form.area and form.area not in AREA_BY_KEY:
            form.errors["area"] = _("Choose a cooperation area from the list.")
        if form.county and form.county not in COUNTY_BY_KEY:
            form.errors["county"] = _("Choose a county from the list.")
        return form

    def filters(self) -> Filters:
        def month(name: str, value: str) -> dt.date | None:
            return None if name in self.errors else C.parse_month(value)

        first, last = month("from", self.first), month("to", self.last)
        if "to" in self.errors:
            first = last = None
        return Filters(
            first=first,
            last=last,
            area=self.area if self.area and "area" not in self.errors else None,
            county=self.county if self.county and "county" not in self.errors else None,
        )


def percent(value: float | None) -> str:
    from app import i18n

    if value is None:
        return "–"
    return i18n.format_number(value * 100, current_language(), 0) + " %"


@bp.app_template_filter("rate")
def _rate_filter(value: float | None) -> str:
    return percent(value)


def _grouped(grid: C.Grid) -> list[tuple[str, list[tuple[str, list[C.Row]]]]]:
    """The rows as area -> county -> rows, in the country's order."""
    out: dict[str, dict[str, list[C.Row]]] = {}
    for row in grid.rows:
        out.setdefault(row.person.area, {}).setdefault(row.person.county, []).append(row)
    return [(area, list(counties.items())) for area, counties in out.items()]


@bp.get("/reporting")
def grid():
    form = FilterForm.from_args(request.args)
    conn = reader()
    settings = read_settings(conn)
    grid = kept_grid(conn, today(), form.filters(), settings)
    lang = current_language()
    return render_template(
        "reporting/grid.html",
        form=form,
        grid=grid,
        groups=_grouped(grid),
        settings=settings,
        period_name=PERIOD_NAMES[settings.period],
        areas=[(a.key, area_name(a.key, lang)) for a, _c in counties_by_area()],
        counties=[(a, [(c.key, c.name(lang)) for c in cs]) for a, cs in counties_by_area()],
        area_name=lambda k: area_name(k, lang) if k in AREA_BY_KEY else k,
        county_name=lambda k: county_name(k, lang),
        status_order=C.STATUSES,
        row_cells=row_cells(STATUS, DECLARED, grid.periods),
    ), (422 if form.errors else 200)


KEPT = "koordi.reporting.kept"  # app.extensions: the grids kept until the merged database changes


def kept_grid(conn: Connection, day: dt.date, filters: Filters, settings) -> C.Grid:
    kept = current_app.extensions.get(KEPT) or current_app.extensions.setdefault(KEPT, KeptGrids())
    return kept.grid(conn, day, filters, settings, make=reporting_grid)


@bp.get("/reporting/coordinator/<key>")
def coordinator(key: str):
    conn = reader()
    person = next((p for p in people(conn) if p.key == key), None)
    if person is None:
        abort(404)
    form = FilterForm.from_args(request.args)
    grid = reporting_grid(conn, today(), _with(form.filters(), key))
    row = grid.rows[0] if grid.rows else None
    lang = current_language()
    files = _files(conn, person.coordinator_id) if person.coordinator_id else []
    covered: dict[str, list[C.Period]] = {}
    for c in row.cells if row else []:
        if c.file is not None:
            covered.setdefault(c.file.sha256, []).append(c.period)
    return render_template(
        "reporting/coordinator.html",
        person=person,
        row=row,
        grid=grid,
        files=files,
        covered=covered,
        area=area_name(person.area, lang) if person.area in AREA_BY_KEY else person.area,
        county=county_name(person.county, lang),
        form=form,
    )


def _with(filters: Filters, key: str) -> Filters:
    return Filters(filters.first, filters.last, None, None, key)


def _files(conn: Connection, coordinator_id: str) -> list:
    query = (
        select(merged_files)
        .where(merged_files.c.coordinator_id == coordinator_id)
        .order_by(merged_files.c.exported_at.desc(), merged_files.c.export_id.desc())
    )
    return list(conn.execute(query))


@dataclass
class Overview:
    period: C.Period
    rates: C.Rates
    missing: list[C.Person]
    by_area: dict[str, C.Rates]


def overview(conn: Connection) -> Overview | None:
    """The newest period whose deadline has passed: the country's rate, by area, and who is missing."""
    settings = read_settings(conn)
    day = today()
    period = C.period_of(settings.period, day)
    while period.deadline(settings.deadline_days) >= day:
        period = C.period_of(settings.period, period.start - dt.timedelta(days=1))
    grid = kept_grid(conn, day, Filters(first=period.start, last=period.start), settings)
    if not grid.rows:
        return None
    missing = [r.person for r in grid.rows if r.cells[0].status in (C.MISSING, C.GAP)]
    return Overview(period, grid.total, missing, grid.by_area())
