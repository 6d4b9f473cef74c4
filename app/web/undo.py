"""Delete with undo: a soft delete, and a flash whose Undo button restores the row.

What a delete takes with it (the rule, decided once): nothing but the row asked for. A
deleted unit's deployments, event links, trainees, goals and survey rounds keep their own
rows, live: the deployments are hidden through the deleted unit, the others still show it
by name (the history stands). So restoring the unit, from Undo or from Settings, Recently
deleted, brings back exactly what went with it, and a record deleted on its own before
stays deleted. A batch deleted in one go (the following events of a series) shares one
updated_at and is restored together (events/ops.py). A restore is an UPDATE, so it bumps
updated_at: the next export carries the record live again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash, redirect
from sqlalchemy.orm import Session

from app.models.base import SyncedMixin
from app.store import write
from app.web.db import or_404

T = TypeVar("T", bound=SyncedMixin)


def delete_with_undo(s: Session, record: SyncedMixin, message: str, restore_url: str) -> None:
    with write(s):
        record.soft_delete()
    flash(message, f"undo:{restore_url}")


def restore(s: Session, record: SyncedMixin) -> None:
    with write(s):
        record.undelete()


def restore_view(s: Session, model: type[T], record_id: str, message: Callable[[T], str], back: Callable[[T], str]):
    """The Undo button's target: restore the row if it is deleted (twice is harmless), then go back."""
    record = or_404(s.get(model, record_id))
    if record.deleted:
        restore(s, record)
        flash(message(record), "success")
    return redirect(back(record))
