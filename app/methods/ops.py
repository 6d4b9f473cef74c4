"""Writes of the method catalogue, each one transaction.

Editing changes a method in place, so a seeded method keeps its stable uuid5 id
(and its key) and every record pointing at it stays pointing at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import Method
from app.store import write


@dataclass
class MethodData:
    name_fi: str
    target_group: str
    name_sv: str = ""
    name_en: str = ""
    description: str = ""


def _apply(method: Method, data: MethodData) -> None:
    method.name_fi = data.name_fi.strip()
    method.name_sv = (data.name_sv or "").strip()
    method.name_en = (data.name_en or "").strip()
    method.target_group = data.target_group
    method.description = (data.description or "").strip()


def create_method(s: Session, data: MethodData) -> Method:
    """A coordinator's own method: a random uuid4 id (the model default), no seed key."""
    with write(s):
        method = Method(retired=False)
        _apply(method, data)
        s.add(method)
    return method


def update_method(s: Session, method: Method, data: MethodData) -> Method:
    with write(s):
        _apply(method, data)
    return method


def set_retired(s: Session, method: Method, retired: bool) -> None:
    """Retired methods keep every record that uses them; new records cannot choose them."""
    with write(s):
        method.retired = retired
