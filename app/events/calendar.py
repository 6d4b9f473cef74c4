"""Events as an .ics file: what of an event may leave Koordi in a calendar file.

Summary, time, place, type, theme, units and methods travel; notes never do
(they may hold things meant only for the coordinator's own eyes).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.core import ics
from app.labels.events import TYPE_LABELS
from app.models import Event
from app.models.base import utcnow
from app.queries import events as q
from app.web.i18n import current_language


def description(event: Event, units: list[str], methods: list[str]) -> str:
    lines = [_("Type: %(type)s", type=TYPE_LABELS.get(event.type, event.type))]
    if event.theme:
        lines.append(_("Theme: %(theme)s", theme=event.theme))
    if units:
        lines.append(_("Units: %(names)s", names=", ".join(units)))
    if methods:
        lines.append(_("Methods: %(names)s", names=", ".join(methods)))
    return "\n".join(lines)


def to_calendar_event(event: Event, units: list[str], methods: list[str]) -> ics.CalendarEvent:
    return ics.CalendarEvent(
        uid=ics.event_uid(event.id),
        summary=event.title,
        date=event.date,
        start_time=event.start_time,
        duration_minutes=event.duration_minutes,
        location="Teams" if event.remote else event.place,
        description=description(event, units, methods),
        cancelled=event.status == "cancelled",
        last_modified=event.updated_at,
    )


def calendar_file(s: Session, events: list[Event], name: str) -> bytes:
    """The .ics bytes of `events` (units and methods fetched in two queries, not per event)."""
    ids = [e.id for e in events]
    units = q.units_by_event(s, ids)
    methods = q.methods_by_event(s, ids)
    lang = current_language()
    items = [
        to_calendar_event(
            e,
            [u.name for u in units.get(e.id, [])],
            sorted((m.name(lang) for m in methods.get(e.id, [])), key=str.casefold),
        )
        for e in events
    ]
    return ics.calendar(items, dtstamp=utcnow(), name=name)
