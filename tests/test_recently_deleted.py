"""Settings, Recently deleted: what was deleted, when, and a Restore that brings back exactly
what went together (app/queries/deletion.py), stamped so the next export carries it."""

from __future__ import annotations

import datetime as dt
import html
import re

from sqlalchemy import select

from app.models import Deployment, Event, Goal, GuidanceSession, Trainee, Unit
from tests.common import IPC, add, db, in_english, text, unit_row
from tests.events.helpers import create

PAGE = "/settings/deleted"


def rows(page: str) -> list[tuple[str, str, str]]:
    """(type, name, restore action) of each row."""
    body = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>|\s+", " ", c)).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        action = re.search(r'action="([^"]+)"', row).group(1)
        out.append((cells[1], re.sub(r"\s+", " ", cells[2]), html.unescape(action)))
    return out


def stamp(app, model, id_):
    with db(app) as s:
        row = s.get(model, id_)
        return row.deleted, row.updated_at


def test_every_kind_deleted_is_listed_newest_first_and_restores(profiled, app):
    in_english(profiled)
    assert "Nothing has been deleted." in text(profiled.get(PAGE))
    unit, other = add(app, unit_row("Kuhmon terveysasema"), unit_row("Sotkamon perheneuvola"))
    trainee = Trainee(name="Olli Ohjattava", name_key="olli ohjattava", method_id=IPC, unit_id=unit)
    session = GuidanceSession(date=dt.date(2026, 3, 5), method_id=IPC, duration_minutes=60)
    goal = Goal(title="Kymmenen koulutettua", method_id=IPC, target_value=10)
    deployment = Deployment(unit_id=other, method_id=IPC, phase="pilot", phase_since=session.date)
    add(app, trainee, session, goal, deployment)
    lone = create(profiled, title="Yksittäinen työpaja")
    create(profiled, title="Ohjausryhmä", repeat_weeks="1", repeat_count="3")
    with db(app) as s:
        series = list(s.scalars(select(Event).where(Event.title == "Ohjausryhmä").order_by(Event.date)))

    for url in (
        f"/goals/{goal.id}/delete",
        f"/guidance/trainees/{trainee.id}/delete",
        f"/guidance/sessions/{session.id}/delete",
        f"/deployments/{deployment.id}/delete",
        f"/events/{lone}/delete",
        f"/units/{unit}/delete",
    ):
        assert profiled.post(url, {"scope": "one"}).status_code == 302, url
    # The series' last event alone, then the first two together (one batch, one row).
    profiled.post(f"/events/{series[2].id}/delete", {"scope": "one"})
    profiled.post(f"/events/{series[0].id}/delete", {"scope": "following"})

    listed = rows(text(profiled.get(PAGE)))
    kinds = [kind for kind, _name, _action in listed]
    assert kinds == ["Event", "Event", "Unit", "Event", "Deployment", "Guidance session", "Trainee", "Goal"]
    assert listed[0][1].endswith("Ohjausryhmä (2 events of the series)")
    assert listed[0][2] == f"/events/{series[0].id}/restore?scope=following"
    assert listed[2] == ("Unit", "Kuhmon terveysasema", f"/units/{unit}/restore")
    assert listed[5][1] == "5.3.2026 Interpersonal counselling IPC"
    assert "Sotkamon perheneuvola" in listed[4][1]

    # Restore the unit: live again, stamped after its deletion (the next export carries it).
    _deleted, when_deleted = stamp(app, Unit, unit)
    resp = profiled.post(listed[2][2], {}, csrf_from=PAGE)
    assert resp.status_code == 302 and resp.headers["Location"] == f"/units/{unit}"
    deleted, restored_at = stamp(app, Unit, unit)
    assert deleted is False and restored_at > when_deleted
    # The series' batch comes back together; the event deleted on its own earlier stays deleted.
    profiled.post(listed[0][2], {}, csrf_from=PAGE)
    assert [stamp(app, Event, e.id)[0] for e in series] == [False, False, True]
    for _kind, _name, action in listed[3:]:
        assert profiled.post(action, {}, csrf_from=PAGE).status_code == 302, action
    assert [kind for kind, _n, _a in rows(text(profiled.get(PAGE)))] == ["Event"]  # the lone series event
