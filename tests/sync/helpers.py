"""Shared helpers of the sync tests: stores on real SQLite files, a sample data set made by the
app's own operations, zips taken apart and put back together, and a digest of a database's data."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

from sqlalchemy import select, text

from app.core import csvfmt
from app.deployments import ops as deployments
from app.events import ops as events
from app.exchange import format as fmt
from app.goals import ops as goals
from app.guidance import ops as guidance
from app.methods import ops as methods
from app.models import (
    CoordinatorProfile,
    EventUnit,
    MonthlyFigure,
    SurveyCount,
    SurveyMean,
    SurveyRound,
    SurveyRoundUnit,
    SurveySkip,
    Unit,
)
from app.models.methods import seed_id
from app.store import DB_NAME, Store
from app.store.seeds import indicator_id, instrument_id, item_id
from app.units import ops as units

UTC = dt.UTC
IPC = seed_id("ipc")
COOL_KIDS = seed_id("cool-kids")
PROFILE = dict(name="Testi Koordinaattori", role="therapy", county="lansi-uusimaa", central_office_email="keskus@example.org")


def open_store(template: Path, folder: Path) -> Store:
    """A store on a copy of an empty, migrated database (much faster than migrating each time)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / DB_NAME)
    return Store.attach(folder)


def add_profile(store: Store, **overrides) -> str:
    with store.Session() as s:
        profile = CoordinatorProfile(**{**PROFILE, **overrides})
        s.add(profile)
        s.commit()
        return profile.id


def fill_sample(store: Store) -> dict[str, str]:
    """A small data set of every table, made through the features' own operations."""
    ids = {}
    with store.Session() as s:
        u1 = units.create_unit(
            s,
            units.UnitData(
                "Äänekosken terveysasema",
                "health_station",
                "adults",
                municipality="Äänekoski",
                supervisor_name="Sanna Esimies",
                supervisor_email="sanna.esimies@example.org",
                professionals=14,
                notes='Pilotti alkaa syksyllä; "tärkeä".\nToinen rivi.',
            ),
        )
        u2 = units.create_unit(s, units.UnitData("Perheneuvola Länsi", "family_counselling", "children_youth"))
        u3 = units.create_unit(s, units.UnitData("Suljettu yksikkö", "other", "both"))
        own = methods.create_method(s, methods.MethodData("Oma menetelmä", "adult", description="Kuvaus."))
        dep = deployments.create(
            s, deployments.DeploymentData(u1.id, IPC, professionals_trained=3, notes="Hyvä alku."), "planned", dt.date(2026, 1, 5)
        )
        deployments.move(s, dep, "training", dt.date(2026, 2, 1))
        one, *series = events.create_events(
            s,
            events.EventData(
                "workshop",
                "IPC-työpaja",
                dt.date(2026, 3, 3),
                theme="Aloitus",
                start_time=dt.time(9, 0),
                duration_minutes=180,
                place="Lohja",
                unit_ids=[u1.id, u2.id],
                method_ids=[IPC],
                notes="Muista kahvit.",
            ),
        )
        events.record_attendance(s, one, {u1.id: events.Counts(5, 1, 0), u2.id: events.Counts(2, None, None)}, 430, 7)
        group = events.create_events(
            s,
            events.EventData("guidance_group", "Ohjausryhmä", dt.date(2026, 4, 1), start_time=dt.time(13, 15)),
            [dt.date(2026, 4, 1), dt.date(2026, 4, 22), dt.date(2026, 5, 13)],
        )
        events.update_event(
            s,
            one,
            events.EventData(
                "workshop",
                "IPC-työpaja",
                dt.date(2026, 3, 3),
                theme="Aloitus",
                start_time=dt.time(9, 0),
                duration_minutes=180,
                place="Lohja",
                status="held",
                unit_ids=[u1.id],
                method_ids=[IPC, COOL_KIDS],
                feedback_avg_centi=430,
                feedback_count=7,
                notes="Muista kahvit.",
            ),
        )  # u2 off the event: its attendance becomes a tombstone
        events.delete_following(s, group[2])
        t1 = guidance.save_trainee(
            s,
            guidance.TraineeData(
                "Matti Meikäläinen", IPC, email="matti@example.org", profession="psykologi", unit_id=u1.id, cohort="Syksy 2026"
            ),
        )
        t2 = guidance.save_trainee(s, guidance.TraineeData("Erkki Esimerkki", IPC, unit_id=u1.id))
        guidance.erase_trainee(s, t2)
        session = guidance.save_session(
            s,
            guidance.SessionData(
                dt.date(2026, 4, 1),
                IPC,
                "group",
                "onsite",
                90,
                cases_discussed=2,
                topics="Aloitus",
                notes="Sujui hyvin.",
                trainee_ids=[t1.id, t2.id],
            ),
        )
        session.event_id = group[0].id
        s.commit()
        goal = goals.create_goal(
            s,
            goals.GoalData(
                "Kymmenen IPC-ohjaajaa", 10, unit_id=u1.id, method_id=IPC, metric="ohjaajia", notes="Sovittu johtoryhmässä."
            ),
        )
        goals.add_update(s, goal, dt.date(2026, 5, 1), 4, note="Hyvä vauhti.")
        # A monthly figure (issue 13): professionals trained in IPC in April, 2.
        s.add(
            MonthlyFigure(
                indicator_id=indicator_id("professionals_trained"),
                unit_id=u1.id,
                method_id=IPC,
                month=dt.date(2026, 4, 1),
                value_milli=2000,
            )
        )
        survey = add_survey_rounds(s, u1.id, dep.id)
        u3.soft_delete()
        s.commit()
        ids.update(**survey)
        ids.update(
            unit=u1.id,
            unit2=u2.id,
            deleted_unit=u3.id,
            method=own.id,
            deployment=dep.id,
            event=one.id,
            trainee=t1.id,
            erased=t2.id,
            session=session.id,
            goal=goal.id,
        )
    return ids


def add_survey_rounds(s, unit_id: str, deployment_id: str) -> dict[str, str]:
    """A NoMAD round of 12 with counts, a SUS round of 3 (means only: under the privacy limit,
    not shared) and a due round closed as not done."""
    nomad = SurveyRound(
        instrument_id=instrument_id("nomad-20"),
        method_id=IPC,
        date=dt.date(2026, 6, 15),
        invited=20,
        answered=12,
        tool="webropol",
        notes="Kesäkuun kierros.",
    )
    small = SurveyRound(
        instrument_id=instrument_id("sus"), method_id=IPC, date=dt.date(2026, 7, 1), answered=3, tool="zef", means_only=True
    )
    s.add_all([nomad, small])
    s.flush()
    s.add_all([SurveyRoundUnit(round_id=nomad.id, unit_id=unit_id), SurveyRoundUnit(round_id=small.id, unit_id=unit_id)])
    for option, count in (("sa", 3), ("a", 4), ("n", 1), ("nr_role", 1), ("nr_stage", 1)):
        s.add(SurveyCount(round_id=nomad.id, item_id=item_id("nomad-20", "CO1"), option=option, count=count))
    s.add(SurveyMean(round_id=small.id, item_id=item_id("sus", "SUS1"), mean_milli=4333, n=3))
    skip = SurveySkip(deployment_id=deployment_id, due_key="usability-1", reason="Pilotti siirtyi.")
    s.add(skip)
    s.flush()
    return {"round": nomad.id, "small_round": small.id, "skip": skip.id}


def sample_export(store: Store) -> bytes:
    """A coordinator's profile and the sample records, exported whole (notes and names included)."""
    from app.sync.export import build_export

    add_profile(store)
    fill_sample(store)
    with store.Session() as s:
        return build_export(s, full=True, include_notes=True, include_names=True).data


def backdate(store: Store, days: int = 1) -> None:
    """Make every record look as if it was saved `days` ago (incremental export tests)."""
    with store.Session() as s:
        for spec in fmt.TABLES:
            s.execute(text(f"UPDATE {spec.name} SET updated_at = datetime(updated_at, '-{int(days)} days')"))
        s.commit()


# -- zips ----------------------------------------------------------------------------------


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def manifest_of(data: bytes) -> dict:
    return json.loads(members(data)["manifest.json"])


def rows_of(data: bytes, file: str) -> list[dict[str, str]]:
    """A CSV of the zip read back without sniffing: BOM and CRLF checked, ';' given."""
    raw = members(data)[file]
    assert raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:].decode("utf-8")
    assert body.endswith("\r\n")
    table = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))
    header, rows = table[0], table[1:]
    return [dict(zip(header, row)) for row in rows]


def zip_members(items: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in items.items():
            zf.writestr(name, data)
    return out.getvalue()


def repack(data: bytes, replace: dict[str, bytes | None] | None = None, manifest=None, rehash: bool = True) -> bytes:
    """The zip with members replaced (None removes one), the manifest's checksums (and, via
    `manifest`, anything else in it) made to fit, so a test meets exactly the one problem it plants."""
    items = members(data)
    doc = json.loads(items["manifest.json"])
    for name, content in (replace or {}).items():
        if content is None:
            items.pop(name, None)
            continue
        items[name] = content
        if rehash and name in doc["files"]:
            doc["files"][name]["sha256"] = hashlib.sha256(content).hexdigest()
    if manifest is not None:
        doc = manifest(doc) or doc
    items["manifest.json"] = json.dumps(doc).encode()
    return zip_members(items)


def bad_checksum(data: bytes, member: str = "units.csv") -> bytes:
    """The zip with one cell of `member` changed (a ";1;" made ";0;") and the manifest's checksum
    left as it was: a file changed or damaged after the export."""
    original = members(data)[member]
    changed = original.replace(b";1;", b";0;", 1)
    assert changed != original, f"nothing to change in {member}"
    return repack(data, {member: changed}, rehash=False)


def zip_bomb(data: bytes, megabytes: int = 200) -> bytes:
    """The export with events.csv replaced by `megabytes` MB of zeros (a few hundred KB packed)."""
    items = members(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in items.items():
            if name != "events.csv":
                zf.writestr(name, content)
        with zf.open("events.csv", "w") as fh:
            zeros = bytes(1 << 20)
            for _ in range(megabytes):
                fh.write(zeros)
    return out.getvalue()


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    return csvfmt.write_csv(header, rows)


def table_cells(data: bytes, file: str) -> tuple[list[str], list[list[str]]]:
    parsed = csvfmt.read_csv(members(data)[file])
    return parsed.header, [cells for _line, cells in parsed.records]


def with_rows(data: bytes, file: str, edit) -> bytes:
    """Repack with `edit(header, rows)` applied to one CSV (cells as the exporter wrote them, restored)."""
    header, rows = table_cells(data, file)
    header, rows = edit(header, [list(r) for r in rows]) or (header, rows)
    content = csvfmt.write_csv(header, rows)

    def count(doc):
        doc["files"][file]["rows"] = len(rows)

    return repack(data, {file: content}, manifest=count)


# -- databases -----------------------------------------------------------------------------


def digest(db_path: Path) -> str:
    """A hash of every row of every table (read-only): equal means the data is unchanged."""
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in tables:
            h.update(table.encode())
            for row in sorted(conn.execute(f'SELECT * FROM "{table}"'), key=repr):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def counts(store: Store) -> dict[str, int]:
    with store.Session() as s:
        return {spec.name: s.scalar(text(f"SELECT count(*) FROM {spec.name}")) for spec in fmt.TABLES}


def unit(store: Store, unit_id: str) -> Unit:
    with store.Session() as s:
        return s.get(Unit, unit_id)


def attendance(store: Store, event_id: str) -> list[EventUnit]:
    with store.Session() as s:
        return list(s.scalars(select(EventUnit).where(EventUnit.event_id == event_id)))
