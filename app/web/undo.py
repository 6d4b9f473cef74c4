"""Delete with undo: a soft delete, and a flash whose Undo button restores the row."""

from __future__ import annotations

from flask import flash
from sqlalchemy.orm import Session

from app.models.base import SyncedMixin
from app.store import write


def delete_with_undo(s: Session, record: SyncedMixin, message: str, restore_url: str) -> None:
    with write(s):
        record.soft_delete()
    flash(message, f"undo:{restore_url}")


def restore(s: Session, record: SyncedMixin) -> None:
    with write(s):
        record.undelete()
