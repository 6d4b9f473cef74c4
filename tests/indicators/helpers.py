"""What the indicator tests share: seeded ids, figures written straight to the database."""

from __future__ import annotations

import datetime as dt

from app.models import Deployment, MonthlyFigure
from app.store.seeds import indicator_id
from tests.common import add

TRAINED = indicator_id("professionals_trained")
STARTED = indicator_id("treatments_started")
MEDIAN = indicator_id("median_days_to_start")
SHARE = indicator_id("share_started_within")
WAITING = indicator_id("waiting_list")


def month(year: int, number: int) -> dt.date:
    return dt.date(year, number, 1)


def figure(indicator: str, unit_id: str, when: dt.date, value: float, method_id: str | None = None, n=None, days=None):
    return MonthlyFigure(
        indicator_id=indicator,
        unit_id=unit_id,
        method_id=method_id,
        month=when,
        value_milli=round(value * 1000),
        n=n,
        days=days,
    )


def deploy(app, unit_id: str, method_id: str, phase: str = "in_use") -> str:
    (did,) = add(app, Deployment(unit_id=unit_id, method_id=method_id, phase=phase, phase_since=dt.date(2025, 1, 1)))
    return did
