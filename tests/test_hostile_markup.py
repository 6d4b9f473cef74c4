"""Stored markup never reaches a page as markup: every text field of every record holds HTML
that would act if it were written into the page unescaped (a refresh to another site, a
script, an attribute break-out), and every GET page of the URL map is rendered.

The records are written straight to the database: such text may arrive typed into a form
or in an imported zip. A unit named `<meta http-equiv="refresh" …>` once navigated the
window away from the attendance page (its field labels were lazy strings, taken as safe
markup). Pages are found from app.url_map as tests/browser/test_every_page_axe.py finds
them, and rendered by Flask's client; list pages are also asked for with the markup as
their search text, and the import preview shows the same data arriving in a zip.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from flask import url_for
from sqlalchemy import func, select, update

from app.core import clock
from app.core.text import fold
from app.exchange import format as fmt
from app.models import (
    CoordinatorProfile,
    Deployment,
    Event,
    EventMethod,
    EventUnit,
    Goal,
    GoalUpdate,
    GuidanceSession,
    Method,
    PhaseChange,
    SessionTrainee,
    SurveySkip,
    Trainee,
    Unit,
)
from app.settings import ops as settings_ops
from app.sync.export import build_export
from tests.common import IPC, db

# Each kind of attack, with a tag saying which table and column it was stored in.
HOSTILE = (
    '<meta http-equiv="refresh" content="1;url=http://x.invalid/{tag}">',
    "<img src=x onerror=alert('{tag}')>",
    "\"'><script>alert('{tag}')</script>",
)
SHORT = "<u>short</u>"  # for a column too short for the others (a survey answer's option)
# What any of them looks like when written into a page as markup.
UNESCAPED = re.compile(
    r"<meta http-equiv=\"refresh\"[^>]*x\.invalid/([\w.]+)|<img src=x onerror=alert\('([\w.]+)'\)|<script>alert\('([\w.]+)'\)"
    r"|<u>(short)</u>"
)
# GET rules that are no page: static files and one-time downloads.
NOT_PAGES = {"static", "files.download"}
TODAY = clock.today()


def attack(kind: int, column: fmt.Column, tag: str) -> str:
    """Attack `kind` tagged with where it is stored, short enough for the column (as an import checks)."""
    for label in (tag, "t"):
        text = HOSTILE[kind].format(tag=label)
        if column.max_length is None or len(text) <= column.max_length:
            return text
    return SHORT


def hostile(kind: int, record) -> None:
    """Every exported text column of `record` (and the derived name keys) set to attack `kind`."""
    spec = next(t for t in fmt.TABLES if t.model is type(record))
    for column in spec.columns:
        if column.is_text and column.name != "key":  # methods.key, instruments.key: the seeded ones' own
            setattr(record, column.name, attack(kind, column, f"{spec.name}.{column.name}"))
    if hasattr(record, "name_key"):
        record.name_key = fold(record.name)


def generic_rows(s, kind: int, ids: dict[str, str]) -> None:
    """A row of each exported table fill() does not build by hand (a table added to the format
    later): references to the rows made before it, the first allowed value of each column."""
    sync = {"id", "created_at", "updated_at", "deleted"}
    for spec in fmt.TABLES:
        if spec.name in ids:
            continue
        values: dict[str, object] = {}
        for column in spec.columns:
            if column.name in sync or column.nullable and column.kind is not fmt.Kind.REF:
                continue
            if column.kind is fmt.Kind.REF:
                values[column.name] = ids.get(column.ref)
            elif column.kind is fmt.Kind.ENUM:
                values[column.name] = column.values[0]
            elif column.kind is fmt.Kind.INT:
                values[column.name] = column.minimum or 0
            elif column.kind is fmt.Kind.DATE:
                values[column.name] = TODAY
            elif column.kind is fmt.Kind.BOOL:
                values[column.name] = False
        record = spec.model(**values)
        hostile(kind, record)
        s.add(record)
        s.flush()
        ids[spec.name] = record.id


def fill(app, kind: int) -> dict[str, str]:
    """A record of each kind, linked as the app links them, every text of attack `kind`."""
    with db(app) as s:
        unit, method = Unit(service_line="health_station", age_group="adults"), Method(target_group="adult")
        for record in (unit, method):
            hostile(kind, record)
        s.add_all([unit, method])
        s.flush()
        deployment = Deployment(unit_id=unit.id, method_id=method.id, phase="pilot", phase_since=TODAY)
        series = f"00000000-0000-4000-8000-00000000000{kind}"
        events = [
            Event(type="workshop", date=TODAY + dt.timedelta(days=7 * i), series_id=series, status="held") for i in range(2)
        ]
        trainee = Trainee(method_id=method.id, unit_id=unit.id)
        session = GuidanceSession(date=TODAY, method_id=method.id, duration_minutes=60)
        goal = Goal(unit_id=unit.id, method_id=method.id, target_value=10)
        for record in (deployment, *events, trainee, session, goal):
            hostile(kind, record)
        s.add_all([deployment, *events, trainee, session, goal])
        s.flush()
        update_ = GoalUpdate(goal_id=goal.id, date=TODAY, value=3)
        hostile(kind, update_)
        # "Not done, because…" of survey rounds: one as an import may bring it, one of a round the
        # deployment has due (the unit page shows its reason).
        skips = [SurveySkip(deployment_id=deployment.id), SurveySkip(deployment_id=deployment.id)]
        for skip in skips:
            hostile(kind, skip)
        skips[1].due_key = "usability-1"
        phase = PhaseChange(deployment_id=deployment.id, phase="pilot", changed_on=TODAY)
        hostile(kind, phase)  # its reason in the coordinator's words (issue 13)
        s.add_all(
            [
                phase,
                *(EventUnit(event_id=e.id, unit_id=unit.id, professionals=2) for e in events),
                *(EventMethod(event_id=e.id, method_id=m) for e in events for m in (method.id, IPC)),
                SessionTrainee(session_id=session.id, trainee_id=trainee.id),
                update_,
                *skips,
            ]
        )
        session.event_id = events[0].id
        s.commit()
        ids = {
            "units": unit.id,
            "methods": method.id,
            "deployments": deployment.id,
            "events": events[0].id,
            "trainees": trainee.id,
            "guidance_sessions": session.id,
            "goals": goal.id,
        }
        built = fmt.TABLES[: fmt.TABLES.index(fmt.TABLE_BY_NAME["goal_updates"]) + 1]  # here, by hand
        # The indicator files sit before goals.csv (a goal points at an indicator): generic rows.
        ids.update({t.name: "" for t in built if t.name not in ids and t.name not in ("indicators", "monthly_figures")})
        generic_rows(s, kind, ids)
        s.commit()
        return ids


def uncovered(app) -> list[str]:
    """Exported tables with text columns but no hostile row: fill() must learn a new table."""
    out = []
    with db(app) as s:
        for spec in fmt.TABLES:
            texts = [c.name for c in spec.columns if c.is_text and c.name != "key"]
            if texts:
                column = spec.model.__table__.c[texts[0]]
                attacked = column.like("%x.invalid%") | column.like("%alert(%") | (column == SHORT)
                if not s.scalar(select(func.count()).where(attacked)):
                    out.append(spec.name)
    return out


@pytest.fixture
def hostile_app(app, profiled):
    ids = [fill(app, kind) for kind in range(len(HOSTILE))]
    with db(app) as s:
        s.execute(
            update(CoordinatorProfile).values(
                name=HOSTILE[0].format(tag="profile.name"), central_office_email=HOSTILE[2].format(tag="profile.email")
            )
        )
        settings_ops.save_settings(s, {settings_ops.SAVE_FOLDER_KEY: HOSTILE[1].format(tag="settings.folder")})
        s.commit()
    assert profiled.post("/backups").status_code in (200, 302)
    return profiled, ids


def table_of(rule: str) -> str:
    """The table whose record a rule's id names: /units/<id> -> units, /surveys/rounds/<id> -> survey_rounds."""
    parts = rule.strip("/").split("/") + [""]
    if parts[0] == "guidance":
        return {"sessions": "guidance_sessions", "trainees": "trainees"}.get(parts[1], "")
    if parts[0] == "surveys":
        return {"instruments": "instruments", "items": "instrument_items", "rounds": "survey_rounds"}.get(parts[1], "")
    return parts[0]


def every_page(app, ids: dict[str, str], backup: str) -> list[str]:
    """Every GET rule of the URL map, a record of the rule's own kind where it needs an id."""
    values = {"year": TODAY.year, "month": TODAY.month, "name": backup}
    paths = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        kind = table_of(rule.rule)
        args = {arg: values[arg] if arg in values else ids.get(kind) or "nothing" for arg in rule.arguments}
        with app.test_request_context():
            paths.append(url_for(rule.endpoint, **args))
    return paths


def leaks(body: str) -> list[str]:
    return sorted({next(g for g in m.groups() if g) for m in UNESCAPED.finditer(body)})


def test_no_stored_markup_reaches_any_page_unescaped(app, hostile_app):
    client, ids = hostile_app
    about = client.get("/about").get_data(as_text=True)
    backup = re.search(r"/backups/([^/\"]+)/restore", about).group(1)
    paths = []
    for kind_ids in ids:
        paths += every_page(app, kind_ids, backup)
    # Search texts come back in the page too (the field, the pagination links).
    for page in ("/units", "/events", "/guidance/trainees", "/search", "/goals", "/methods", "/deployments"):
        paths += [f"{page}?q={HOSTILE[k].format(tag='query')}" for k in range(len(HOSTILE))]
    paths.append(f"/guidance/sessions/trainee-options?method={ids[0]['methods']}")
    # The same records arriving in a zip: the import preview.
    with db(app) as s:
        data = build_export(s, full=True, include_notes=True, include_names=True).data
    upload = client.post("/sync/import", {"file": (io.BytesIO(data), "hostile.zip")}, csrf_from="/sync/import")
    assert upload.status_code == 302, upload.status_code
    paths.append(upload.headers["Location"])

    found: dict[str, list[str]] = {}
    failed: list[str] = []
    shown = 0
    for path in dict.fromkeys(paths):
        resp = client.get(path)
        if resp.status_code >= 500:
            failed.append(path)
        body = resp.get_data(as_text=True)
        shown += body.count("&lt;img src=x") + body.count("&lt;meta http-equiv") + body.count("&lt;script&gt;alert")
        if leaks(body):
            found[path] = leaks(body)
    assert shown > 100, "the hostile text is not on the pages at all: the test would prove nothing"
    assert not found, found
    assert not failed, failed


def test_the_hostile_data_set_covers_every_exported_table_with_text(app, hostile_app):
    """A table added to the export format needs hostile rows in fill() too, or its pages go unchecked."""
    assert not uncovered(app), "tables whose text is not hostile yet: add them to fill()"
