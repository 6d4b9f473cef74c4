"""Events as an .ics file: what of an event may leave Koordi in a calendar file.

Summary, time, place, type, theme, units and methods travel; notes never do
(they may hold things meant only for the coordinator's own eyes).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.core import collation, ics
from app.i18n import format_date
from app.labels.events import TYPE_LABELS
from app.labels.survey_results import DUE_LABELS, due_label_key
from app.models import Event
from app.models.base import utcnow
from app.queries import events as q
from app.queries.survey_schedule import rounds_between
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


def to_calendar_event(
    event: Event, units: list[str], methods: list[str], links_changed: dt.datetime | None = None
) -> ics.CalendarEvent:
    """`links_changed`: when its units or methods last changed (they are in the description), so
    that LAST-MODIFIED and SEQUENCE grow then too."""
    cancelled = event.status == "cancelled"
    return ics.CalendarEvent(
        uid=ics.event_uid(event.id),
        # Said in the title too: many calendars ignore STATUS in an imported file.
        summary=_("CANCELLED: %(title)s", title=event.title) if cancelled else event.title,
        date=event.date,
        start_time=event.start_time,
        duration_minutes=event.duration_minutes,
        location="Teams" if event.remote else event.place,
        description=description(event, units, methods),
        cancelled=cancelled,
        last_modified=max(event.updated_at, links_changed) if links_changed else event.updated_at,
    )


def calendar_file(s: Session, events: list[Event], name: str, extra: list[ics.CalendarEvent] | None = None) -> bytes:
    """The .ics bytes of `events` (units and methods fetched in two queries, not per event),
    and `extra` items (the annual plan's due survey rounds)."""
    ids = [e.id for e in events]
    units = q.units_by_event(s, ids)
    methods = q.methods_by_event(s, ids)
    changed = q.links_changed_at(s, ids)
    lang = current_language()
    items = [
        to_calendar_event(
            e,
            [u.name for u in units.get(e.id, [])],
            sorted((m.name(lang) for m in methods.get(e.id, [])), key=collation.key),
            changed.get(e.id),
        )
        for e in events
    ]
    return ics.calendar(items + list(extra or []), dtstamp=utcnow(), name=name)


# -- follow-up survey rounds in the annual plan (issue 12) --------------------------------------------


def survey_round_items(s: Session, year: int, today: dt.date) -> list[ics.CalendarEvent]:
    """The survey rounds still to do that are due in `year`, as all-day items: a usability round on
    its due day, a NoMAD round on the first day of its month. Titled with what, where and by when;
    the window in the description (app.core.survey_schedule: when a round counts as done)."""
    lang = current_language()
    items = []
    for r in rounds_between(s, dt.date(year, 1, 1), dt.date(year, 12, 31), today):
        d = r.deployment
        what = str(DUE_LABELS[due_label_key(r.key)])
        start, end = r.due.window
        items.append(
            ics.CalendarEvent(
                uid=f"survey-{d.id}-{r.key}@{ics.UID_DOMAIN}",
                summary=_(
                    "%(round)s due by %(date)s: %(unit)s, %(method)s",
                    round=what,
                    date=format_date(r.due.due),
                    unit=d.unit.name,
                    method=d.method.name(lang),
                ),
                date=r.due.opens,
                start_time=None,
                duration_minutes=24 * 60,
                description=_(
                    "A follow-up survey round for Koordi. It counts as done when a round of this kind for the "
                    "unit and method is dated %(start)s–%(end)s.",
                    start=format_date(start),
                    end=format_date(end),
                ),
            )
        )
    return items
