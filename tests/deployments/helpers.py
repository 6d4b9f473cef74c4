"""Rows and page-reading helpers for the deployments tests."""

from __future__ import annotations

import datetime as dt
import html
import re

from app.core.text import fold
from app.models import Deployment, PhaseChange, Unit
from app.models.methods import seed_id
from app.queries import deployments as q
from tests.common import text  # noqa: F401 - shared with other test packages

COOL_KIDS = seed_id("cool-kids")
IPC = seed_id("ipc")
IPT = seed_id("ipt")


def add_unit(app, name: str, deleted: bool = False, active: bool = True) -> str:
    with app.extensions["koordi.store"].Session() as s:
        unit = Unit(
            name=name, name_key=fold(name), service_line="health_station", age_group="adults", active=active, deleted=deleted
        )
        s.add(unit)
        s.commit()
        return unit.id


def deployments(app, include_deleted: bool = False) -> list[Deployment]:
    with app.extensions["koordi.store"].Session() as s:
        stmt = s.query(Deployment)
        if not include_deleted:
            stmt = stmt.filter(Deployment.deleted.is_(False))
        return stmt.all()


def history(app, deployment_id: str) -> list[tuple[str, dt.date]]:
    with app.extensions["koordi.store"].Session() as s:
        return [(c.phase, c.changed_on) for c in q.phase_history(s, deployment_id)]


def phase_change_count(app) -> int:
    with app.extensions["koordi.store"].Session() as s:
        return s.query(PhaseChange).count()


def field_error(page: str, field_id: str) -> str:
    """The error shown at one field (empty when there is none)."""
    m = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', page, re.S)
    return html.unescape(m.group(1)) if m else ""


def flashes(page: str) -> str:
    m = re.search(r'<div class="flashes".*?</div>\s*</div>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", m.group(0))) if m else ""


def form(unit_id: str, method_id: str = COOL_KIDS, **extra) -> dict:
    data = {
        "unit_id": unit_id,
        "method_id": method_id,
        "phase": "planned",
        "phase_since": "2026-01-12",
        "professionals_trained": "0",
        "pilot_start": "",
        "pilot_end": "",
        "notes": "",
    }
    data.update(extra)
    return data
