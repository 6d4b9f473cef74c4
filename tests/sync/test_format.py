"""The format's specs agree with the models and the forms, and every cell type reads back."""

from __future__ import annotations

import datetime as dt

import pytest

from app.exchange import format as fmt
from app.exchange.format import Column, Kind, parse_cell, to_cell
from app.models import Base

# Stored columns that never travel: recomputed on import.
DERIVED = {("units", "name_key"), ("trainees", "name_key")}
LOCAL_TABLES = {"settings", "coordinator_profile", "sync_history"}  # the profile travels in the manifest


def test_every_synced_table_is_exported_parents_first():
    exported = {t.name for t in fmt.TABLES}
    assert exported == set(Base.metadata.tables) - LOCAL_TABLES
    seen = set()
    for spec in fmt.TABLES:
        for column in spec.columns:
            if column.kind is Kind.REF:
                assert column.ref in seen, f"{spec.name}.{column.name} points to a table listed later"
        seen.add(spec.name)


@pytest.mark.parametrize("spec", fmt.TABLES, ids=lambda t: t.name)
def test_spec_covers_every_model_column_and_nothing_else(spec):
    table = spec.model.__table__
    model_columns = {c.name for c in table.columns} - {name for t, name in DERIVED if t == spec.name}
    assert set(spec.header) == model_columns
    assert spec.header[0] == "id" and spec.header[-3:] == ["created_at", "updated_at", "deleted"]
    for column in spec.columns:
        stored = table.c[column.name]
        if column.kind is Kind.REF:
            assert [fk.column.table.name for fk in stored.foreign_keys] == [column.ref]
        if column.kind in (Kind.REF, Kind.UUID, Kind.DATE, Kind.TIME, Kind.INT, Kind.TIMESTAMP):
            assert column.nullable == stored.nullable, column.name
        if column.kind in (Kind.TEXT, Kind.PERSONAL) and getattr(stored.type, "length", None):
            assert column.max_length == stored.type.length


def test_limits_agree_with_the_forms():
    from app.deployments import forms as deployment_forms
    from app.events import forms as event_forms
    from app.goals import forms as goal_forms
    from app.guidance import forms as guidance_forms
    from app.units import forms as unit_forms

    assert fmt.PEOPLE_MAX == unit_forms.MAX_PROFESSIONALS == event_forms.MAX_PEOPLE == deployment_forms.MAX_TRAINED
    assert fmt.EVENT_MINUTES_MAX == event_forms.MAX_DURATION
    assert fmt.ANSWERS_MAX == event_forms.MAX_ANSWERS
    assert fmt.GUIDANCE_MINUTES_MAX == guidance_forms.MAX_DURATION
    assert fmt.GOAL_VALUE_MAX == goal_forms.MAX_VALUE
    assert fmt.NOTES_MAX == deployment_forms.MAX_NOTES


CASES = [
    (Column("d", Kind.DATE), dt.date(2026, 2, 28), "2026-02-28"),
    (Column("t", Kind.TIMESTAMP), dt.datetime(2026, 12, 1, 12, 5, 3, tzinfo=dt.UTC), "2026-12-01T12:05:03Z"),
    (Column("h", Kind.TIME, nullable=True), dt.time(9, 5), "09:05"),
    (Column("h", Kind.TIME, nullable=True), dt.time(9, 5, 30), "09:05:30"),
    (Column("b", Kind.BOOL), True, "1"),
    (Column("b", Kind.BOOL), False, "0"),
    (Column("i", Kind.INT, minimum=0, maximum=500, nullable=True), 430, "430"),
    (Column("i", Kind.INT, minimum=0, maximum=500, nullable=True), None, ""),
    (Column("k", Kind.TEXT, nullable=True, max_length=64), None, ""),
]


@pytest.mark.parametrize("column,value,cell", CASES)
def test_cells_round_trip(column, value, cell):
    assert to_cell(column, value) == cell
    assert parse_cell(column, cell) == (value, None)


@pytest.mark.parametrize("cell", ["31.2.", "2026-02-31", "2026-2-3", "20260203", "２０２６-02-03", " 2026-02-03"])
def test_not_a_date(cell):
    assert parse_cell(Column("d", Kind.DATE), cell) == (None, fmt.NOT_DATE)


@pytest.mark.parametrize(
    "cell,code",
    [
        ("4,3", fmt.NOT_INT),
        ("4.3", fmt.NOT_INT),
        ("1e3", fmt.NOT_INT),
        ("", fmt.REQUIRED),
        ("501", fmt.OUT_OF_RANGE),
        ("-1", fmt.OUT_OF_RANGE),
        ("12345678901234567890", fmt.NOT_INT),
    ],
)
def test_not_a_whole_number_in_range(cell, code):
    assert parse_cell(Column("i", Kind.INT, minimum=0, maximum=500), cell) == (None, code)


def test_other_kinds_refuse_what_they_must():
    assert parse_cell(Column("t", Kind.TIMESTAMP), "2026-12-01 12:05:03")[1] == fmt.NOT_TIMESTAMP
    assert parse_cell(Column("t", Kind.TIMESTAMP), "2026-12-01T12:05:03+02:00")[1] == fmt.NOT_TIMESTAMP
    assert parse_cell(Column("h", Kind.TIME), "9.00")[1] == fmt.NOT_TIME
    assert parse_cell(Column("h", Kind.TIME), "09:00:00")[1] == fmt.NOT_TIME  # one text per time: 09:00
    assert parse_cell(Column("b", Kind.BOOL), "true")[1] == fmt.NOT_BOOL
    assert parse_cell(Column("u", Kind.ID), "0B6F0000-0000-4000-8000-000000000000")[1] == fmt.NOT_UUID
    assert parse_cell(Column("e", Kind.ENUM, values=("a", "b")), "c")[1] == fmt.NOT_ALLOWED
    assert parse_cell(Column("x", Kind.TEXT, max_length=3), "abcd")[1] == fmt.TOO_LONG
    assert parse_cell(Column("x", Kind.TEXT, max_length=3, required=True), " ")[1] == fmt.REQUIRED
    assert parse_cell(Column("x", Kind.NOTE, max_length=3), "") == ("", None)
