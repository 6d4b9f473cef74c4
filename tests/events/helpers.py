"""Rows and page-reading helpers for the events tests."""

from __future__ import annotations

import datetime as dt
import html
import re

from sqlalchemy import select

from app.core.text import fold
from app.models import Event, EventMethod, EventUnit, Unit
from app.models.methods import seed_id
from tests.common import text

IPC = seed_id("ipc")
COOL_KIDS = seed_id("cool-kids")


def add_unit(app, name: str, active: bool = True) -> str:
    with app.extensions["koordi.store"].Session() as s:
        unit = Unit(name=name, name_key=fold(name), service_line="health_station", age_group="adults", active=active)
        s.add(unit)
        s.commit()
        return unit.id


def event_form(**extra) -> dict:
    data = {
        "type": "workshop",
        "title": "Työpaja",
        "theme": "",
        "date": "2026-03-16",
        "start_time": "09:00",
        "duration_minutes": "90",
        "place": "",
        "status": "planned",
        "feedback_avg": "",
        "feedback_count": "",
        "notes": "",
    }
    data.update(extra)
    return data


def create(client, **extra) -> str:
    resp = client.post("/events/new", event_form(**extra))
    assert resp.status_code == 302, field_errors(text(resp))
    m = re.fullmatch(r"/events/([0-9a-f-]{36})", resp.headers["Location"])
    assert m, resp.headers["Location"]
    return m.group(1)


def events(app, include_deleted: bool = False) -> list[Event]:
    with app.extensions["koordi.store"].Session() as s:
        stmt = select(Event).order_by(Event.date, Event.start_time)
        if not include_deleted:
            stmt = stmt.where(Event.deleted.is_(False))
        return list(s.scalars(stmt))


def get_event(app, event_id: str) -> Event:
    with app.extensions["koordi.store"].Session() as s:
        return s.get(Event, event_id)


def attendance(app, event_id: str) -> dict[str, tuple]:
    """{unit_id: (professionals, supervisors, others)} of the event's live rows."""
    with app.extensions["koordi.store"].Session() as s:
        rows = s.scalars(select(EventUnit).where(EventUnit.event_id == event_id, EventUnit.deleted.is_(False)))
        return {r.unit_id: (r.professionals, r.supervisors, r.others) for r in rows}


def linked_methods(app, event_id: str) -> set[str]:
    with app.extensions["koordi.store"].Session() as s:
        rows = s.scalars(select(EventMethod).where(EventMethod.event_id == event_id, EventMethod.deleted.is_(False)))
        return {r.method_id for r in rows}


def field_errors(page: str) -> list[tuple[str, str]]:
    return [(f, html.unescape(m)) for f, m in re.findall(r'<p class="error" id="([\w-]+)-error">(.*?)</p>', page, re.S)]


def field_error(page: str, field_id: str) -> str:
    """The error shown at one field (empty when there is none)."""
    m = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', page, re.S)
    return html.unescape(m.group(1)) if m else ""


def flashes(page: str) -> str:
    m = re.search(r'<div class="flashes".*?</div>\s*</div>', page, re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(0)))) if m else ""


def undo_action(page: str) -> str:
    m = re.search(r'<div class="flash flash-undo">.*?<form method="post" action="([^"]+)"', page, re.S)
    assert m, "no Undo button"
    return html.unescape(m.group(1))


def list_titles(page: str) -> list[str]:
    """Titles in the list table, top to bottom."""
    table = page.split('<table class="event-table">', 1)[1].split("</table>", 1)[0]
    return [html.unescape(t) for t in re.findall(r'<a href="/events/[0-9a-f-]{36}">(.*?)</a>', table)]


def list_dates(page: str) -> list[str]:
    table = page.split('<table class="event-table">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr[^>]*>\s*<td>([\d.]+)</td>", table)


def iso(d: dt.date) -> str:
    return d.isoformat()
