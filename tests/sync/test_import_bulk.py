"""A large import writes its rows with the search index's triggers held back and rebuilds the
index once at the end (issue 17): the index must then find everything the file brought, keep
following later edits, and a refused import must leave the triggers as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.search.query import search
from app.store import search_index
from app.sync import importer
from app.sync.importer import ImportRefused, apply_import, plan_import, read_for_import
from app.units import ops as units
from tests.sync.helpers import sample_export

TRIGGERS = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


@pytest.fixture
def data(new_store) -> bytes:
    return sample_export(new_store("source"))


def found(store, query: str) -> set[str]:
    with store.Session() as s:
        return {group.kind for group in search(s, query) if group.hits}


def test_a_bulk_import_rebuilds_the_index_once_and_it_finds_what_came(new_store, data, monkeypatch):
    target = new_store("target")
    with target.Session() as s:
        triggers = s.execute(text(TRIGGERS)).scalars().all()
    rebuilds = []
    monkeypatch.setattr(importer, "BULK_ROWS", 1)  # the sample is small: make it a bulk import
    monkeypatch.setattr(search_index, "rebuild", lambda conn, real=search_index.rebuild: rebuilds.append(1) or real(conn))
    with target.Session() as s:
        plan = plan_import(s, read_for_import(s, data))
    apply_import(target, plan)

    assert rebuilds == [1]
    assert found(target, "Äänekosken") >= {"unit"}
    assert found(target, "aanekosken") >= {"unit"}  # the index without diacritics too
    with target.Session() as s:
        assert s.execute(text(TRIGGERS)).scalars().all() == triggers
        for table in search_index.FTS_TABLES:
            s.execute(text(f"INSERT INTO {table}({table}) VALUES ('integrity-check')"))
        units.create_unit(s, units.UnitData("Zyxwvu-neuvola", "family_counselling", "children_youth"))
    assert found(target, "Zyxwvu") == {"unit"}  # the triggers are back: a later edit is indexed


def test_a_refused_bulk_import_leaves_the_triggers(new_store, data, monkeypatch):
    target = new_store("target")
    with target.Session() as s:
        triggers = s.execute(text(TRIGGERS)).scalars().all()
        plan = plan_import(s, read_for_import(s, data))
    monkeypatch.setattr(importer, "BULK_ROWS", 1)

    def fails(conn, plan):
        raise ImportRefused(plan)

    monkeypatch.setattr(importer, "_write_tables", lambda conn, dialect, plan: fails(conn, plan))
    with pytest.raises(ImportRefused):
        apply_import(target, plan)
    with target.Session() as s:
        assert s.execute(text(TRIGGERS)).scalars().all() == triggers
        assert not s.execute(text("SELECT count(*) FROM units")).scalar()
