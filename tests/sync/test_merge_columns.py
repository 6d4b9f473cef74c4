"""The merge builds the rows it inserts a column at a time (issue 17): they must be exactly the
rows _new_row() makes one by one, whichever of notes and names are kept."""

from __future__ import annotations

import datetime as dt

import pytest

from app.central.merge_rows import Source, _Groups, _insert_columns, _new_row, _provenance, naive
from app.exchange import format as fmt
from app.exchange.reader import read_export
from app.sync.export import build_export
from tests.sync.helpers import add_profile, fill_sample


@pytest.mark.parametrize(("notes", "names"), [(False, False), (True, False), (False, True), (True, True)])
def test_rows_made_a_column_at_a_time_are_the_rows_made_one_by_one(store, notes, names):
    add_profile(store)
    fill_sample(store)
    with store.Session() as s:
        read = read_export(build_export(s, full=True, include_notes=True, include_names=True).data)
    assert read.ok and read.manifest is not None
    source = Source(read.manifest, "file.zip", dt.datetime(2026, 12, 1, 12), notes, names)
    compared = 0
    for spec in fmt.TABLES:
        groups = _Groups(spec)
        rows = [row.values for row in read.tables[spec.name]]
        columns = _insert_columns(rows, groups, source)
        made = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
        expected = []
        for values in rows:
            values = {**values, **{name: naive(values[name]) for name in groups.timestamps}}
            expected.append(_new_row(values, groups, source, _provenance(source)))
        assert made == expected, spec.name
        compared += len(rows)
    assert compared > 20
