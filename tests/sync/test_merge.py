"""`koordi merge`'s rules on real export files, into SQLite and into a real PostgreSQL: the union of
the files with provenance, idempotence in any order, incremental files, references found
nowhere, notes and names only when asked for, tombstones and erasures."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.central.merge import DUPLICATE, MERGED
from app.central.schema import DATA, coordinators, merged_files
from app.exchange import format as fmt
from app.exchange import problems as P
from app.exchange.problems import describe
from app.i18n import translator
from tests.sync.helpers import manifest_of, repack, with_rows
from tests.sync.merge_data import NEW_EVENT, NEW_NOTE, NEWEST_NOTE, RENAMED
from tests.sync.merge_helpers import NOW, blank_left_out, cell, dump, file_rows, merge, merged_rows

en = translator("en")


def test_the_merged_rows_are_the_union_of_the_files_with_provenance(new_target, merge_exports):
    target = new_target()
    files = {key: merge_exports[key].files["full"] for key in "ABCD"}
    report = merge(target, files.values())
    assert [f.status for f in report.files] == [MERGED] * 4
    assert not any(f.warnings for f in report.files)
    for key, path in files.items():
        manifest = manifest_of(path.read_bytes())
        who = manifest["coordinator"]
        for spec in fmt.TABLES:
            expected = {i: blank_left_out(spec, row, False, False) for i, row in file_rows(path, spec.name).items()}
            stored = merged_rows(target, spec.name, who["id"])
            assert set(stored) == set(expected), (key, spec.name)
            for row_id, row in stored.items():
                assert {c: cell(row[c]) for c in spec.header} == expected[row_id], (key, spec.name, row_id)
                assert (row["county"], row["export_id"], row["source_file"]) == (who["county"], manifest["export_id"], path.name)
                assert row["merged_at"] == NOW.replace(tzinfo=None)
    with target.connect() as conn:
        people = {r.id: (r.name, r.county, r.role) for r in conn.execute(select(coordinators))}
        logged = {r.file_name: (r.rows, r.created, r.result) for r in conn.execute(select(merged_files))}
    assert people == {
        merge_exports[k].id: (
            f"Testi Koordinaattori {k}",
            merge_exports[k].county,
            {"A": "therapy", "B": "therapy", "C": "intervention", "D": "both"}[k],
        )
        for k in "ABCD"
    }
    assert logged == {p.name: (f.total("rows"), f.total("rows"), "merged") for p, f in zip(files.values(), report.files)}


def test_merging_again_in_any_order_changes_nothing(new_target, merge_exports):
    files = merge_exports.latest
    first = new_target()
    merge(first, files)
    before = dump(first, skip=())
    again = merge(first, files, now=NOW.replace(year=2027))  # a later run: nothing to write, not even a time
    assert all(f.total("created") == f.total("updated") == 0 for f in again.files)
    assert all(f.total("unchanged") == f.total("rows") for f in again.files)
    assert dump(first, skip=()) == before
    other = new_target()
    merge(other, list(reversed(files)))
    # `first` still holds `before` (just asserted): compared without merged_files, as dump() does.
    assert dump(other) == {name: rows for name, rows in before.items() if name != "merged_files"}


def test_an_incremental_file_refers_to_rows_of_the_earlier_file(new_target, merge_exports):
    a = merge_exports["A"]
    target = new_target()
    merge(target, [a.files["full"]], notes=True, names=True)
    report = merge(target, [a.files["incremental"]], notes=True, names=True)
    [outcome] = report.files
    assert outcome.status == MERGED and outcome.warnings == []
    assert 0 < outcome.total("rows") < 40  # only the edits (and what they touched) travelled
    events = merged_rows(target, "events", a.id)
    new = events[a.edits["new_event"]]
    assert new["title"] == NEW_EVENT and new["export_id"] == manifest_of(a.files["incremental"].read_bytes())["export_id"]
    attendance = [r for r in merged_rows(target, "event_attendance", a.id).values() if r["event_id"] == new["id"]]
    assert [(r["unit_id"], r["professionals"], r["supervisors"], r["others"]) for r in attendance] == [(a.edits["unit"], 6, 1, 2)]
    unit = merged_rows(target, "units", a.id)[a.edits["unit"]]
    full_unit = file_rows(a.files["full"], "units")[a.edits["unit"]]
    # The name changed; the notes did not travel in the (minimal) incremental, so the full file's stay.
    assert unit["name"] == RENAMED and unit["notes"] == full_unit["notes"] != NEW_NOTE
    # The next file carries notes: the newest notes win, in whichever order the two files come.
    merge(target, [a.files["notes"]], notes=True, names=True)
    assert merged_rows(target, "units", a.id)[a.edits["unit"]]["notes"] == NEWEST_NOTE
    backwards = new_target()
    merge(backwards, [a.files["notes"], a.files["incremental"], a.files["full"]], notes=True, names=True)
    assert merged_rows(backwards, "units", a.id)[a.edits["unit"]]["notes"] == NEWEST_NOTE


def test_tombstones_and_erasures_propagate(new_target, merge_exports):
    a = merge_exports["A"]
    target = new_target()
    merge(target, [a.files["full"]], names=True, notes=True)
    trainees = merged_rows(target, "trainees", a.id)
    assert trainees[a.edits["erased"]]["name"] != "" and trainees[a.edits["erased"]]["erased_at"] is None
    assert merged_rows(target, "events", a.id)[a.edits["deleted_event"]]["deleted"] is False
    merge(target, [a.files["incremental"]], names=True, notes=True)
    erased = merged_rows(target, "trainees", a.id)[a.edits["erased"]]
    assert erased["erased_at"] is not None and erased["name"] == erased["email"] == ""
    others = [t for t in merged_rows(target, "trainees", a.id).values() if t["erased_at"] is None]
    assert others and all(t["name"] for t in others)  # names asked for: the others keep theirs
    assert merged_rows(target, "events", a.id)[a.edits["deleted_event"]]["deleted"] is True
    # An erasure wins even when the older file comes after it: the name never comes back.
    merge(target, [a.files["full"]], names=True, notes=True, now=NOW.replace(year=2027))
    assert merged_rows(target, "trainees", a.id)[a.edits["erased"]]["name"] == ""


def test_an_incremental_alone_reports_the_references_it_cannot_find_and_keeps_its_rows(new_target, merge_exports):
    a = merge_exports["A"]
    target = new_target()
    [outcome] = merge(target, [a.files["incremental"]]).files
    assert outcome.status == MERGED
    codes = {(p.file, p.column, p.code) for p in outcome.warnings}
    assert ("event_methods.csv", "method_id", P.NOT_MERGED_REFERENCE) in codes  # the methods are in the full file
    assert (None, None, P.NO_EARLIER_FILE) in codes
    line = next(p for p in outcome.warnings if p.file == "event_methods.csv")
    assert describe(line, en).startswith(f"event_methods.csv, line {line.line}, column method_id: refers to a row of methods.csv")
    assert a.edits["new_event"] in merged_rows(target, "events", a.id)
    # The full file in a later run supplies the rows; in one run with it, nothing is reported at all.
    assert not merge(target, [a.files["full"]]).files[0].warnings
    together = new_target()
    assert [f.warnings for f in merge(together, [a.files["incremental"], a.files["full"]]).files] == [[], []]


def test_a_reference_found_nowhere_is_reported_with_file_line_and_column(new_target, merge_exports):
    b = merge_exports["B"]
    lost = str(uuid.uuid4())

    def dangle(header, rows):
        rows[1][header.index("unit_id")] = lost
        return header, rows

    bad = merge_exports.folder.parent / "dangling.zip"
    bad.write_bytes(with_rows(b.files["full"].read_bytes(), "event_attendance.csv", dangle))
    target = new_target()
    [outcome] = merge(target, [bad]).files
    assert outcome.status == MERGED
    assert [(p.file, p.line, p.column, p.code) for p in outcome.warnings] == [
        ("event_attendance.csv", 3, "unit_id", P.NOT_MERGED_REFERENCE)
    ]
    assert describe(outcome.warnings[0], en) == (
        "event_attendance.csv, line 3, column unit_id: refers to a row of "
        "units.csv that is in no file merged from this coordinator; the row is kept"
    )
    assert [r for r in merged_rows(target, "event_attendance", b.id).values() if r["unit_id"] == lost]  # kept
    with target.connect() as conn:
        assert conn.execute(select(merged_files.c.result, merged_files.c.warnings)).one() == ("warnings", 1)


def test_notes_and_names_stay_out_unless_asked_for(new_target, merge_exports):
    a, d = merge_exports["A"], merge_exports["D"]
    files = [a.files["full"], d.files["full"]]
    plain = new_target()
    merge(plain, files)
    with_notes = new_target()
    merge(with_notes, files, notes=True)
    everything = new_target()
    merge(everything, files, notes=True, names=True)
    for spec in fmt.TABLES:
        notes = [c.name for c in spec.columns if c.kind is fmt.Kind.NOTE]
        names = [c.name for c in spec.columns if c.kind is fmt.Kind.PERSONAL]
        for who, path in ((a, a.files["full"]), (d, d.files["full"])):
            source = file_rows(path, spec.name)
            for engine, keep_notes, keep_names in ((plain, False, False), (with_notes, True, False), (everything, True, True)):
                for row_id, row in merged_rows(engine, spec.name, who.id).items():
                    assert [row[n] for n in notes] == [source[row_id][n] if keep_notes else "" for n in notes]
                    assert [row[n] for n in names] == [source[row_id][n] if keep_names else "" for n in names]
    # The files do carry text there: the test would not notice a merge that kept it otherwise.
    assert any(r["notes"] for r in merged_rows(with_notes, "units", d.id).values())
    assert any(r["name"] for r in merged_rows(everything, "trainees", a.id).values())


def test_the_same_file_twice_in_one_run_is_merged_once(new_target, merge_exports):
    b = merge_exports["B"].files["full"]
    copy = merge_exports.folder.parent / "copy-of-b.zip"
    copy.write_bytes(b.read_bytes())
    target = new_target()
    report = merge(target, [b, b, copy])
    assert [f.status for f in report.files] == [MERGED, DUPLICATE, DUPLICATE]
    assert report.files[1].duplicate_of == report.files[2].duplicate_of == b.name


def test_a_gap_between_files_is_reported(new_target, merge_exports):
    a = merge_exports["A"]

    def stamped(since, exported):
        def edit(doc):
            doc.update(exported_at=exported, export_id=str(uuid.uuid4()))
            if since:
                doc["since"] = since

        return edit

    # The changes since 1.1.2099, but the last file merged was made in 2026: a file is missing.
    gap = merge_exports.folder.parent / "gap.zip"
    gap.write_bytes(repack(a.files["incremental"].read_bytes(), manifest=stamped("2099-01-01T00:00:00Z", "2099-01-02T00:00:00Z")))
    target = new_target()
    report = merge(target, [a.files["full"], gap])
    warnings = report.files[1].warnings
    assert [p.code for p in warnings] == [P.GAP]
    text = describe(warnings[0], en)
    assert a.files["full"].name in text and "the changes in between are missing" in text and "1.1.2099" in text
    # A full export made after it holds everything the gap could have lost: nothing more to report.
    later_full = merge_exports.folder.parent / "later-full.zip"
    later_full.write_bytes(repack(a.files["full"].read_bytes(), manifest=stamped(None, "2099-02-01T00:00:00Z")))
    healed = new_target()
    assert [f.warnings for f in merge(healed, [a.files["full"], gap, later_full]).files] == [[], [], []]


def test_every_table_has_provenance_and_no_foreign_keys():
    for spec in fmt.TABLES:
        table = DATA[spec.name]
        assert [c.name for c in table.primary_key.columns] == ["coordinator_id", "id"]
        assert {"county", "export_id", "exported_at", "source_file", "merged_at"} <= set(table.c.keys())
        assert not table.foreign_keys
