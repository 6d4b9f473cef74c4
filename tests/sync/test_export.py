"""The export zip: its dialect read back without sniffing, the manifest, what is left out, the
formula guard, tombstones, the default name, determinism, and the incremental rule."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import select

from app.core import hetu
from app.events import ops as events
from app.exchange import format as fmt
from app.guidance import ops as guidance
from app.models import Event, GuidanceSession, SyncRecord, Unit
from app.sync import history
from app.sync.export import ExportRefused, build_export, default_file_name, prepare_export, record_export, slug
from tests.sync.helpers import IPC, add_profile, backdate, counts, fill_sample, manifest_of, members, rows_of

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 1, 12, 5, 30, tzinfo=UTC)  # 14.05 in Helsinki


def export(store, **kw):
    options = dict(full=True, include_notes=False, include_names=False) | kw
    with store.Session() as s:
        return build_export(s, **options)


def central(store, now=None, **kw):
    """An export sent to the central office: prepared, 'saved', recorded."""
    with store.Session() as s:
        result = prepare_export(s, history.CENTRAL, now=now, **kw)
        record_export(s, result)
        return result


@pytest.fixture
def sample(store):
    add_profile(store)
    return fill_sample(store)


def test_every_file_is_excel_s_finnish_csv(store, sample):
    result = export(store, include_notes=True, include_names=True)
    files = members(result.data)
    assert sorted(files) == sorted([*fmt.FILE_NAMES, "manifest.json"])
    for spec in fmt.TABLES:
        raw = files[spec.file_name]
        assert raw.startswith(b"\xef\xbb\xbf")
        lines = raw[3:].split(b"\r\n")
        assert lines[-1] == b"" and lines[0].decode() == ";".join(spec.header)
        rows = rows_of(result.data, spec.file_name)  # csv.reader, delimiter ';', nothing sniffed
        assert len(rows) == result.rows[spec.file_name] > 0
        for row in rows:
            for name, cell in row.items():
                assert not re.fullmatch(r"-?\d+[.,]\d+", cell), (spec.name, name, cell)  # no decimal numbers
                column = spec.column(name)
                if column.kind is fmt.Kind.TIMESTAMP and cell:
                    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", cell)
                if column.kind is fmt.Kind.DATE and cell:
                    assert re.fullmatch(r"\d{4}-\d\d-\d\d", cell)
                if column.kind is fmt.Kind.BOOL:
                    assert cell in ("0", "1")
    unit = next(r for r in rows_of(result.data, "units.csv") if r["id"] == sample["unit"])
    assert unit["name"] == "Äänekosken terveysasema" and unit["municipality"] == "Äänekoski"
    assert unit["notes"] == 'Pilotti alkaa syksyllä; "tärkeä".\nToinen rivi.'
    event = next(r for r in rows_of(result.data, "events.csv") if r["id"] == sample["event"])
    assert event["feedback_avg_centi"] == "430" and event["start_time"] == "09:00" and event["date"] == "2026-03-03"


def test_manifest_describes_the_files(store, sample):
    result = export(store, now=NOW)
    doc = manifest_of(result.data)
    assert doc == result.manifest
    assert doc["format"] == "koordi-export" and doc["schema_version"] == fmt.SCHEMA_VERSION
    assert doc["exported_at"] == "2026-12-01T12:05:30Z" and doc["kind"] == "full" and doc["since"] is None
    assert doc["notes_included"] is False and doc["names_included"] is False
    who = doc["coordinator"]
    assert who["name"] == "Testi Koordinaattori" and who["county"] == "lansi-uusimaa"
    assert who["cooperation_area"] == "etela-suomi" and who["role"] == "therapy" and re.fullmatch(fmt.UUID_RE, who["id"])
    files = members(result.data)
    for name, entry in doc["files"].items():
        assert entry["sha256"] == hashlib.sha256(files[name]).hexdigest()
        assert entry["rows"] == len(rows_of(result.data, name))


def test_notes_and_names_are_left_out_unless_asked(store, sample):
    minimal = export(store)
    for spec in fmt.TABLES:
        for row in rows_of(minimal.data, spec.file_name):
            for column in spec.columns:
                if column.kind in (fmt.Kind.NOTE, fmt.Kind.PERSONAL):
                    assert row[column.name] == "", (spec.name, column.name)
    unit = next(r for r in rows_of(minimal.data, "units.csv") if r["id"] == sample["unit"])
    assert unit["name"] == "Äänekosken terveysasema"  # a unit's name is not a person's
    notes_only = export(store, include_notes=True)
    assert manifest_of(notes_only.data)["notes_included"] and not manifest_of(notes_only.data)["names_included"]
    unit = next(r for r in rows_of(notes_only.data, "units.csv") if r["id"] == sample["unit"])
    assert unit["notes"].startswith("Pilotti") and unit["supervisor_name"] == ""
    trainee = next(r for r in rows_of(notes_only.data, "trainees.csv") if r["id"] == sample["trainee"])
    assert trainee["name"] == "" and trainee["email"] == "" and trainee["profession"] == "psykologi"
    names = export(store, include_names=True)
    trainee = next(r for r in rows_of(names.data, "trainees.csv") if r["id"] == sample["trainee"])
    assert trainee["name"] == "Matti Meikäläinen" and trainee["email"] == "matti@example.org"


def test_an_erased_trainee_travels_with_blank_names_and_the_erasure_time(store, sample):
    result = export(store, include_names=True)
    erased = next(r for r in rows_of(result.data, "trainees.csv") if r["id"] == sample["erased"])
    assert erased["name"] == erased["email"] == "" and erased["erased_at"].endswith("Z")


def test_formula_cells_are_neutralised_in_the_bytes(store, sample):
    cells = {
        "name": '=HYPERLINK("http://evil.example";"klik")',
        "municipality": "+358",
        "notes": "-2+3",
        "supervisor_name": "@SUM(A1)",
        "supervisor_email": "\t=1",
    }
    with store.Session() as s:
        unit = s.get(Unit, sample["unit"])
        for name, value in cells.items():
            setattr(unit, name, value)
        s.commit()
    data = export(store, include_notes=True, include_names=True).data
    assert b";'+358;'@SUM(A1);'\t=1;" in members(data)["units.csv"]
    # What Excel sees (the csv.reader's cells, quotes taken off): every one starts with an apostrophe.
    row = next(r for r in rows_of(data, "units.csv") if r["id"] == sample["unit"])
    assert {name: row[name] for name in cells} == {name: "'" + value for name, value in cells.items()}


def test_tombstones_travel(store, sample):
    result = export(store)
    unit = next(r for r in rows_of(result.data, "units.csv") if r["id"] == sample["deleted_unit"])
    assert unit["deleted"] == "1"
    links = rows_of(result.data, "event_attendance.csv")
    assert {(r["unit_id"], r["deleted"]) for r in links if r["event_id"] == sample["event"]} == {
        (sample["unit"], "0"),
        (sample["unit2"], "1"),
    }
    assert sum(r["deleted"] == "1" for r in rows_of(result.data, "events.csv")) == 1


def test_rows_are_in_id_order_and_two_exports_have_the_same_csv_bytes(store, sample):
    first, second = export(store, include_notes=True), export(store, include_notes=True)
    for name in fmt.FILE_NAMES:
        ids = [r["id"] for r in rows_of(first.data, name)]
        assert ids == sorted(ids)
        assert members(first.data)[name] == members(second.data)[name]
    assert first.manifest["export_id"] != second.manifest["export_id"]


def test_default_file_name(store, sample):
    assert export(store, now=NOW).file_name == "koordi_lansi-uusimaa_testi-koordinaattori_20261201-1405.zip"
    assert default_file_name("lansi-uusimaa", "Essi Lindström-Åberg", NOW) == (
        "koordi_lansi-uusimaa_essi-lindstrom-aberg_20261201-1405.zip"
    )
    assert slug("ЮЮ", 60, "coordinator") == "coordinator"
    assert default_file_name("x", "A", dt.datetime(2026, 7, 1, 21, 30, tzinfo=UTC)).endswith("_20260702-0030.zip")


def test_no_profile_no_export(store):
    with store.Session() as s, pytest.raises(ExportRefused) as caught:
        build_export(s, full=True, include_notes=False, include_names=False)
    assert caught.value.reason == ExportRefused.NO_PROFILE


def test_an_identity_code_in_stored_text_stops_the_export_and_is_never_shown(store, sample):
    code = hetu.generate(dt.date(1985, 7, 14), 123)
    with store.Session() as s:
        s.get(Unit, sample["unit"]).notes = f"Asiakas {code} soitti"
        s.commit()
    export(store)  # notes left out: nothing to leak, the export is made
    with pytest.raises(ExportRefused) as caught:
        export(store, include_notes=True)
    [finding] = caught.value.findings
    assert (finding.file, finding.row_id, finding.column) == ("units.csv", sample["unit"], "notes")
    assert code not in repr(caught.value.findings) and finding.masked.startswith(code[:2])


# -- incremental ---------------------------------------------------------------------------


def test_first_central_export_is_full_and_then_only_changes_travel(store, sample):
    backdate(store, days=2)
    first = central(store)
    assert first.kind == "full" and first.manifest["since"] is None
    with store.Session() as s:
        s.get(Unit, sample["unit"]).municipality = "Lohja"
        s.get(Event, sample["event"]).soft_delete()
        s.commit()
    second = central(store)
    assert second.kind == "incremental"
    assert second.manifest["since"] == fmt.timestamp(first.exported_at.replace(microsecond=0) - history.OVERLAP)
    changed = {name: [r["id"] for r in rows_of(second.data, name)] for name in fmt.FILE_NAMES}
    assert changed["units.csv"] == [sample["unit"]] and changed["events.csv"] == [sample["event"]]
    assert sum(map(len, changed.values())) == 2 and second.rows["units.csv"] == 1
    assert rows_of(second.data, "events.csv")[0]["deleted"] == "1"  # the tombstone travels


def test_a_copy_is_everything_and_never_moves_the_start_of_the_next_incremental(store, sample):
    backdate(store, days=2)
    central(store)
    with store.Session() as s:
        s.get(Unit, sample["unit"]).municipality = "Lohja"
        s.commit()
        copy = prepare_export(s, history.COPY)
        record_export(s, copy)
    assert copy.kind == "full" and copy.manifest["notes_included"] and copy.manifest["names_included"]
    assert copy.rows == export(store).rows
    after_copy = central(store)
    assert [r["id"] for r in rows_of(after_copy.data, "units.csv")] == [sample["unit"]]


def test_full_flag_and_unrecorded_exports(store, sample):
    backdate(store, days=2)
    central(store)
    assert central(store, full=True).kind == "full"
    with store.Session() as s:
        prepare_export(s, history.CENTRAL)  # made but never saved: not recorded
        assert len(history.sync_history(s)) == 2


def test_a_clock_set_back_or_a_data_changing_import_makes_the_next_export_full(store, sample):
    backdate(store, days=2)
    central(store)
    with store.Session() as s:
        assert history.incremental_since(s, dt.datetime.now(UTC)) is not None
        assert history.incremental_since(s, dt.datetime.now(UTC) - dt.timedelta(days=1)) is None
        manifest = export(store).manifest
        history.add_record(
            s,
            at=dt.datetime.now(UTC),
            purpose=history.IMPORT,
            manifest=manifest,
            file_name="x.zip",
            changes={"units.csv": {"created": 0, "updated": 0, "unchanged": 3, "deleted": 0}},
        )
        s.commit()
        assert history.incremental_since(s, dt.datetime.now(UTC)) is not None  # that import changed nothing
        history.add_record(
            s,
            at=dt.datetime.now(UTC),
            purpose=history.IMPORT,
            manifest=manifest,
            file_name="y.zip",
            changes={"units.csv": {"created": 1, "updated": 0, "unchanged": 2, "deleted": 0}},
        )
        s.commit()
        assert history.incremental_since(s, dt.datetime.now(UTC)) is None
    assert central(store).kind == "full"


def test_history_records_what_was_sent_when_and_to_whom(store, sample):
    first = central(store, now=NOW - dt.timedelta(days=1), include_notes=True)
    with store.Session() as s:
        copy = prepare_export(s, history.COPY, now=NOW)
        record_export(s, copy, saved_as="oma-kopio.zip")
        entries = history.sync_history(s, limit=10)
        assert [e.purpose for e in entries] == ["copy", "central"]
        newest, oldest = entries
        assert newest.file_name == "oma-kopio.zip" and newest.recipient == "" and newest.names_included
        assert oldest.recipient == "keskus@example.org" and oldest.file_name == first.file_name
        assert oldest.notes_included and not oldest.names_included and oldest.kind == "full"
        assert oldest.rows == first.rows and oldest.total_rows == sum(first.rows.values())
        assert oldest.export_id == first.manifest["export_id"] and oldest.at == NOW - dt.timedelta(days=1)
        assert history.last_central(s).export_id == first.manifest["export_id"]
        assert len(history.sync_history(s, limit=1)) == 1
        assert s.scalar(select(SyncRecord.coordinator_id)) == first.manifest["coordinator"]["id"]


def test_every_removal_is_a_tombstone_that_travels(store, sample):
    """Links taken off (a method from an event, a trainee from a session) stay as deleted rows."""
    before = counts(store)
    with store.Session() as s:
        event = s.get(Event, sample["event"])
        events.update_event(
            s,
            event,
            events.EventData(
                "workshop",
                "IPC-työpaja",
                dt.date(2026, 3, 3),
                status="held",
                unit_ids=[sample["unit"]],
                method_ids=[IPC],
                feedback_avg_centi=430,
                feedback_count=7,
            ),
        )
        session = s.get(GuidanceSession, sample["session"])
        guidance.save_session(
            s, guidance.SessionData(session.date, IPC, "group", "onsite", 90, trainee_ids=[sample["trainee"]]), session
        )
    assert counts(store) == before  # nothing was removed from a table
    result = export(store)
    methods = {
        (r["method_id"], r["deleted"]) for r in rows_of(result.data, "event_methods.csv") if r["event_id"] == sample["event"]
    }
    assert ("0" in {d for _m, d in methods}) and ("1" in {d for _m, d in methods})
    present = {(r["trainee_id"], r["deleted"]) for r in rows_of(result.data, "guidance_attendance.csv")}
    assert present == {(sample["trainee"], "0"), (sample["erased"], "1")}
