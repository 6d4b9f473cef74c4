"""Every write of the events feature, each one transaction (app.store.write)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Event, EventMethod, EventUnit
from app.models.base import new_id, utcnow
from app.queries.common import live
from app.store import write


@dataclass
class EventData:
    type: str
    title: str
    date: dt.date
    theme: str = ""
    start_time: dt.time | None = None
    duration_minutes: int = 60
    place: str = ""
    remote: bool = False
    status: str = "planned"
    unit_ids: list[str] = field(default_factory=list)
    method_ids: list[str] = field(default_factory=list)
    feedback_avg_centi: int | None = None
    feedback_count: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class Counts:
    professionals: int | None = None
    supervisors: int | None = None
    others: int | None = None


def _apply(event: Event, data: EventData, day: dt.date) -> None:
    event.type = data.type
    event.title = data.title.strip()
    event.theme = data.theme.strip()
    event.date = day
    event.start_time = data.start_time
    event.duration_minutes = data.duration_minutes
    event.place = data.place.strip()
    event.remote = bool(data.remote)
    event.status = data.status
    event.feedback_avg_centi = data.feedback_avg_centi
    event.feedback_count = data.feedback_count if data.feedback_avg_centi is not None else None
    event.notes = data.notes.strip()


def _sync_links(s: Session, model, column: str, event_id: str, wanted: list[str], existing: list) -> None:
    """Make the live link rows of one event exactly `wanted`: undelete, add, soft-delete.

    Rows are never removed: a unit taken off an event keeps its attendance as a
    tombstone, so a later sync or undo sees what happened.
    """
    by_target = {getattr(row, column): row for row in existing}
    for target in dict.fromkeys(wanted):
        row = by_target.get(target)
        if row is None:
            s.add(model(event_id=event_id, **{column: target}))
        elif row.deleted:
            row.undelete()
    for target, row in by_target.items():
        if target not in wanted and not row.deleted:
            row.soft_delete()


def _links(s: Session, model, event_id: str) -> list:
    return list(s.scalars(select(model).where(model.event_id == event_id)))


def create_events(s: Session, data: EventData, dates: list[dt.date] | None = None) -> list[Event]:
    """One event, or a recurring series (one per date, sharing a series_id) in one transaction."""
    dates = dates or [data.date]
    series_id = new_id() if len(dates) > 1 else None
    created = []
    with write(s):
        for day in dates:
            event = Event(id=new_id(), series_id=series_id)
            _apply(event, data, day)
            s.add(event)
            for unit_id in dict.fromkeys(data.unit_ids):
                s.add(EventUnit(event_id=event.id, unit_id=unit_id))
            for method_id in dict.fromkeys(data.method_ids):
                s.add(EventMethod(event_id=event.id, method_id=method_id))
            created.append(event)
    return created


def update_event(s: Session, event: Event, data: EventData) -> None:
    """Edit one event. In a series the others stay as they are."""
    with write(s):
        _apply(event, data, data.date)
        _sync_links(s, EventUnit, "unit_id", event.id, data.unit_ids, _links(s, EventUnit, event.id))
        _sync_links(s, EventMethod, "method_id", event.id, data.method_ids, _links(s, EventMethod, event.id))


def record_attendance(
    s: Session, event: Event, counts: dict[str, Counts], feedback_avg_centi: int | None, feedback_count: int | None
) -> None:
    """Mark the event held with attendance per concerned unit (by unit id) and its feedback."""
    with write(s):
        for row in _links(s, EventUnit, event.id):
            if row.deleted or row.unit_id not in counts:
                continue
            c = counts[row.unit_id]
            row.professionals, row.supervisors, row.others = c.professionals, c.supervisors, c.others
        event.status = "held"
        event.feedback_avg_centi = feedback_avg_centi
        event.feedback_count = feedback_count if feedback_avg_centi is not None else None


def following_in_series(s: Session, event: Event) -> list[Event]:
    """This event and the live events after it in its series (by date; same day: later start)."""
    if not event.series_id:
        return [event]
    rows = s.scalars(
        select(Event)
        .where(Event.series_id == event.series_id, live(Event.deleted), Event.date >= event.date)
        .order_by(Event.date, Event.start_time, Event.id)
    )
    return [e for e in rows if e.id == event.id or e.date > event.date or _starts_later(e, event)]


def _starts_later(other: Event, event: Event) -> bool:
    if other.start_time is None or event.start_time is None:
        return False
    return other.start_time > event.start_time


def delete_following(s: Session, event: Event) -> list[Event]:
    """Soft-delete this event and the following ones in its series.

    They share one updated_at, so Undo restores exactly this batch and not an
    event of the series that was deleted on its own earlier.
    """
    batch = following_in_series(s, event)
    stamp = utcnow()
    with write(s):
        for e in batch:
            e.soft_delete()
            e.updated_at = stamp
    return batch


def restore_following(s: Session, event: Event) -> list[Event]:
    """Undo delete_following(event): the series' events deleted in the same batch."""
    if not event.series_id:
        batch = [event]
    else:
        batch = list(
            s.scalars(
                select(Event).where(
                    Event.series_id == event.series_id,
                    Event.deleted.is_(True),
                    Event.updated_at == event.updated_at,
                )
            )
        )
    with write(s):
        for e in batch:
            e.undelete()
    return batch


def set_status(s: Session, event: Event, status: str) -> str:
    """Mark an event held, planned or cancelled (the dashboard's one-press "held", and its undo);
    returns the status it had."""
    before = event.status
    with write(s):
        event.status = status
    return before
