"""The merge builds the rows it inserts a column at a time (issue 17): they must be exactly the
rows _new_row() makes one by one, whichever of notes and names are kept."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from app.central.merge_rows import Source, _Groups, _insert_columns, _new_row, _provenance, naive
from app.exchange import format as fmt
from app.exchange.reader import read_export
from app.sync.export import build_export
from tests.sync.helpers import add_profile, fill_sample, sample_export


@pytest.mark.parametrize(("notes", "names"), [(False, False), (True, False), (False, True), (True, True)])
def test_rows_made_a_column_at_a_time_are_the_rows_made_one_by_one(store, notes, names):
    read = read_export(sample_export(store))
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


def test_sqlite_gets_sqlalchemys_text_of_the_readers_utc_times(store):
    """keep_utc: SQLite's converter writes the reader's UTC times without making them naive first;
    every stored value must still be exactly what SQLAlchemy would bind."""
    from sqlalchemy.dialects import sqlite

    from app.central.merge_rows import _converters
    from app.central.schema import DATA

    add_profile(store)
    fill_sample(store)
    with store.Session() as s:
        read = read_export(build_export(s, full=True, include_notes=False, include_names=False).data)
    assert read.ok and read.manifest is not None
    source = Source(read.manifest, "file.zip", dt.datetime(2026, 12, 1, 12), False, False)
    conn = SimpleNamespace(dialect=sqlite.dialect())
    timestamps = 0
    for spec in fmt.TABLES:
        table, groups = DATA[spec.name], _Groups(spec)
        rows = [row.values for row in read.tables[spec.name]]
        kept = _insert_columns(rows, groups, source, keep_utc=True)
        plain = _insert_columns(rows, groups, source)
        for name, convert in zip(kept, _converters(conn, table, list(kept)), strict=True):
            process = table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            expected = [process(v) for v in plain[name]] if process else plain[name]
            assert (convert(kept[name]) if convert else kept[name]) == expected, (spec.name, name)
            timestamps += len(rows) * (name in groups.timestamps)
    assert timestamps > 20


def test_the_one_pass_comparison_of_versions_is_the_row_by_row_rule():
    """A file merged again is compared with the stored versions in C (_not_newer_utc); each row's
    answer must be the rule's: stored, with SQLAlchemy's text, and the file's version no newer."""
    from app.central.merge_rows import _not_newer, _Stamps
    from app.exchange.reader import Row

    at = dt.datetime(2026, 12, 1, 12, 5, 3, 7, tzinfo=dt.UTC)
    exported = dt.datetime(2026, 12, 2, 8, tzinfo=dt.UTC)
    source = SimpleNamespace(exported_at=naive(exported), manifest=SimpleNamespace(export_id="e2"), file_name="b.zip")
    stamps = _Stamps(SimpleNamespace(dialect=SimpleNamespace(name="sqlite")))

    def text(value: dt.datetime) -> str:
        return naive(value).isoformat(" ", "microseconds")

    tick = dt.timedelta(microseconds=1)
    stored_versions = [
        (at, exported, "e2", "b.zip"),  # this very file
        (at + tick, exported - dt.timedelta(days=1), "e1", "a.zip"),  # a newer row from an older file
        (at - tick, exported + dt.timedelta(days=1), "e9", "z.zip"),  # an older row from a newer file
        (at, exported, "e2", "a.zip"),  # the same time and export, a name sorted before
        (at, exported, "e1", "z.zip"),
        (at, exported + tick, "e0", "a.zip"),
    ]
    for olds in (
        [(str(i), text(u), text(e), eid, f) for i, (u, e, eid, f) in enumerate(stored_versions)],
        [None, *[(str(i), text(u), text(e), eid, f) for i, (u, e, eid, f) in enumerate(stored_versions)]],
        [("x", text(at - dt.timedelta(hours=1)).replace(" ", "T"), text(exported), "e2", "b.zip")],  # not SQLAlchemy's text
    ):
        rows = [Row(i, {"id": str(i), "updated_at": at}) for i in range(len(olds))]
        tail = (text(exported), "e2", "b.zip")
        expected = [old is not None and len(old[1]) == _Stamps.WIDTH and (text(at), *tail) <= old[1:5] for old in olds]
        assert _not_newer(rows, olds, stamps, source, None) == expected  # type: ignore[arg-type]
    # The last case tells the two apart: as times the stored row is older, as text ("T" after " ") not.
    assert expected == [True]
