from __future__ import annotations

from pathlib import Path

import pytest

from app.store import DB_NAME, Store
from tests.sync.helpers import open_store


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """An empty database at the current schema (methods seeded), migrated once per test run."""
    folder = tmp_path_factory.mktemp("template")
    Store.open(folder).dispose()
    return folder / DB_NAME


@pytest.fixture
def new_store(template_db, tmp_path):
    """new_store(name) -> an open store on its own data folder; all are closed at the end."""
    opened = []

    def make(name: str = "data") -> Store:
        store = open_store(template_db, tmp_path / name)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.dispose()


@pytest.fixture
def store(new_store) -> Store:
    return new_store("data")


# -- the central office's merge --------------------------------------------------------------------
from tests.postgres import pg_url, postgres_server  # noqa: E402,F401  (fixtures)
from tests.sync.merge_data import merge_exports  # noqa: E402,F401  (fixture)


@pytest.fixture(params=["sqlite", "postgresql"])
def new_target(request, tmp_path):
    """new_target() -> an engine on a new, empty central database: an SQLite file, or a database
    on the real PostgreSQL server the tests start (each test runs on both)."""
    from app.central.schema import open_target

    make_pg = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    engines = []

    def make(name: str = "merged"):
        target = make_pg() if make_pg else str(tmp_path / f"{name}-{len(engines)}.sqlite3")
        engine = open_target(target)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()
