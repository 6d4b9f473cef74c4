"""Records that look like the one about to be saved: asked about before a second is made.

A coordinator who presses Enter twice, or reopens a form that is still filled in, should
hear "this is already saved" (app/web/confirm.py) instead of finding two of everything in
the next report. Only live rows count; the record being edited is never its own twin.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.text import fold
from app.models import GuidanceSession, SessionTrainee, Unit
from app.queries.common import live


def name_key(name: str | None) -> str:
    """'  Kuhmon   Terveysasema ' and 'kuhmon terveysasema' are one name."""
    return " ".join(fold(name).split())


def unit_named(s: Session, name: str, exclude: str | None = None) -> Unit | None:
    """A live unit whose name is `name` up to case and spacing."""
    key = name_key(name)
    if not key:
        return None
    # name_key is already folded; only the inner spaces may differ, so the first word narrows it.
    first = key.split()[0]
    stmt = select(Unit).where(live(Unit.deleted), Unit.name_key.like(f"{_like(first)}%", escape="\\"))
    for unit in s.scalars(stmt.order_by(Unit.created_at, Unit.id)):
        if unit.id != exclude and name_key(unit.name) == key:
            return unit
    return None


def same_session(
    s: Session, day: dt.date | None, method_id: str | None, trainee_ids: list[str], exclude: str | None = None
) -> GuidanceSession | None:
    """A live session of the same day and method with exactly these trainees present."""
    if day is None or not method_id:
        return None
    stmt = select(GuidanceSession).where(
        GuidanceSession.date == day, GuidanceSession.method_id == method_id, live(GuidanceSession.deleted)
    )
    candidates = [g for g in s.scalars(stmt.order_by(GuidanceSession.created_at, GuidanceSession.id)) if g.id != exclude]
    if not candidates:
        return None
    present: dict[str, set[str]] = {g.id: set() for g in candidates}
    rows = s.execute(
        select(SessionTrainee.session_id, SessionTrainee.trainee_id).where(
            SessionTrainee.session_id.in_(present), live(SessionTrainee.deleted)
        )
    )
    for session_id, trainee_id in rows:
        present[session_id].add(trainee_id)
    wanted = set(trainee_ids)
    return next((g for g in candidates if present[g.id] == wanted), None)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
