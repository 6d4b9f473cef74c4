"""The reader checks a file with nothing wrong in it a column at a time (issue 17): the rows, ids
and warnings must be exactly what the row-by-row reading gives, and any bad cell must send the
file back to the row-by-row reading, which words every problem as before."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import hetu
from app.exchange import reader
from app.exchange.reader import read_export
from app.models import Trainee, Unit
from app.sync.export import build_export
from tests.sync.helpers import add_profile, fill_sample, with_rows


@pytest.fixture
def data(store) -> bytes:
    add_profile(store)
    ids = fill_sample(store)
    with store.Session() as s:
        unit = s.get(Unit, ids["unit"])
        unit.name, unit.notes, unit.supervisor_name = "'=kaava", "rivi 1\r\nrivi; 2", "Sanna"
        s.get(Trainee, ids["trainee"]).cohort = ""
        s.commit()
        return build_export(s, full=True, include_notes=True, include_names=True).data


def read_row_by_row(monkeypatch, data: bytes, **kw):
    with monkeypatch.context() as m:
        m.setattr(reader, "_fast_rows", lambda *args: None)
        return read_export(data, **kw)


def as_compared(result) -> tuple:
    return (
        {name: [(row.line, list(row.values.items())) for row in rows] for name, rows in result.tables.items()},
        result.problems,
        result.warnings,
    )


def test_a_good_file_reads_the_same_either_way(monkeypatch, data):
    fast = read_export(data)
    assert fast.ok and sum(map(len, fast.tables.values())) > 20
    assert as_compared(fast) == as_compared(read_row_by_row(monkeypatch, data))
    trainees = {row.values["id"]: row.values for row in fast.tables["trainees"]}
    erased = [values for values in trainees.values() if values["erased_at"] is not None]
    assert erased and all(values["name"] == values["email"] == "" for values in erased)


def test_references_found_nowhere_are_the_same_warnings_either_way(monkeypatch, data):
    def orphan(header, rows):
        rows[0][header.index("unit_id")] = "00000000-0000-4000-8000-000000000000"
        return header, rows

    bad = with_rows(data, "deployments.csv", orphan)
    fast = read_export(bad, dangling_ok=True)
    assert fast.ok and len(fast.warnings) == 1
    assert as_compared(fast) == as_compared(read_row_by_row(monkeypatch, bad, dangling_ok=True))


CODE = hetu.generate(dt.date(1984, 2, 29), 321)


@pytest.mark.parametrize(
    ("file", "column", "value"),
    [
        ("units.csv", "id", "not-a-uuid"),
        ("units.csv", "notes", f"soitti {CODE}"),
        ("units.csv", "name", "x" * 201),
        ("units.csv", "name", "  "),
        ("units.csv", "active", "2"),
        ("events.csv", "date", "2026-02-30"),
        ("deployments.csv", "unit_id", ""),
        ("trainees.csv", "created_at", "2026-12-01 12:00:00"),
    ],
)
def test_a_bad_cell_is_reported_as_before(monkeypatch, data, file, column, value):
    def edit(header, rows):
        rows[-1][header.index(column)] = value
        return header, rows

    bad = with_rows(data, file, edit)
    fast = read_export(bad)
    assert not fast.ok and any(p.file == file and p.column == column for p in fast.problems)
    assert as_compared(fast) == as_compared(read_row_by_row(monkeypatch, bad))


def test_a_duplicate_id_is_reported_as_before(monkeypatch, data):
    def twice(header, rows):
        return header, [*rows, rows[0]]

    bad = with_rows(data, "units.csv", twice)
    fast = read_export(bad)
    assert [p.code for p in fast.problems if p.file == "units.csv"] == ["duplicate_id"]
    assert as_compared(fast) == as_compared(read_row_by_row(monkeypatch, bad))
