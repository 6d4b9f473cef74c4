"""A large import is read and written a batch of rows at a time (issue 17: memory that does not
grow with the file), and is still all or nothing: a failure after some batches were written
leaves the database exactly as it was."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text

from app.models import Unit
from app.search.query import search
from app.sync import import_read, importer
from app.sync.importer import apply_import, plan_import, read_for_import
from tests.sync.helpers import counts, digest, sample_export, with_rows

EXTRA_UNITS = 6_000  # more than one batch of units
TRIGGERS = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


@pytest.fixture
def large(new_store) -> bytes:
    """The sample's full export with thousands of generated units added to units.csv."""
    data = sample_export(new_store("source"))

    def add_units(header, rows):
        at_id, at_name = header.index("id"), header.index("name")
        live = next(row for row in rows if row[header.index("deleted")] == "0")
        for i in range(EXTRA_UNITS):
            row = list(live)
            row[at_id], row[at_name] = str(uuid.uuid4()), f"Qwzx-neuvola {i}"
            rows.append(row)
        return header, rows

    return with_rows(data, "units.csv", add_units)


def test_a_large_import_writes_every_row_without_holding_them(new_store, large):
    assert EXTRA_UNITS > import_read.BATCH
    target = new_store("target")
    with target.Session() as s:
        plan = plan_import(s, read_for_import(s, large))
    assert plan.ok, plan.problems
    assert plan.read.tables == {}  # the rows were planned as they went by, not kept
    units = next(x for x in plan.summaries if x.file == "units.csv")
    assert units.created == units.rows > EXTRA_UNITS

    outcome = apply_import(target, plan)

    assert next(x for x in outcome.plan.summaries if x.file == "units.csv").created == units.rows
    with target.Session() as s:
        names = set(s.scalars(select(Unit.name).where(Unit.name.like("Qwzx-neuvola %"))))
        assert names == {f"Qwzx-neuvola {i}" for i in range(EXTRA_UNITS)}
        hits = [g for g in search(s, "Qwzx-neuvola 5999") if g.hits]
    assert [g.kind for g in hits] == ["unit"]  # the index, rebuilt once at the end, has the last batch


def test_a_large_import_that_fails_after_some_batches_leaves_the_data_as_it_was(new_store, large, monkeypatch):
    target = new_store("target")
    with target.Session() as s:
        triggers = s.execute(text(TRIGGERS)).scalars().all()
        plan = plan_import(s, read_for_import(s, large))
    assert plan.ok, plan.problems
    before, rows_before = digest(target.db_path), counts(target)
    written = []
    real = importer._Writer.write

    def write(self, spec, columns, inserts, updates):
        if spec.name == "events":  # units (two batches), methods and deployments are written by now
            raise OSError("the disk is full")
        written.append((spec.name, len(inserts)))
        real(self, spec, columns, inserts, updates)

    monkeypatch.setattr(importer._Writer, "write", write)
    with pytest.raises(OSError):
        apply_import(target, plan)

    assert [name for name, _n in written].count("units") == 2
    assert sum(n for name, n in written if name == "units") > EXTRA_UNITS
    assert digest(target.db_path) == before and counts(target) == rows_before
    with target.Session() as s:
        assert s.execute(text(TRIGGERS)).scalars().all() == triggers  # the search triggers are back
