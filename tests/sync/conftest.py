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
