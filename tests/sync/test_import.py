"""Import: the plan (dry run), the merge rules, all or nothing, profile adoption, search."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.exchange import format as fmt
from app.exchange import problems as P
from app.models import CoordinatorProfile, Event, Setting, Trainee, Unit
from app.search.query import search
from app.store import CHANGED_KEY
from app.sync import history
from app.sync.export import build_export
from app.sync.importer import ImportRefused, apply_import, plan_import, read_for_import
from tests.sync.helpers import (
    PROFILE,
    add_profile,
    counts,
    digest,
    fill_sample,
    members,
    rows_of,
    table_cells,
    with_rows,
)

UTC = dt.UTC


def export(store, **kw):
    options = dict(full=True, include_notes=True, include_names=True) | kw
    with store.Session() as s:
        return build_export(s, **options)


def plan(store, data):
    with store.Session() as s:
        return plan_import(s, read_for_import(s, data))


def run_import(store, data, file_name="file.zip"):
    p = plan(store, data)
    assert p.ok, p.problems
    return apply_import(store, p, file_name=file_name)


@pytest.fixture
def source(new_store):
    store = new_store("source")
    add_profile(store)
    ids = fill_sample(store)
    return store, ids


def summary(p) -> dict[str, tuple[int, int, int, int]]:
    return {s.file: (s.created, s.updated, s.unchanged, s.deleted) for s in p.summaries}


def test_export_import_into_an_empty_install_then_export_gives_the_same_rows(source, new_store):
    src, ids = source
    first = export(src)
    target = new_store("target")
    outcome = run_import(target, first.data)
    assert outcome.backup is not None and outcome.backup.path.exists()
    assert counts(target) == counts(src)
    again = export(target)
    for name in fmt.FILE_NAMES:
        assert members(again.data)[name] == members(first.data)[name], name
    assert again.manifest["coordinator"] == first.manifest["coordinator"]  # the profile and its id were adopted


def test_dry_run_summary_per_file_and_nothing_written(source, new_store):
    src, _ids = source
    data = export(src).data
    target = new_store("target")
    before = digest(target.db_path)
    p = plan(target, data)
    assert p.ok and p.has_changes
    s = summary(p)
    assert s["units.csv"] == (3, 0, 0, 0) and s["events.csv"] == (4, 0, 0, 0)
    assert s["methods.csv"] == (1, 0, 17, 0)  # the seeded catalogue is already there
    assert digest(target.db_path) == before and not target.list_backups()


def test_importing_the_same_file_twice_changes_nothing(source, new_store):
    src, _ids = source
    data = export(src).data
    target = new_store("target")
    run_import(target, data)
    before = digest(target.db_path)
    p = plan(target, data)
    assert not p.has_changes and all(c == 0 for v in summary(p).values() for c in v[:2] + v[3:])
    outcome = apply_import(target, p)
    assert outcome.backup is None and digest(target.db_path) == before
    # Importing one's own export back into the source changes nothing either.
    p = plan(src, data)
    assert p.ok and not p.has_changes


def test_newer_rows_win_older_rows_lose_and_tombstones_delete(source, new_store):
    src, ids = source
    target = new_store("target")
    run_import(target, export(src).data)
    later = dt.datetime.now(UTC) + dt.timedelta(seconds=5)
    with src.Session() as s:
        s.get(Unit, ids["unit"]).municipality = "Lohja"
        s.get(Unit, ids["unit"]).updated_at = later
        s.get(Unit, ids["unit2"]).soft_delete()
        s.get(Unit, ids["unit2"]).updated_at = later
        s.commit()
    with target.Session() as s:  # edited here after the export, and more recently than the file's row
        event = s.get(Event, ids["event"])
        event.title = "Uusi nimi"
        event.updated_at = later + dt.timedelta(seconds=5)
        s.commit()
    newer = export(src).data
    p = plan(target, newer)
    s = summary(p)
    assert s["units.csv"] == (0, 1, 1, 1) and s["events.csv"] == (0, 0, 4, 0)
    run_import(target, newer)
    assert counts(target) == counts(src)
    with target.Session() as s:
        unit = s.get(Unit, ids["unit"])
        assert unit.municipality == "Lohja" and unit.updated_at == later.replace(microsecond=0)  # kept exactly
        assert s.get(Unit, ids["unit2"]).deleted
        assert s.get(Event, ids["event"]).title == "Uusi nimi"  # the newer local edit stays


def test_left_out_notes_and_names_never_overwrite_stored_values(source, new_store):
    src, ids = source
    target = new_store("target")
    run_import(target, export(src).data)
    later = dt.datetime.now(UTC) + dt.timedelta(seconds=5)
    with src.Session() as s:
        unit = s.get(Unit, ids["unit"])
        unit.municipality, unit.updated_at = "Lohja", later
        trainee = s.get(Trainee, ids["trainee"])
        trainee.cohort, trainee.updated_at = "Kevät 2027", later
        s.commit()
    minimal = export(src, include_notes=False, include_names=False).data
    p = plan(target, minimal)
    assert summary(p)["units.csv"] == (0, 1, 2, 0)
    run_import(target, minimal)
    with target.Session() as s:
        unit = s.get(Unit, ids["unit"])
        assert unit.municipality == "Lohja"  # the change came through...
        assert unit.notes.startswith("Pilotti") and unit.supervisor_name == "Sanna Esimies"  # ...the rest stayed
        trainee = s.get(Trainee, ids["trainee"])
        assert trainee.cohort == "Kevät 2027" and trainee.name == "Matti Meikäläinen"
        assert trainee.email == "matti@example.org" and trainee.name_key == "matti meikäläinen"


def test_a_new_row_from_a_minimal_file_gets_empty_text(source, new_store):
    src, ids = source
    target = new_store("target")
    run_import(target, export(src, include_notes=False, include_names=False).data)
    with target.Session() as s:
        unit = s.get(Unit, ids["unit"])
        assert unit.notes == "" and unit.supervisor_name == "" and unit.name == "Äänekosken terveysasema"
        assert unit.name_key == "äänekosken terveysasema"
        assert s.get(Trainee, ids["trainee"]).name == "" and s.get(Trainee, ids["trainee"]).name_key == ""


def test_an_erasure_always_wins(source, new_store):
    src, ids = source
    target = new_store("target")
    run_import(target, export(src).data)
    # The target erases the trainee; the source later edits the same trainee (newer, not erased).
    from app.guidance.ops import erase_trainee

    with target.Session() as s:
        erase_trainee(s, s.get(Trainee, ids["trainee"]))
    with src.Session() as s:
        trainee = s.get(Trainee, ids["trainee"])
        trainee.cohort, trainee.updated_at = "Kevät 2027", dt.datetime.now(UTC) + dt.timedelta(minutes=1)
        s.commit()
    run_import(target, export(src).data)
    with target.Session() as s:
        trainee = s.get(Trainee, ids["trainee"])
        assert trainee.cohort == "Kevät 2027" and trainee.erased_at is not None
        assert trainee.name == trainee.email == trainee.name_key == ""
    # The other way round: an older row that carries the erasure still erases.
    with src.Session() as s:
        trainee = s.get(Trainee, ids["trainee"])
        trainee.updated_at = dt.datetime.now(UTC) + dt.timedelta(hours=1)
        s.commit()
    erased_file = export(target).data
    assert plan(src, erased_file).summaries[7].updated == 1
    run_import(src, erased_file)
    with src.Session() as s:
        trainee = s.get(Trainee, ids["trainee"])
        assert trainee.erased_at is not None and trainee.name == "" and trainee.cohort == "Kevät 2027"


def test_imported_rows_are_found_by_search(source, new_store):
    src, ids = source
    target = new_store("target")
    run_import(target, export(src).data)
    with target.Session() as s:
        groups = {g.kind: [h.ref_id for h in g.hits] for g in search(s, "äänekosken")}
        assert groups.get("unit") == [ids["unit"]]
        assert [h.ref_id for g in search(s, "Meikäläinen") for h in g.hits] == [ids["trainee"]]
        assert search(s, "Suljettu") == []  # the deleted unit arrived as a tombstone: not found
        assert search(s, "Erkki") == []  # the erased name was never stored


def test_history_and_changed_stamp_after_an_import(source, new_store):
    src, _ids = source
    target = new_store("target")
    outcome = run_import(target, export(src).data, file_name="siirto.zip")
    with target.Session() as s:
        [entry] = history.sync_history(s)
        assert entry.purpose == "import" and entry.file_name == "siirto.zip"
        assert entry.changes["units.csv"] == {"created": 3, "updated": 0, "unchanged": 0, "deleted": 0}
        assert s.get(Setting, CHANGED_KEY) is not None
    assert outcome.backup.reason == "pre-import"


# -- whose data ------------------------------------------------------------------------------


def test_a_full_export_adopts_the_profile_of_an_empty_install_that_has_one(source, new_store):
    src, _ids = source
    target = new_store("target")
    add_profile(target, name="Uusi Asennus")
    run_import(target, export(src, include_notes=False, include_names=False).data)
    with target.Session() as s:
        live = s.scalars(select(CoordinatorProfile).where(CoordinatorProfile.deleted.is_(False))).all()
        assert [(p.id, p.name) for p in live] == [(export(src).manifest["coordinator"]["id"], PROFILE["name"])]


def test_another_coordinator_s_file_is_refused_where_there_are_records(source, new_store):
    src, _ids = source
    target = new_store("target")
    add_profile(target, name="Toinen Koordinaattori")
    fill_sample(target)
    before = digest(target.db_path)
    p = plan(target, export(src).data)
    assert [pr.code for pr in p.problems] == [P.OTHER_COORDINATOR]
    assert p.problems[0].params == {"name": PROFILE["name"], "county": "Länsi-Uusimaa", "own": "Toinen Koordinaattori"}
    with pytest.raises(ImportRefused):
        apply_import(target, p)
    assert digest(target.db_path) == before and not target.list_backups()


def test_an_incremental_file_cannot_start_an_install(source, new_store):
    src, _ids = source
    with src.Session() as s:
        data = build_export(
            s, full=False, include_notes=False, include_names=False, since=dt.datetime.now(UTC) - dt.timedelta(days=1)
        ).data
    target = new_store("target")
    p = plan(target, data)
    assert P.NEEDS_FULL in [pr.code for pr in p.problems]


def test_apply_plans_again_and_refuses_what_became_wrong(source, new_store):
    src, _ids = source
    data = export(src).data
    target = new_store("target")
    p = plan(target, data)
    assert p.ok
    add_profile(target, name="Toinen Koordinaattori")  # in the minutes the preview was open
    fill_sample(target)
    before = digest(target.db_path)
    with pytest.raises(ImportRefused) as caught:
        apply_import(target, p)
    assert [pr.code for pr in caught.value.plan.problems] == [P.OTHER_COORDINATOR]
    assert digest(target.db_path) == before


def test_one_bad_row_and_nothing_is_written(source, new_store):
    src, ids = source
    data = export(src).data

    def spoil(header, rows):
        rows[-1][header.index("date")] = "31.2."
        return header, rows

    target = new_store("target")
    before = digest(target.db_path)
    p = plan(target, with_rows(data, "goal_updates.csv", spoil))
    assert [(pr.file, pr.line, pr.column, pr.code) for pr in p.problems] == [("goal_updates.csv", 2, "date", fmt.NOT_DATE)]
    with pytest.raises(ImportRefused):
        apply_import(target, p)
    assert digest(target.db_path) == before and counts(target)["units"] == 0


def test_a_unique_key_held_by_another_row_is_refused(source, new_store):
    src, ids = source
    data = export(src).data

    def steal(header, rows):
        # The seeded IPC row is not in the file (Koordi has it), and the own method claims its key.
        rows = [r for r in rows if r[header.index("key")] != "ipc"]
        next(r for r in rows if r[0] == ids["method"])[header.index("key")] = "ipc"
        return header, rows

    target = new_store("target")
    p = plan(target, with_rows(data, "methods.csv", steal))
    [problem] = p.problems
    assert (problem.file, problem.column, problem.code) == ("methods.csv", "key", P.VALUE_TAKEN)
    header, rows = table_cells(with_rows(data, "methods.csv", steal), "methods.csv")
    assert problem.line == 2 + [r[0] for r in rows].index(ids["method"])


def test_injection_cells_read_back_equal(source, new_store):
    src, ids = source
    cells = {
        "name": '=HYPERLINK("http://evil.example";"klik")',
        "municipality": "+358",
        "notes": "-2+3\r=1",
        "supervisor_name": "@SUM(A1)",
        "supervisor_email": "\t=1",
    }
    with src.Session() as s:
        unit = s.get(Unit, ids["unit"])
        for name, value in cells.items():
            setattr(unit, name, value)
        s.commit()
    data = export(src).data
    row = next(r for r in rows_of(data, "units.csv") if r["id"] == ids["unit"])
    assert all(row[name] == "'" + value for name, value in cells.items())
    target = new_store("target")
    run_import(target, data)
    with target.Session() as s:
        unit = s.get(Unit, ids["unit"])
        assert {name: getattr(unit, name) for name in cells} == cells
