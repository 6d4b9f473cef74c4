"""Fixtures of the central office's own Koordi (app.central.app):

- central_files (session): four coordinators' export files, each a real Koordi data folder
  with tests.sync.helpers.fill_sample's small set of every table, exported by the app's own
  export code a day ago: A Pohjois-Savo and D Keski-Suomi (both Itä-Suomi), B Lappi,
  C Pirkanmaa (an intervention coordinator).
- central_db: a merged SQLite file of those files (merged once per session, copied per test,
  so a test may write to it).
- central_app, central_client: the office's app on central_db, and a client logged in with the
  launch token (post() adds the CSRF token of the home page).
- pg_url: a new database on the tests' real PostgreSQL server (tests/postgres.py).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.central.app import create_central_app, dispose
from app.central.merge import merge_files
from app.central.schema import open_target
from tests.central.exports import ScriptedFiles, Sender, coordinator, make_scripted, merge_scripted, template_db
from tests.conftest import AuthClient
from tests.postgres import pg_url, postgres_server  # noqa: F401  (fixtures)

UTC = dt.UTC


@dataclass
class CentralFiles:
    folder: Path
    senders: dict[str, Sender]

    @property
    def files(self) -> list[Path]:
        return [path for sender in self.senders.values() for path in sender.files]


@pytest.fixture(scope="session")
def central_files(tmp_path_factory) -> CentralFiles:
    base = tmp_path_factory.mktemp("central-files")
    template = template_db(base / "template")
    out = base / "files"
    out.mkdir()
    plan = [
        ("A", "pohjois-savo", "therapy"),
        ("B", "lappi", "therapy"),
        ("C", "pirkanmaa", "intervention"),
        ("D", "keski-suomi", "both"),
    ]
    now = dt.datetime.now(UTC).replace(microsecond=0)
    senders = {}
    for key, county, role in plan:
        sender = coordinator(template, base / key, key, county, role=role)
        try:
            sender.send(out, now - dt.timedelta(days=1), full=True)
        finally:
            sender.store.dispose()
        senders[key] = sender
    return CentralFiles(out, senders)


@pytest.fixture(scope="session")
def merged_template(central_files, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("central-db") / "kansallinen.sqlite3"
    engine = open_target(str(path))
    try:
        report = merge_files(engine, central_files.files)
        assert not report.refused
    finally:
        engine.dispose()
    return path


@pytest.fixture
def central_db(merged_template, tmp_path) -> Path:
    path = tmp_path / "kansallinen.sqlite3"
    shutil.copy(merged_template, path)
    return path


def office_config(tmp_path: Path, **extra) -> dict:
    folder = tmp_path / "office"
    folder.mkdir(exist_ok=True)
    return {"DATA_DIR": folder, "TESTING": True, "ALLOWED_HOSTS": ["localhost"], **extra}


@pytest.fixture
def central_app(central_db, tmp_path):
    app = create_central_app(str(central_db), office_config(tmp_path))
    yield app
    dispose(app)


class OfficeClient(AuthClient):
    """AuthClient on the office's app: the CSRF token comes from its home page."""

    def csrf(self, path: str = "/") -> str:
        return super().csrf(path)

    def post(self, path: str, data: dict | None = None, csrf_from: str = "/", **kw):
        return super().post(path, data, csrf_from=csrf_from, **kw)


@pytest.fixture
def central_client(central_app) -> OfficeClient:
    return OfficeClient(central_app)


# -- the scripted year of sends (tests/central/scripted.py) as real files, merged ------------------


@pytest.fixture(scope="session")
def scripted_files(tmp_path_factory) -> ScriptedFiles:
    return make_scripted(tmp_path_factory.mktemp("scripted"))


@pytest.fixture(scope="session")
def scripted_template(scripted_files, tmp_path_factory) -> Path:
    """The scripted year merged, with the roster: G left on 30 June, H expected in Pohjois-Karjala."""
    path = tmp_path_factory.mktemp("scripted-db") / "kansallinen.sqlite3"
    merge_scripted(path, scripted_files)
    return path


@pytest.fixture
def scripted_db(scripted_template, tmp_path) -> Path:
    path = tmp_path / "scripted.sqlite3"
    shutil.copy(scripted_template, path)
    return path


@pytest.fixture
def scripted_client(scripted_db, tmp_path):
    from tests.central.scripted import TODAY

    app = create_central_app(str(scripted_db), office_config(tmp_path, TODAY=TODAY))
    yield OfficeClient(app)
    dispose(app)
