"""Writes of the indicator catalogue and the monthly figures grid, each one transaction.

A seeded indicator keeps its stable id, key and how it adds up (measure, direction, whether
months add up, per method, days): the central office adds it up across every coordinator, so
only its names and description are the coordinator's to edit. A coordinator's own indicator may
change how it adds up only while it has no figures: the figures were entered meaning it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import Indicator, MonthlyFigure
from app.store import write


@dataclass
class IndicatorData:
    name_fi: str
    name_sv: str = ""
    name_en: str = ""
    description: str = ""
    # How it adds up: ignored for a seeded indicator, and for one that has figures.
    measure: str = "count"
    direction: str = "higher"
    additive: bool = True
    per_method: bool = True
    takes_days: bool = False


def _apply(indicator: Indicator, data: IndicatorData, shape_fixed: bool) -> None:
    indicator.name_fi = data.name_fi.strip()
    indicator.name_sv = (data.name_sv or "").strip()
    indicator.name_en = (data.name_en or "").strip()
    indicator.description = (data.description or "").strip()
    if shape_fixed:
        return
    indicator.measure = data.measure
    indicator.direction = data.direction
    # A share or a time never adds up over months; a count may (treatments) or not (a waiting list).
    indicator.additive = bool(data.additive) and data.measure == "count"
    indicator.per_method = bool(data.per_method)
    indicator.takes_days = bool(data.takes_days) and data.measure == "percent"


def create_indicator(s: Session, data: IndicatorData) -> Indicator:
    with write(s):
        indicator = Indicator(retired=False)
        _apply(indicator, data, shape_fixed=False)
        s.add(indicator)
    return indicator


def update_indicator(s: Session, indicator: Indicator, data: IndicatorData, has_figures: bool) -> Indicator:
    with write(s):
        _apply(indicator, data, shape_fixed=indicator.key is not None or has_figures)
    return indicator


def set_retired(s: Session, indicator: Indicator, retired: bool) -> None:
    """A retired indicator keeps its figures and goals; new goals and the grid's list leave it out."""
    with write(s):
        indicator.retired = retired


@dataclass(frozen=True)
class Cell:
    """One grid cell as saved: None value = not reported (an existing figure is deleted)."""

    unit_id: str
    method_id: str | None
    month: dt.date
    value_milli: int | None
    n: int | None


@dataclass(frozen=True)
class Saved:
    created: int = 0
    changed: int = 0
    removed: int = 0


def save_cells(
    s: Session,
    indicator: Indicator,
    days: int | None,
    cells: list[Cell],
    stored: dict[tuple[str, str | None, dt.date], MonthlyFigure],
) -> Saved:
    """Write the cells that differ from `stored` ((unit, method, month) -> its live figure) in one
    transaction: a new figure, a changed one, or an emptied one soft-deleted (not reported)."""
    created = changed = removed = 0
    with write(s):
        for cell in cells:
            figure = stored.get((cell.unit_id, cell.method_id, cell.month))
            if cell.value_milli is None:
                if figure is not None:
                    figure.soft_delete()
                    removed += 1
                continue
            if figure is None:
                s.add(
                    MonthlyFigure(
                        indicator_id=indicator.id,
                        unit_id=cell.unit_id,
                        method_id=cell.method_id,
                        month=cell.month,
                        days=days if indicator.takes_days else None,
                        value_milli=cell.value_milli,
                        n=cell.n,
                    )
                )
                created += 1
            elif (figure.value_milli, figure.n) != (cell.value_milli, cell.n):
                figure.value_milli, figure.n = cell.value_milli, cell.n
                changed += 1
    return Saved(created, changed, removed)
