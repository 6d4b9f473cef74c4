"""The streamed export (issue 17) writes the same CSV bytes as the writer it replaced, which built
each file whole in memory: that writer is kept here, as it was, as the reference. Small batches
make every file cross several batch boundaries."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from sqlalchemy import Select, literal_column, select

from app.core import csvfmt, hetu
from app.exchange import format as fmt
from app.models import Trainee, Unit
from app.sync import export
from app.sync.export import RAW_CELL, CodeFinding, ExportRefused, build_export, selection
from tests.sync.helpers import add_profile, fill_sample, manifest_of, members


def previous_table_csv(s, spec, include_notes: bool, include_names: bool, findings: list) -> tuple[bytes, int]:
    """app.sync.export._table_csv before streaming, unchanged but for its name."""
    table = spec.model.__table__
    query: Select = select(*(literal_column(f'"{c.name}"') for c in spec.columns)).select_from(table).order_by(table.c.id)
    query = query.where(*selection(spec, None, True))
    left_out = [
        (c.kind is fmt.Kind.NOTE and not include_notes) or (c.kind is fmt.Kind.PERSONAL and not include_names)
        for c in spec.columns
    ]
    personal = [c.kind is fmt.Kind.PERSONAL for c in spec.columns]
    erasure = spec.header.index(spec.erasure) if spec.erasure else None
    plans = [
        (column.name, RAW_CELL.get(column.kind), column.is_text and not out, out, is_personal)
        for column, out, is_personal in zip(spec.columns, left_out, personal)
    ]
    rows = []
    raw: Any
    for record in s.execute(query).all():
        erased = erasure is not None and record[erasure] is not None
        cells = []
        for (name, convert, scan, out, is_personal), raw in zip(plans, record):
            if raw is None or out or (erased and is_personal):
                cells.append("")
                continue
            cell = convert(raw) if convert else raw
            if scan and cell:
                findings.extend(CodeFinding(spec.file_name, record[0], name, f.masked) for f in hetu.find_codes(cell))
            cells.append(cell)
        rows.append(cells)
    return csvfmt.write_csv(spec.header, rows), len(rows)


@pytest.fixture
def sample(store, monkeypatch):
    add_profile(store)
    ids = fill_sample(store)
    with store.Session() as s:
        unit = s.get(Unit, ids["unit"])  # cells the formula guard, the quoting and the line ends must keep
        unit.name, unit.municipality, unit.notes = '=HYPERLINK("x";"y")', "+358", 'rivi 1\r\nrivi; 2 "lainaus"\n\'-3'
        unit.supervisor_name = "@SUM(A1)"
        s.commit()
    monkeypatch.setattr(export, "BATCH", 2)
    return ids


@pytest.mark.parametrize("notes_and_names", [False, True])
def test_every_file_has_the_bytes_the_previous_writer_made(store, sample, notes_and_names):
    with store.Session() as s:
        result = build_export(s, full=True, include_notes=notes_and_names, include_names=notes_and_names)
        files = members(result.data)
        manifest = manifest_of(result.data)
        for spec in fmt.TABLES:
            expected, count = previous_table_csv(s, spec, notes_and_names, notes_and_names, [])
            assert files[spec.file_name] == expected, spec.file_name
            assert manifest["files"][spec.file_name] == {"rows": count, "sha256": hashlib.sha256(expected).hexdigest()}
    assert sorted(files) == sorted([fmt.MANIFEST, *fmt.FILE_NAMES])
    assert max(result.rows.values()) > 2 * export.BATCH  # a file crosses several batches


def test_identity_codes_are_found_in_every_batch_and_reported_as_before(store, sample):
    codes = [hetu.generate(dt.date(1980 + i, 3, 14), 100 + i) for i in range(3)]
    with store.Session() as s:
        s.get(Unit, sample["unit2"]).notes = f"soita {codes[0]}"
        s.get(Unit, sample["unit"]).municipality = f"x{codes[1]}"  # glued to a letter: not a code
        s.get(Trainee, sample["trainee"]).profession = f"{codes[2]}, hoitaja"
        s.commit()
    with store.Session() as s, pytest.raises(ExportRefused) as caught:
        build_export(s, full=True, include_notes=True, include_names=True)
    with store.Session() as s:
        expected: list = []
        for spec in fmt.TABLES:
            previous_table_csv(s, spec, True, True, expected)
    assert caught.value.findings == expected
    assert {(f.file, f.column) for f in expected} == {("units.csv", "notes"), ("trainees.csv", "profession")}
