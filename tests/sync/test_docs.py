"""docs/export-format.md documents every file and column of the format, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from app.exchange import format as fmt

DOC = Path(__file__).resolve().parents[2] / "docs" / "export-format.md"
SECTION = re.compile(r"^### `([a-z_]+\.csv)`$", re.M)
ROW = re.compile(r"^\| `([a-z_]+)` \| (.+?) \| (.+?) \|$")


def documented() -> dict[str, list[tuple[str, str, str]]]:
    text = DOC.read_text(encoding="utf-8")
    parts = SECTION.split(text)
    tables = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        tables[name] = [m.groups() for line in body.splitlines() if (m := ROW.match(line))]
    return tables


def test_every_file_is_documented_in_order_and_nothing_else():
    assert list(documented()) == list(fmt.FILE_NAMES)


def test_every_column_is_documented_with_its_type_and_a_meaning():
    tables = documented()
    for spec in fmt.TABLES:
        rows = tables[spec.file_name]
        assert [name for name, _type, _meaning in rows] == spec.header, spec.file_name
        for (name, type_, meaning), column in zip(rows, spec.columns):
            assert type_ == fmt.describe_type(column), (spec.file_name, name)
            assert len(meaning.strip()) > 5, (spec.file_name, name)


def test_the_manifest_fields_are_documented():
    text = DOC.read_text(encoding="utf-8")
    for field in (
        "format",
        "schema_version",
        "app_version",
        "export_id",
        "exported_at",
        "kind",
        "since",
        "notes_included",
        "names_included",
        "coordinator.id",
        "coordinator.name",
        "coordinator.role",
        "coordinator.county",
        "coordinator.cooperation_area",
        "coordinator.central_office_email",
        "files",
        "complete_through",
    ):
        assert f"| `{field}` |" in text, field
    assert f"format version {fmt.SCHEMA_VERSION}" in text
