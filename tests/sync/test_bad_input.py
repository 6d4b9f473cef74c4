"""Every kind of bad file gets a clear problem naming file, line and column, and nothing is written."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
import zipfile

import pytest

from app.core import csvfmt, hetu
from app.exchange import format as fmt
from app.exchange import problems as P
from app.exchange.problems import describe
from app.exchange.reader import Limits, read_export
from app.i18n import translator
from app.sync.export import build_export
from app.sync.importer import ImportRefused, apply_import, database_lookup, plan_import, read_for_import
from tests.sync.helpers import add_profile, digest, fill_sample, members, repack, table_cells, with_rows, zip_bomb, zip_members

en = translator("en")


@pytest.fixture
def data(new_store) -> bytes:
    store = new_store("source")
    add_profile(store)
    fill_sample(store)
    with store.Session() as s:
        return build_export(s, full=True, include_notes=True, include_names=False).data


@pytest.fixture
def target(new_store):
    return new_store("target")


def refused(target, bad: bytes) -> list[tuple]:
    """Plan the import, check nothing can be written, return (file, line, column, code) of every problem."""
    before = digest(target.db_path)
    with target.Session() as s:
        read = read_for_import(s, bad)
        plan = plan_import(s, read)
        # The import reads a batch at a time (app.sync.import_read), the merge whole files
        # (app.exchange.reader): both must find the same problems in the same file.
        whole = read_export(bad, lookup=database_lookup(s))
    assert [(p.file, p.line, p.column, p.code) for p in read.problems] == [
        (p.file, p.line, p.column, p.code) for p in whole.problems
    ]
    assert not plan.ok
    with pytest.raises(ImportRefused):
        apply_import(target, plan)
    assert digest(target.db_path) == before, "the database changed"
    assert not target.list_backups()
    for problem in plan.problems:
        text = describe(problem, en)
        if problem.file:
            assert text.startswith(problem.file)
        if problem.line is not None:
            assert f"line {problem.line}" in text
        if problem.column:
            assert f"column {problem.column}" in text
    return [(p.file, p.line, p.column, p.code) for p in plan.problems]


def edit_cell(data: bytes, file: str, row: int, column: str, value: str) -> bytes:
    def edit(header, rows):
        rows[row][header.index(column)] = value
        return header, rows

    return with_rows(data, file, edit)


# -- the zip -------------------------------------------------------------------------------


def test_truncated_zip(target, data):
    assert refused(target, data[: len(data) // 2]) == [(None, None, None, P.NOT_ZIP)]
    assert refused(target, data[:-10]) == [(None, None, None, P.NOT_ZIP)]


def test_not_a_zip_at_all(target, data):
    assert refused(target, members(data)["units.csv"]) == [(None, None, None, P.NOT_ZIP)]
    assert refused(target, b"") == [(None, None, None, P.NOT_ZIP)]


def test_a_damaged_member_is_named(target, data):
    bad = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("events.csv")
    # The middle of the member's compressed bytes (after its 30-byte local header and name).
    bad[info.header_offset + 30 + len(info.filename) + info.compress_size // 2] ^= 0xFF
    assert refused(target, bytes(bad)) == [("events.csv", None, None, P.DAMAGED_MEMBER)]


def test_extra_and_missing_files_are_named(target, data):
    bad = repack(data, {"../../evil.exe": b"MZ", "goals.csv": None})
    assert sorted(refused(target, bad), key=str) == sorted(
        [("../../evil.exe", None, None, P.UNEXPECTED_MEMBER), ("goals.csv", None, None, P.MISSING_MEMBER)], key=str
    )


def test_a_member_twice(target, data):
    items = members(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in items.items():
            zf.writestr(name, content)
        with pytest.warns(UserWarning):
            zf.writestr("units.csv", items["units.csv"])
    assert refused(target, out.getvalue()) == [("units.csv", None, None, P.DUPLICATE_MEMBER)]


def test_too_many_members(target, data):
    bad = repack(data, {f"x{i}.csv": b"" for i in range(40)})
    assert refused(target, bad) == [(None, None, None, P.TOO_MANY_MEMBERS)]


def test_a_zip_bomb_is_stopped_while_unpacking(target, data):
    bomb = zip_bomb(data, 200)
    assert len(bomb) < 2_000_000
    assert refused(target, bomb) == [("events.csv", None, None, P.BOMB)]


def _claim_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with the central directory's uncompressed size of `member` replaced (a lying header)."""
    bad = bytearray(data)
    start = 0
    while (start := bytes(bad).find(b"PK\x01\x02", start)) != -1:
        name_length = struct.unpack("<H", bad[start + 28 : start + 30])[0]
        if bad[start + 46 : start + 46 + name_length] == member.encode():
            bad[start + 24 : start + 28] = struct.pack("<I", size)
        start += 4
    return bytes(bad)


def test_sizes_in_the_headers_are_never_trusted(target, data):
    # A bomb that claims to unpack to 1 KB is still stopped (at the claim, by a CRC mismatch).
    bomb = _claim_size(zip_bomb(data, 200), "events.csv", 1024)
    assert refused(target, bomb) in ([("events.csv", None, None, P.BOMB)], [("events.csv", None, None, P.DAMAGED_MEMBER)])
    # A normal member that claims 4 GB is read as what it really is.
    boast = _claim_size(data, "events.csv", 2**32 - 1)
    assert read_export(boast).ok


def test_size_caps_are_counted_while_unpacking(data):
    sizes = {name: len(content) for name, content in members(data).items()}
    largest = max(sizes, key=sizes.get)
    assert largest != "manifest.json"
    small = Limits(member_bytes=sizes[largest] - 1, ratio=10**6)
    assert [(p.file, p.code) for p in read_export(data, limits=small).problems] == [(largest, P.MEMBER_TOO_BIG)]
    tiny_total = Limits(total_bytes=10_000, ratio=10**6)
    assert P.MEMBER_TOO_BIG in [p.code for p in read_export(data, limits=tiny_total).problems]
    assert [p.code for p in read_export(data, limits=Limits(file_bytes=1000)).problems] == [P.TOO_BIG]


def test_an_encrypted_member(target, data):
    bad = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("units.csv")
    # Set bit 0 (encrypted) of the general purpose flags in the local and the central header.
    bad[info.header_offset + 6] |= 1
    start = 0
    while (start := bytes(bad).find(b"PK\x01\x02", start)) != -1:
        name_length = struct.unpack("<H", bad[start + 28 : start + 30])[0]
        if bad[start + 46 : start + 46 + name_length] == b"units.csv":
            bad[start + 8] |= 1
        start += 4
    assert refused(target, bytes(bad)) == [("units.csv", None, None, P.ENCRYPTED)]


# -- the manifest --------------------------------------------------------------------------


def test_a_newer_format_is_refused_with_a_clear_message(target, data):
    bad = repack(data, manifest=lambda m: m | {"schema_version": fmt.SCHEMA_VERSION + 1})
    assert refused(target, bad) == [("manifest.json", None, None, P.SCHEMA_TOO_NEW)]
    problem = read_export(bad).problems[0]
    assert "newer Koordi" in describe(problem, en) and "Update Koordi" in describe(problem, en)
    assert "uudemmalla Koordilla" in describe(problem, translator("fi"))


@pytest.mark.parametrize(
    "edit,field",
    [
        (lambda m: m | {"kind": "partial"}, "kind"),
        (lambda m: m | {"exported_at": "1.12.2026 14.05"}, "exported_at"),
        (lambda m: m | {"notes_included": "yes"}, "notes_included"),
        (lambda m: m | {"kind": "incremental"}, "since"),
        (lambda m: {k: v for k, v in m.items() if k != "export_id"}, "export_id"),
        (lambda m: m | {"coordinator": m["coordinator"] | {"county": "atlantis"}}, "coordinator.county"),
        (lambda m: m | {"schema_version": "1"}, "schema_version"),
    ],
)
def test_manifest_fields_are_checked(target, data, edit, field):
    bad = repack(data, manifest=edit)
    problems = read_export(bad).problems
    assert [(p.file, p.code, p.params.get("field")) for p in problems] == [("manifest.json", P.MANIFEST_FIELD, field)]
    refused(target, bad)


def test_not_json_and_not_koordi(target, data):
    assert refused(target, zip_members({**members(data), "manifest.json": b"{"})) == [
        ("manifest.json", None, None, P.MANIFEST_NOT_JSON)
    ]
    other = zip_members({**members(data), "manifest.json": json.dumps({"format": "something-else"}).encode()})
    assert refused(target, other) == [("manifest.json", None, None, P.NOT_KOORDI)]


def test_manifest_files_must_match(target, data):
    bad = repack(data, manifest=lambda m: m | {"files": {k: v for k, v in m["files"].items() if k != "goals.csv"}})
    assert refused(target, bad) == [("manifest.json", None, None, P.MANIFEST_FIELD)]


def test_checksum_and_row_count(target, data):
    header, rows = table_cells(data, "event_methods.csv")  # rows nothing refers to
    changed = csvfmt.write_csv(header, rows[:-1])
    assert sorted(refused(target, repack(data, {"event_methods.csv": changed}, rehash=False)), key=str) == sorted(
        [("event_methods.csv", None, None, P.SHA_MISMATCH), ("event_methods.csv", None, None, P.ROW_COUNT)], key=str
    )
    assert refused(target, repack(data, {"event_methods.csv": changed})) == [("event_methods.csv", None, None, P.ROW_COUNT)]


# -- the CSV files -------------------------------------------------------------------------


def test_wrong_encodings(target, data):
    header, rows = table_cells(data, "units.csv")
    text = csvfmt.write_csv(header, rows)[3:].decode("utf-8")
    latin = text.encode("cp1252")
    assert refused(target, repack(data, {"units.csv": latin})) == [("units.csv", 1, None, csvfmt.NO_BOM)]
    line = 1 + next(i for i, r in enumerate(rows, 1) if not "".join(r).isascii())
    bom_latin = csvfmt.BOM_BYTES + latin
    assert refused(target, repack(data, {"units.csv": bom_latin})) == [("units.csv", line, None, csvfmt.NOT_UTF8)]


def test_a_comma_delimiter(target, data):
    header, rows = table_cells(data, "units.csv")
    out = io.StringIO(newline="")
    import csv

    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    bad = repack(data, {"units.csv": csvfmt.BOM_BYTES + out.getvalue().encode()})
    assert refused(target, bad) == [("units.csv", 1, None, csvfmt.COMMA_DELIMITER)]
    message = describe(read_export(bad).problems[0], en)
    assert message == "units.csv, line 1: the cells are separated by commas; a Koordi file separates them with semicolons (;)"


def test_swapped_columns(target, data):
    def swap(header, rows):
        i, j = header.index("name"), header.index("municipality")
        for row in [header, *rows]:
            row[i], row[j] = row[j], row[i]
        return header, rows

    assert refused(target, with_rows(data, "units.csv", swap)) == [("units.csv", 1, "municipality", P.HEADER_ORDER)]
    message = describe(read_export(with_rows(data, "units.csv", swap)).problems[0], en)
    assert message == "units.csv, line 1, column municipality: the columns are not in the expected order (expected name here)"


def test_a_missing_or_unknown_column(target, data):
    def drop(header, rows):
        i = header.index("notes")
        return header[:i] + ["muistiinpanot"] + header[i + 1 :], rows

    assert refused(target, with_rows(data, "units.csv", drop)) == [
        ("units.csv", 1, "notes", P.HEADER_MISSING),
        ("units.csv", 1, "muistiinpanot", P.HEADER_UNEXPECTED),
    ]


def test_a_row_with_too_few_cells(target, data):
    def cut(header, rows):
        rows[1] = rows[1][:-1]
        return header, rows

    file = "deployment_phases.csv"  # rows nothing refers to: the one problem is the only one
    assert refused(target, with_rows(data, file, cut)) == [(file, 3, None, csvfmt.COLUMN_COUNT)]


def test_duplicate_ids(target, data):
    def twin(header, rows):
        rows[1][0] = rows[0][0]
        return header, rows

    file = "deployment_phases.csv"
    assert refused(target, with_rows(data, file, twin)) == [(file, 3, "id", P.DUPLICATE_ID)]
    assert describe(read_export(with_rows(data, file, twin)).problems[0], en) == (
        "deployment_phases.csv, line 3, column id: the id is already on line 2"
    )


def test_dangling_references(target, data):
    bad = edit_cell(data, "deployments.csv", 0, "unit_id", "00000000-0000-4000-8000-000000000000")
    assert refused(target, bad) == [("deployments.csv", 2, "unit_id", P.DANGLING)]
    message = describe(read_export(bad).problems[0], en)
    assert (
        message
        == "deployments.csv, line 2, column unit_id: refers to a row of units.csv that is neither in the file nor in Koordi"
    )


@pytest.mark.parametrize("value", ["31.2.", "2026-02-31", "31.2.2026", "tomorrow"])
def test_dates_that_are_not_dates(target, data, value):
    bad = edit_cell(data, "goal_updates.csv", 0, "date", value)
    assert refused(target, bad) == [("goal_updates.csv", 2, "date", fmt.NOT_DATE)]
    assert describe(read_export(bad).problems[0], en) == (
        f"goal_updates.csv, line 2, column date: not a date YYYY-MM-DD ({value})"
    )


@pytest.mark.parametrize(
    "file,column,value,code",
    [
        ("units.csv", "professionals", "4,5", fmt.NOT_INT),
        ("units.csv", "professionals", "-3", fmt.OUT_OF_RANGE),
        ("units.csv", "active", "yes", fmt.NOT_BOOL),
        ("units.csv", "service_line", "hospital", fmt.NOT_ALLOWED),
        ("units.csv", "name", "", fmt.REQUIRED),
        ("units.csv", "updated_at", "2026-12-01", fmt.NOT_TIMESTAMP),
        ("goal_updates.csv", "id", "1", fmt.NOT_UUID),
        ("events.csv", "start_time", "9.00", fmt.NOT_TIME),
        ("events.csv", "feedback_avg_centi", "4,3", fmt.NOT_INT),
    ],
)
def test_cells_of_the_wrong_type(target, data, file, column, value, code):
    assert refused(target, edit_cell(data, file, 0, column, value)) == [(file, 2, column, code)]


def test_huge_fields(target, data):
    too_long = edit_cell(data, "units.csv", 0, "name", "x" * 201)
    assert refused(target, too_long) == [("units.csv", 2, "name", fmt.TOO_LONG)]
    assert "201 characters; at most 200" in describe(read_export(too_long).problems[0], en)
    huge = edit_cell(data, "units.csv", 0, "notes", "y" * 1_000_000)
    assert refused(target, huge) == [("units.csv", 2, "notes", fmt.TOO_LONG)]
    assert "1000000 characters; at most 5000" in describe(read_export(huge).problems[0], en)


def test_identity_codes_in_text_are_refused_and_never_shown(target, data):
    code = hetu.generate(dt.date(1985, 7, 14), 123)
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    bad = edit_cell(edit_cell(data, "units.csv", 0, "notes", f"Soita {code}"), "events.csv", 1, "title", wrong)
    assert refused(target, bad) == [
        ("units.csv", 2, "notes", P.IDENTITY_CODE),
        ("events.csv", 3, "title", P.IDENTITY_CODE_CHECKSUM),
    ]
    for problem in read_export(bad).problems:
        for lang in ("en", "fi", "sv"):
            text = describe(problem, translator(lang))
            assert code not in text and wrong not in text and code[:2] + "•" in text


def test_text_in_a_column_the_manifest_says_was_left_out(target, data):
    bad = edit_cell(data, "units.csv", 0, "supervisor_name", "Sanna Esimies")  # names_included is false
    assert refused(target, bad) == [("units.csv", 2, "supervisor_name", P.EXCLUDED_NOT_EMPTY)]


def test_many_problems_are_summed_up(target, data):
    def spoil(header, rows):
        for row in rows:
            row[header.index("phase_since")] = "x"
        return header, rows

    store_rows = len(table_cells(data, "deployments.csv")[1])
    bad = with_rows(data, "deployments.csv", spoil)
    result = read_export(bad, limits=Limits(problems_per_file=1))
    assert [(p.code, p.params) for p in result.problems] == [
        (fmt.NOT_DATE, {"value": "x"}),
        (P.MORE_PROBLEMS, {"count": store_rows - 1}),
    ][: 1 + (store_rows > 1)]


def test_every_problem_code_has_a_sentence_in_every_language():
    codes = {v for k, v in vars(P).items() if k.isupper() and isinstance(v, str)}
    codes |= {
        v
        for k, v in vars(csvfmt).items()
        if k.isupper() and isinstance(v, str) and k not in ("BOM", "DELIMITER", "LINE_END", "QUOTE", "GUARD")
    }
    codes |= {
        fmt.NOT_UUID,
        fmt.NOT_DATE,
        fmt.NOT_TIMESTAMP,
        fmt.NOT_TIME,
        fmt.NOT_BOOL,
        fmt.NOT_INT,
        fmt.OUT_OF_RANGE,
        fmt.NOT_ALLOWED,
        fmt.TOO_LONG,
        fmt.REQUIRED,
    }
    params = dict(
        limit_mb=1,
        count=2,
        expected=3,
        version=2,
        supported=1,
        field="kind",
        found=1,
        name="x",
        length=5,
        limit=4,
        min=0,
        max=9,
        allowed="a, b",
        first=2,
        file="units.csv",
        code="01••••",
        own="y",
        county="z",
        since="1.1.2026",
        reason="disk full",
        previous_file="a.zip",
        start=dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC),
        previous=dt.datetime(2026, 2, 1, 10, 0, tzinfo=dt.UTC),
    )
    for code in codes:
        problem = P.Problem("units.csv", 2, "notes", code, params)
        english = P.reason(problem, en)
        assert english != code, code
        for lang in ("fi", "sv"):
            assert P.reason(problem, translator(lang)) != english, (lang, code)
