"""Shared helpers of the guidance tests: seeded methods, a unit, trainees and sessions by the UI."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.core.text import fold
from app.models import GuidanceSession, SessionTrainee, Trainee, Unit
from app.models.methods import seed_id
from tests.common import db, text, today

IPC = seed_id("ipc")
COOL_KIDS = seed_id("cool-kids")


def add_unit(app, name: str = "Terveysasema Keskus") -> str:
    with db(app) as s:
        unit = Unit(name=name, name_key=fold(name), service_line="health_station", age_group="adults")
        s.add(unit)
        s.commit()
        return unit.id


def add_trainee(client, name: str, method: str = IPC, **extra) -> str:
    data = {"name": name, "method_id": method, "unit_id": "", **extra}
    resp = client.post("/guidance/trainees/new", data, csrf_from="/guidance/trainees/new")
    assert resp.status_code == 302, text(resp)
    return resp.headers["Location"].rsplit("/", 1)[-1]


def session_form(**fields) -> dict:
    data = {
        "date": today().isoformat(),
        "method": IPC,
        "kind": "group",
        "duration_minutes": "90",
        "mode": "onsite",
        "cases_discussed": "0",
        "topics": "",
        "notes": "",
    }
    data.update(fields)
    return data


def add_session(client, trainees: list[str], **fields) -> str:
    resp = client.post(
        "/guidance/sessions/new", {**session_form(**fields), "trainees": trainees}, csrf_from="/guidance/sessions/new"
    )
    assert resp.status_code == 302, text(resp)
    m = re.search(r"saved=([0-9a-f-]+)", resp.headers["Location"])
    assert m, resp.headers["Location"]
    return m.group(1)


def counts(app) -> tuple[int, int, int]:
    """(trainees, sessions, attendance rows) stored, deleted ones too."""
    with db(app) as s:
        return (
            len(s.scalars(select(Trainee)).all()),
            len(s.scalars(select(GuidanceSession)).all()),
            len(s.scalars(select(SessionTrainee)).all()),
        )


def checked_trainees(page: str) -> set[str]:
    return set(re.findall(r'name="trainees" value="([^"]+)"[^>]*\bchecked', page))


def offered_trainees(page: str) -> list[str]:
    return re.findall(r'name="trainees" value="([^"]+)"', page)
