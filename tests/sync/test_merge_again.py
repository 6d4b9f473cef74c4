"""Merging files again: a file merged before, whose rows all still carry it as their source, is
not compared row by row (merge_rows._all_stored_from_file); every other case is, and the outcome
is the row-by-row one. On SQLite and PostgreSQL (new_target)."""

from __future__ import annotations

from sqlalchemy import delete

import app.central.merge as merge_module
import app.central.merge_rows as merge_rows
from app.central.schema import DATA
from app.exchange import format as fmt
from tests.sync.merge_helpers import NOW, dump, file_rows, merge

LATER = NOW.replace(year=2027)


def _counting_reads(monkeypatch) -> list[str]:
    """The tables whose stored rows a merge reads (merge_rows._stored), in call order."""
    read: list[str] = []
    original = merge_rows._stored

    def counted(conn, spec, *args, **kwargs):
        read.append(spec.name)
        return original(conn, spec, *args, **kwargs)

    monkeypatch.setattr(merge_rows, "_stored", counted)
    return read


def _counts(report) -> list[list[tuple]]:
    return [[(t.file, t.rows, t.created, t.updated, t.unchanged, t.deleted) for t in f.tables] for f in report.files]


def test_a_file_merged_again_reads_no_stored_row_and_changes_nothing(new_target, merge_exports, monkeypatch):
    files = [merge_exports[key].files["full"] for key in "AB"]
    target = new_target()
    merge(target, files)
    before = dump(target, skip=())
    read = _counting_reads(monkeypatch)
    analyzed: list[bool] = []
    monkeypatch.setattr(merge_module, "_refresh_statistics", lambda conn: analyzed.append(True))
    again = merge(target, files, now=LATER)
    assert read == []  # every row still from its own file: proven unchanged without reading them
    assert analyzed == []  # nothing written: the planner's statistics still hold
    assert all(t.rows > 0 for t in again.files[0].tables if t.file == "units.csv")
    assert all(t.unchanged == t.rows and t.created == t.updated == t.deleted == 0 for f in again.files for t in f.tables)
    assert dump(target, skip=()) == before


def test_a_file_merged_again_after_a_later_file_overwrote_rows_is_compared_row_by_row(new_target, merge_exports, monkeypatch):
    a = merge_exports["A"]
    targets = []
    for _ in range(2):
        target = new_target()
        merge(target, [a.files["full"]], names=True)
        merge(target, [a.files["incremental"]], names=True)  # newer versions, a deletion and an erasure
        targets.append(target)
    read = _counting_reads(monkeypatch)
    shortcut = merge(targets[0], [a.files["full"]], now=LATER)
    # Read: the tables where the incremental file overwrote rows; the others still take the shortcut.
    touched = {spec.name for spec in fmt.TABLES if file_rows(a.files["incremental"], spec.name)}
    assert {"events", "trainees"} <= set(read) <= touched and len(read) < len(fmt.TABLES)
    monkeypatch.setattr(merge_module, "_sole_content", lambda *args: False)
    row_by_row = merge(targets[1], [a.files["full"]], now=LATER)
    assert _counts(shortcut) == _counts(row_by_row)
    assert all(t.unchanged == t.rows for t in shortcut.files[0].tables)
    assert dump(targets[0]) == dump(targets[1])


def test_a_stored_row_gone_is_written_again(new_target, merge_exports):
    a = merge_exports["A"]
    target = new_target()
    merge(target, [a.files["full"]])
    before = dump(target)
    events = DATA["events"]
    with target.begin() as conn:
        gone = conn.execute(events.select().where(events.c.coordinator_id == a.id).limit(1)).first()
        conn.execute(delete(events).where(events.c.coordinator_id == a.id, events.c.id == gone.id))
    again = merge(target, [a.files["full"]])
    [counts] = [t for t in again.files[0].tables if t.file == "events.csv"]
    assert (counts.created, counts.updated) == (1, 0)
    assert dump(target) == before
