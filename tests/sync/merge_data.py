"""Export files of several fictional coordinators, made once per test session, for the merge tests.

    merge_exports (session fixture) -> Exports

Four coordinators, each a real Koordi data folder filled by the demo generator (a
different seed each, so different ids) and exported by the app's own export code:

- A, Länsi-Uusimaa: a full export with notes and names, then edits made through the
  features' operations (a unit renamed and its notes changed, an event deleted, a
  trainee erased, a new held event with attendance for an old unit) and the
  incremental export of those edits (no notes, no names): it refers to rows only the
  full file has;
  and, after the unit's notes changed once more, an incremental with notes ("notes");
- B, Lappi: a full export, minimal, sent twice ("full again": every row in both files);
- C, Pirkanmaa (an intervention coordinator): a full export, minimal;
- D, Länsi-Uusimaa too (a second coordinator of one county): full, with notes.

Each source folder stays, so the tests can count with raw SQL on the coordinators' own
databases, independently of the merge and of app.queries.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from app.demo import fill
from app.demo.context import Scale
from app.events import ops as events
from app.exchange import format as fmt
from app.guidance import ops as guidance
from app.models import CoordinatorProfile, Event, EventMethod, Trainee, Unit
from app.store import DB_NAME, Store
from app.sync.export import prepare_export, record_export
from app.units import ops as units
from tests.sync.helpers import backdate, rows_of

RENAMED = "Uudelleennimetty terveysasema"
NEW_NOTE = "Uusi muistiinpano, ei lähde minimaalisessa viennissä."
NEW_EVENT = "Uusi työpaja inkrementissä"
NEWEST_NOTE = "Uusin muistiinpano, tämä lähtee muistiinpanojen kanssa."
# A third of `koordi demo`'s normal scale: every kind of row still there (build_exports checks it),
# the merge rules are the same, and the thirty merges of these tests run three times as fast.
SCALE = Scale(units=8, events=150, sessions=150, cohorts_per_term=1, goals=4)


@dataclass
class Coordinator:
    key: str
    county: str
    folder: Path  # the coordinator's own data folder (koordi.sqlite3)
    id: str = ""
    files: dict[str, Path] = field(default_factory=dict)  # "full", "incremental"
    edits: dict[str, str] = field(default_factory=dict)  # what the edits touched (ids)

    @property
    def db(self) -> Path:
        return self.folder / DB_NAME


@dataclass
class Exports:
    folder: Path
    coordinators: dict[str, Coordinator]

    def __getitem__(self, key: str) -> Coordinator:
        return self.coordinators[key]

    @property
    def latest(self) -> list[Path]:
        """Every coordinator's files: merged together, the national picture as it stands."""
        return [path for c in self.coordinators.values() for path in c.files.values()]


def _make(template: Path, folder: Path, key: str, county: str, role: str, seed: int) -> tuple[Store, Coordinator]:
    folder.mkdir(parents=True)
    shutil.copy(template, folder / DB_NAME)
    store = Store.attach(folder)
    with store.Session() as s:
        profile = CoordinatorProfile(
            name=f"Testi Koordinaattori {key}", role=role, county=county, central_office_email="keskus@example.org"
        )
        s.add(profile)
        s.commit()
        coordinator = Coordinator(key, county, folder, profile.id)
    fill(store, SCALE, seed=seed)
    backdate(store, 2)  # the edits below are then the only rows changed since the full export
    return store, coordinator


def _export(store: Store, coordinator: Coordinator, out: Path, kind: str, label: str = "", **options) -> None:
    label = label or kind
    with store.Session() as s:
        result = prepare_export(s, "central", full=kind == "full", **options)
        assert result.kind == kind
        path = out / f"{coordinator.key}_{label}_{result.file_name}"
        path.write_bytes(result.data)
        record_export(s, result, saved_as=path.name)
    coordinator.files[label] = path


def _note_again(store: Store, coordinator: Coordinator) -> None:
    with store.Session() as s:
        unit = s.get(Unit, coordinator.edits["unit"])
        unit.notes = NEWEST_NOTE
        s.commit()


def _edit(store: Store, coordinator: Coordinator, today: dt.date) -> None:
    """Edits through the features' operations: each a kind of change the merge must carry over."""
    with store.Session() as s:
        unit = s.scalars(select(Unit).where(Unit.deleted.is_(False)).order_by(Unit.id)).first()
        data = units.UnitData(
            RENAMED,
            unit.service_line,
            unit.age_group,
            municipality=unit.municipality,
            supervisor_name=unit.supervisor_name,
            supervisor_email=unit.supervisor_email,
            professionals=unit.professionals,
            active=unit.active,
            notes=NEW_NOTE,
        )
        units.update_unit(s, unit, data)
        held = s.scalars(select(Event).where(Event.deleted.is_(False), Event.status == "held").order_by(Event.id)).first()
        held.soft_delete()
        s.commit()
        trainee = s.scalars(
            select(Trainee).where(Trainee.deleted.is_(False), Trainee.erased_at.is_(None)).order_by(Trainee.id)
        ).first()
        guidance.erase_trainee(s, trainee)
        method_id = s.scalars(
            select(EventMethod.method_id).where(EventMethod.deleted.is_(False)).order_by(EventMethod.id)
        ).first()
        [event] = events.create_events(
            s,
            events.EventData(
                "workshop",
                NEW_EVENT,
                today - dt.timedelta(days=1),
                start_time=dt.time(9, 0),
                duration_minutes=120,
                place="Lohja",
                status="held",
                unit_ids=[unit.id],
                method_ids=[method_id],
            ),
        )
        events.record_attendance(s, event, {unit.id: events.Counts(6, 1, 2)}, None, None)
        coordinator.edits.update(unit=unit.id, deleted_event=held.id, erased=trainee.id, new_event=event.id, method=method_id)


def build_exports(base: Path) -> Exports:
    from app.i18n import HELSINKI

    today = dt.datetime.now(HELSINKI).date()
    template_dir = base / "template"
    template_dir.mkdir(parents=True)
    Store.open(template_dir).dispose()
    template = template_dir / DB_NAME
    out = base / "files"
    out.mkdir()
    plan = [
        ("A", "lansi-uusimaa", "therapy", 31),
        ("B", "lappi", "therapy", 32),
        ("C", "pirkanmaa", "intervention", 33),
        ("D", "lansi-uusimaa", "both", 34),
    ]
    coordinators = {}
    for key, county, role, seed in plan:
        store, coordinator = _make(template, base / key, key, county, role, seed)
        try:
            if key == "A":
                _export(store, coordinator, out, "full", include_notes=True, include_names=True)
                _edit(store, coordinator, today)
                _export(store, coordinator, out, "incremental")
                _note_again(store, coordinator)
                _export(store, coordinator, out, "incremental", "notes", include_notes=True)
            elif key == "B":  # sent twice without a change in between: every row in both files
                _export(store, coordinator, out, "full")
                _export(store, coordinator, out, "full", "full again")
            elif key == "D":
                _export(store, coordinator, out, "full", include_notes=True)
            else:
                _export(store, coordinator, out, "full")
        finally:
            store.dispose()
        coordinators[key] = coordinator
    # The smaller scale must not leave a table out of the tests: each has rows in some full file.
    fulls = [c.files["full"] for c in coordinators.values()]
    empty = [spec.name for spec in fmt.TABLES if not any(rows_of(p.read_bytes(), f"{spec.name}.csv") for p in fulls)]
    assert not empty, f"no rows of {empty} in the merge tests' exports"
    return Exports(out, coordinators)


@pytest.fixture(scope="session")
def merge_exports(tmp_path_factory) -> Exports:
    return build_exports(tmp_path_factory.mktemp("merge-exports"))
