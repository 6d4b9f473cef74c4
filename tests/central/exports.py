"""Coordinators' export files for the central office's tests, made by the app's own export code.

    coordinator(template, folder, key, county, seed=None) -> Sender   a real Koordi data folder
    sender.send(out, at, full=False, complete_through=None) -> Path    one file sent at `at`

With a seed the coordinator's folder is filled by the demo generator (two years of fictional
work, a different seed each); without one it holds tests.sync.helpers.fill_sample's small set.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from app.demo import fill
from app.models import CoordinatorProfile
from app.store import DB_NAME, Store
from app.sync.export import prepare_export, record_export
from tests.sync.helpers import fill_sample


@dataclass
class Sender:
    key: str
    name: str
    county: str
    store: Store
    id: str = ""
    files: list[Path] = field(default_factory=list)

    def send(self, out: Path, at: dt.datetime, *, full: bool = False, complete_through: str | None = None) -> Path:
        """The file for the central office made at `at` (incremental after the first), recorded as sent."""
        options = {"complete_through": complete_through} if complete_through else {}
        with self.store.Session() as s:
            result = prepare_export(s, "central", full=full, now=at, **options)
            path = out / f"{self.key}_{at:%Y%m%d}_{result.file_name}"
            path.write_bytes(result.data)
            record_export(s, result, saved_as=path.name)
        self.files.append(path)
        return path


def coordinator(template: Path, folder: Path, key: str, county: str, *, role: str = "therapy", seed: int | None = None) -> Sender:
    folder.mkdir(parents=True)
    shutil.copy(template, folder / DB_NAME)
    store = Store.attach(folder)
    name = f"Testi Koordinaattori {key}"
    with store.Session() as s:
        profile = CoordinatorProfile(name=name, role=role, county=county, central_office_email="keskus@example.org")
        s.add(profile)
        s.commit()
        cid = profile.id
    if seed is None:
        fill_sample(store)
    else:
        fill(store, "normal", seed=seed)
    return Sender(key, name, county, store, cid)


def template_db(folder: Path) -> Path:
    """An empty database at the current schema, migrated once."""
    folder.mkdir(parents=True, exist_ok=True)
    Store.open(folder).dispose()
    return folder / DB_NAME


# -- the scripted year of sends (tests/central/scripted.py) as real files ---------------------------


@dataclass
class ScriptedFiles:
    senders: dict[str, Sender]
    received: list[Path]  # in the order they were made; lost files left out
    lost: list[Path]


def make_scripted(base: Path, keys: tuple[str, ...] | None = None) -> ScriptedFiles:
    """The scripted people's sends as real export files (all of them, or those of `keys`)."""
    from tests.central.scripted import SCRIPTS

    template = template_db(base / "template")
    out = base / "files"
    out.mkdir()
    senders, made = {}, []
    for key, script in SCRIPTS.items():
        if not script.sends or (keys is not None and key not in keys):
            continue
        sender = coordinator(template, base / key, key, script.county)
        sender.name = script.name
        try:
            with sender.store.Session() as s:
                s.query(CoordinatorProfile).one().name = script.name
                s.commit()
            for send in script.sends:
                path = sender.send(out, send.at, full=send.full, complete_through=send.complete_through)
                made.append((send.at, path, send.lost))
        finally:
            sender.store.dispose()
        senders[key] = sender
    made.sort(key=lambda m: m[0])
    return ScriptedFiles(senders, [p for _at, p, lost in made if not lost], [p for _at, p, lost in made if lost])


def merge_scripted(path: Path, files: ScriptedFiles) -> None:
    """The received files merged into `path`, and the roster: G left on 30 June (when sent),
    H expected in Pohjois-Karjala from October."""
    from app.central import office
    from app.central.merge import merge_files
    from app.central.schema import open_target
    from tests.central.scripted import SCRIPTS

    engine = open_target(str(path))
    try:
        report = merge_files(engine, files.received)
        assert not report.refused, [f.problems for f in report.refused]
        g, h = SCRIPTS["G"], SCRIPTS["H"]
        if "G" in files.senders:
            office.save_coordinator(engine, files.senders["G"].id, g.name, g.county, None, g.left_on)
        office.add_expected(engine, h.name, h.county, h.expected_from)
    finally:
        engine.dispose()
