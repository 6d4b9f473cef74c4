"""Fixtures of the report tests: `koordi demo` data (normal scale) built once per session,
read through a read-only session as `koordi report` reads it, and a copy with records
whose notes carry a marker, for the "no notes unless asked" rule; and a central database merged
from the sync tests' export files (tests.sync.merge_data)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.central.schema import open_target
from app.demo import fill
from app.i18n import HELSINKI
from app.store import DB_NAME, Store
from app.store.engine import make_engine
from tests.sync.merge_data import merge_exports  # noqa: F401  (fixture)
from tests.sync.merge_helpers import merge

MARKER = "NOTE-MARKER-7Q2"  # goes into every kind of free text in the marked data


def helsinki_today() -> dt.date:
    return dt.datetime.now(HELSINKI).date()


@pytest.fixture(scope="session")
def today() -> dt.date:
    return helsinki_today()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports-demo") / "data"
    folder.mkdir()
    store = Store.open(folder)
    try:
        fill(store, "normal", seed=1)
    finally:
        store.dispose()
    return folder


@pytest.fixture(scope="session")
def demo_session(demo_dir):
    engine = make_engine(demo_dir / DB_NAME, read_only=True)
    with Session(engine) as s:
        yield s
    engine.dispose()


class Sql:
    """Raw SQL on the database file: the tests' own arithmetic, independent of app.queries."""

    def __init__(self, folder: Path):
        self.path = folder / DB_NAME

    def rows(self, sql: str, *params) -> list[tuple]:
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def one(self, sql: str, *params):
        return self.rows(sql, *params)[0]

    def value(self, sql: str, *params):
        return self.one(sql, *params)[0]


@pytest.fixture(scope="session")
def sql(demo_dir) -> Sql:
    return Sql(demo_dir)


def copy_data(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy2(source / DB_NAME, target / DB_NAME)
    return target


# -- marked data: notes with a marker, a long attestation, names in other scripts ------------------

ASA = "Åsa Öhman-Näätänen"  # the trainee with 60 sessions
DMITRI = "Дмитрий Иванов"  # a name in another script: it must print, not turn into boxes
UNIT_NAME = "Merkkilän terveysasema"
EVENT_TITLE = "Merkkityöpaja: ohjattu omahoito"
GOAL_TITLE = "Merkkitavoite: kymmenen koulutettua"
SESSIONS = 60


@pytest.fixture(scope="session")
def marked_dir(tmp_path_factory, today) -> Path:
    """Demo data plus one unit whose every free-text field carries MARKER, with a deployment,
    a held event, a goal, and a trainee with 60 guidance sessions (topics and notes marked)."""
    from app.deployments import ops as deployments
    from app.events import ops as events
    from app.goals import ops as goals
    from app.guidance import ops as guidance
    from app.models.methods import seed_id
    from app.units import ops as units

    folder = tmp_path_factory.mktemp("reports-marked") / "data"
    folder.mkdir()
    store = Store.open(folder)
    try:
        fill(store, "normal", seed=2)
        ipc = seed_id("ipc")
        with store.Session() as s:
            unit = units.create_unit(
                s,
                units.UnitData(
                    name=UNIT_NAME,
                    service_line="health_station",
                    age_group="adults",
                    municipality="Lohja",
                    supervisor_name="Sanna Esimies",
                    professionals=14,
                    notes=f"{MARKER} unit",
                ),
            )
            deployment = deployments.create(
                s,
                deployments.DeploymentData(unit_id=unit.id, method_id=ipc, professionals_trained=4, notes=f"{MARKER} deployment"),
                "training",
                today - dt.timedelta(days=200),
            )
            deployments.move(s, deployment, "pilot", today - dt.timedelta(days=60))
            [event] = events.create_events(
                s,
                events.EventData(
                    type="workshop",
                    title=EVENT_TITLE,
                    date=today - dt.timedelta(days=5),
                    start_time=dt.time(9, 0),
                    duration_minutes=120,
                    place="Kokoushuone Kuusi",
                    unit_ids=[unit.id],
                    method_ids=[ipc],
                    notes=f"{MARKER} event",
                ),
            )
            events.record_attendance(s, event, {unit.id: events.Counts(7, 2, 1)}, None, None)
            goal = goals.create_goal(
                s,
                goals.GoalData(
                    title=GOAL_TITLE,
                    target_value=10,
                    unit_id=unit.id,
                    method_id=ipc,
                    metric="koulutettuja",
                    target_date=today,
                    notes=f"{MARKER} goal",
                ),
            )
            goals.add_update(s, goal, today - dt.timedelta(days=3), 4)
            asa = guidance.save_trainee(
                s,
                guidance.TraineeData(
                    name=ASA,
                    method_id=ipc,
                    profession="psykologi",
                    unit_id=unit.id,
                    cohort="IPC-ryhmä kevät",
                    start_date=today - dt.timedelta(days=200),
                ),
            )
            dmitri = guidance.save_trainee(s, guidance.TraineeData(name=DMITRI, method_id=ipc, unit_id=unit.id))
            for i in range(SESSIONS):
                guidance.save_session(
                    s,
                    guidance.SessionData(
                        date=today - dt.timedelta(days=3 * i + 1),
                        method_id=ipc,
                        kind="group" if i % 2 else "individual",
                        mode="onsite",
                        duration_minutes=45 + 5 * (i % 10),
                        topics=f"{MARKER} topic {i}",
                        notes=f"{MARKER} session",
                        trainee_ids=[asa.id] + ([dmitri.id] if i % 3 == 0 else []),
                    ),
                )
    finally:
        store.dispose()
    return folder


@pytest.fixture(scope="session")
def marked_sql(marked_dir) -> Sql:
    return Sql(marked_dir)


@pytest.fixture(scope="session")
def marked_session(marked_dir):
    engine = make_engine(marked_dir / DB_NAME, read_only=True)
    with Session(engine) as s:
        yield s
    engine.dispose()


# -- a central database: `koordi merge` of the four coordinators' latest export files ------------


@pytest.fixture(scope="session")
def central_db(merge_exports, tmp_path_factory) -> Path:
    """The merged central database file, built once per worker; the tests only read it."""
    path = tmp_path_factory.mktemp("central") / "keskus.sqlite3"
    engine = open_target(str(path))
    try:
        merge(engine, merge_exports.latest)
    finally:
        engine.dispose()
    return path
