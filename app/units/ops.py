"""Writes of the units feature, each one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.text import fold
from app.models import Unit, utcnow
from app.store import write


@dataclass
class UnitData:
    name: str
    service_line: str
    age_group: str
    municipality: str = ""
    supervisor_name: str = ""
    supervisor_email: str = ""
    professionals: int | None = None
    active: bool = True
    notes: str = ""


def _apply(unit: Unit, data: UnitData) -> None:
    unit.name = data.name.strip()
    unit.name_key = fold(unit.name)
    unit.service_line = data.service_line
    unit.age_group = data.age_group
    unit.municipality = (data.municipality or "").strip()
    unit.supervisor_name = (data.supervisor_name or "").strip()
    unit.supervisor_email = (data.supervisor_email or "").strip()
    unit.professionals = data.professionals
    unit.active = data.active
    unit.notes = (data.notes or "").strip()


def create_unit(s: Session, data: UnitData) -> Unit:
    with write(s):
        unit = Unit()
        _apply(unit, data)
        s.add(unit)
    return unit


def update_unit(s: Session, unit: Unit, data: UnitData) -> Unit:
    with write(s):
        _apply(unit, data)
    return unit


def erase_supervisor(s: Session, unit: Unit) -> None:
    """Right to erasure: blank the supervisor's name and email, keep the unit.

    updated_at is stamped even if the fields were already blank, so the blanked
    row travels in the next export and overwrites the central office's copy.
    """
    with write(s):
        unit.supervisor_name = ""
        unit.supervisor_email = ""
        unit.updated_at = utcnow()
