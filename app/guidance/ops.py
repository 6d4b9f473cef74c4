"""The guidance feature's writes: trainees, sessions with their attendance, and erasure.

Every write is one transaction (`with write(s)`). Deleting and restoring go through
app.web.undo; removing someone from a session soft-deletes the attendance row, so the
change travels in the next export as a tombstone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.text import fold
from app.models import GuidanceSession, SessionTrainee, Trainee, utcnow
from app.models.base import new_id
from app.store import write


@dataclass
class TraineeData:
    name: str
    method_id: str
    email: str = ""
    profession: str = ""
    unit_id: str | None = None
    cohort: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None


def save_trainee(s: Session, data: TraineeData, trainee: Trainee | None = None) -> Trainee:
    """Create or edit a trainee. An erased trainee's name and email stay blank for good."""
    with write(s):
        trainee = trainee or Trainee()
        if trainee.erased_at is None:
            trainee.name = data.name.strip()
            trainee.email = data.email.strip()
        else:
            trainee.name, trainee.email = "", ""
        trainee.name_key = fold(trainee.name)
        trainee.profession = data.profession.strip()
        trainee.unit_id = data.unit_id or None
        trainee.method_id = data.method_id
        trainee.cohort = data.cohort.strip()
        trainee.start_date = data.start_date
        trainee.end_date = data.end_date
        s.add(trainee)
    return trainee


def erase_trainee(s: Session, trainee: Trainee) -> Trainee:
    """Right to erasure: blank the name and email, keep the row, its attendance and totals.

    updated_at moves explicitly (even on a second erase) so the blanked row is in the
    next export and overwrites the name the central office may have received earlier.
    """
    with write(s):
        now = utcnow()
        trainee.name = ""
        trainee.name_key = ""
        trainee.email = ""
        trainee.erased_at = trainee.erased_at or now
        trainee.updated_at = now
    return trainee


@dataclass
class SessionData:
    date: dt.date
    method_id: str
    kind: str
    mode: str
    duration_minutes: int
    cases_discussed: int = 0
    topics: str = ""
    notes: str = ""
    trainee_ids: list[str] = field(default_factory=list)


def save_session(s: Session, data: SessionData, record: GuidanceSession | None = None) -> GuidanceSession:
    """Create or edit a session and set who was present, in one transaction."""
    with write(s):
        record = record or GuidanceSession(id=new_id())
        record.date = data.date
        record.method_id = data.method_id
        record.kind = data.kind
        record.mode = data.mode
        record.duration_minutes = data.duration_minutes
        record.cases_discussed = data.cases_discussed
        record.topics = data.topics.strip()
        record.notes = data.notes.strip()
        s.add(record)
        _set_attendance(s, record.id, data.trainee_ids)
    return record


def _set_attendance(s: Session, session_id: str, trainee_ids: list[str]) -> None:
    wanted = list(dict.fromkeys(trainee_ids))
    rows = s.scalars(select(SessionTrainee).where(SessionTrainee.session_id == session_id)).all()
    by_trainee: dict[str, list[SessionTrainee]] = {}
    for row in rows:
        by_trainee.setdefault(row.trainee_id, []).append(row)
    for trainee_id, kept in by_trainee.items():
        # Keep one live row per trainee present (a merge may have brought twins); retire the rest.
        keep = kept[0] if trainee_id in wanted else None
        if keep is not None:
            live = [r for r in kept if not r.deleted]
            keep = live[0] if live else kept[0]
            if keep.deleted:
                keep.undelete()
        for row in kept:
            if row is not keep and not row.deleted:
                row.soft_delete()
    for trainee_id in wanted:
        if trainee_id not in by_trainee:
            s.add(SessionTrainee(session_id=session_id, trainee_id=trainee_id))
