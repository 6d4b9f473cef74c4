"""The export format, declared once: which tables travel, their columns, and each cell's type.

Everything else is built from these specs: the exporter's CSV files, the reader's
validation, the importer's merge, the central office's merge tables, and the test that
docs/export-format.md (the data dictionary) documents every column and nothing else.

Tables are listed parents first (a row's references point to tables above it), so a
loader that inserts in this order never meets a missing parent. Derived columns
(units.name_key, trainees.name_key) are never exported: the importer recomputes them.
The coordinator profile travels in manifest.json, and local settings never travel.

Versioning: SCHEMA_VERSION grows when a file or a column is added, removed or changes
meaning. A reader refuses a newer version (it cannot know what the new columns mean)
and reads every older version it knows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import cast

from sqlalchemy import String

from app.core.phases import PHASES, STOP_REASONS
from app.models import (
    Base,
    Deployment,
    Event,
    EventMethod,
    EventUnit,
    Goal,
    GoalUpdate,
    GuidanceSession,
    Indicator,
    Instrument,
    InstrumentItem,
    Method,
    MonthlyFigure,
    PhaseChange,
    SessionTrainee,
    SurveyCount,
    SurveyMean,
    SurveyRound,
    SurveyRoundUnit,
    SurveySkip,
    Trainee,
    Unit,
)
from app.models.events import EVENT_STATUSES, EVENT_TYPES
from app.models.goals import GOAL_STATUSES
from app.models.guidance import SESSION_KINDS, SESSION_MODES
from app.models.indicators import DIRECTIONS, MEASURES
from app.models.methods import TARGET_GROUPS
from app.models.surveys import INSTRUMENT_KINDS, POINTS_MAX, POINTS_MIN, SCALES, TOOLS
from app.models.units import AGE_GROUPS, SERVICE_LINES

FORMAT = "koordi-export"
# 2: the survey files (instruments … survey_skips), the indicator files (indicators, monthly_figures),
# goals' indicator columns and deployment_phases' reasons; version 1 files still read.
SCHEMA_VERSION = 2
MANIFEST = "manifest.json"
KINDS = ("full", "incremental")

# Limits of the forms that write these columns (app/*/forms.py; tests/sync/test_format.py
# checks they agree): an import never stores a value the app itself would refuse.
NOTES_MAX = 5_000  # notes of units, deployments, events, guidance sessions, goals
TOPICS_MAX = 2_000  # guidance topics
DESCRIPTION_MAX = 2_000  # method description
UPDATE_NOTE_MAX = 1_000  # a goal update's note
PEOPLE_MAX = 100_000  # professionals of a unit, attendance counts, professionals trained
EVENT_MINUTES_MAX = 7 * 24 * 60
GUIDANCE_MINUTES_MAX = 600
CASES_MAX = 999
ANSWERS_MAX = 100_000
GOAL_VALUE_MAX = 1_000_000_000
WORDING_MAX = 1_000  # an instrument item's pasted survey wording
ITEMS_MAX = 1_000  # an item's position in its instrument
MEAN_MILLI_MAX = 11_000  # an item mean × 1000: at most the top of an 11-point scale
REASON_TEXT_MAX = 1_000  # why a deployment paused or ended, in the coordinator's words
FIGURE_MILLI_MAX = 100_000_000  # a monthly figure × 1000: 100 000 people, 3 650 days or 100 %
FIGURE_BASE_MAX = 100_000  # the clients a median or share is of
DAYS_PARAMETER_MAX = 365  # "started within N days"


class Kind(StrEnum):
    ID = "id"  # the row's own UUID
    REF = "ref"  # the UUID of a row of another table (Column.ref)
    UUID = "uuid"  # a UUID that is no row's id (a recurring series' shared id)
    TEXT = "text"  # short text (names, titles, places)
    NOTE = "note"  # free text: notes, topics, descriptions; empty unless notes are included
    PERSONAL = "personal"  # people's names and emails; empty unless names are included
    DATE = "date"  # YYYY-MM-DD
    TIMESTAMP = "timestamp"  # UTC, YYYY-MM-DDTHH:MM:SSZ
    TIME = "time"  # Europe/Helsinki wall time, HH:MM (HH:MM:SS when the seconds are not 0)
    BOOL = "bool"  # 0 or 1
    INT = "int"  # a whole number in [minimum, maximum]
    ENUM = "enum"  # one of Column.values


TEXT_KINDS = frozenset({Kind.TEXT, Kind.NOTE, Kind.PERSONAL})


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    nullable: bool = False  # an empty cell means no value (NULL); text columns hold "" instead
    max_length: int | None = None  # characters, for text kinds
    required: bool = False  # text that may not be empty
    ref: str | None = None  # the referenced table's name, for Kind.REF
    values: tuple[str, ...] = ()  # for Kind.ENUM
    minimum: int | None = None  # for Kind.INT
    maximum: int | None = None
    unique: bool = False  # no two rows share a non-empty value (methods.key)
    # The format version that added the column to a file that already had others. A file may lack
    # such a column (any version 1 file; a version 2 file written before the column was added to
    # version 2): it then reads as `default`, and on an import or merge it never overwrites a
    # stored value (like a note left out).
    since: int = 1
    default: object = None

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def may_be_absent(self) -> bool:
        return self.since > 1


@dataclass(frozen=True)
class Derived:
    """A stored column computed from an exported one (never exported itself)."""

    column: str
    source: str
    rule: str  # "fold": app.core.text.fold of the source


@dataclass(frozen=True)
class TableSpec:
    name: str  # the table's name in the database and in the file name
    model: type[Base]
    columns: tuple[Column, ...]
    derived: tuple[Derived, ...] = ()
    # A timestamp column that, once set, means the row's personal columns are erased
    # (right to erasure): they travel empty and are blanked wherever the row lands.
    erasure: str | None = None
    since: int = 1  # the SCHEMA_VERSION that added the file: older files are read without it

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# -- column builders ---------------------------------------------------------------------


def _length(model: type[Base], name: str) -> int:
    column_type = model.__table__.c[name].type
    assert isinstance(column_type, String) and column_type.length is not None  # text columns are String(n)
    return column_type.length


def text(model: type[Base], name: str, *, required: bool = False, nullable: bool = False, unique: bool = False) -> Column:
    return Column(name, Kind.TEXT, max_length=_length(model, name), required=required, nullable=nullable, unique=unique)


def note(name: str, max_length: int) -> Column:
    return Column(name, Kind.NOTE, max_length=max_length)


def personal(model: type[Base], name: str) -> Column:
    return Column(name, Kind.PERSONAL, max_length=_length(model, name))


def ref(name: str, table: str, *, nullable: bool = False) -> Column:
    return Column(name, Kind.REF, ref=table, nullable=nullable)


def integer(name: str, maximum: int, *, minimum: int = 0, nullable: bool = False) -> Column:
    return Column(name, Kind.INT, minimum=minimum, maximum=maximum, nullable=nullable)


def enum(name: str, values: tuple[str, ...]) -> Column:
    return Column(name, Kind.ENUM, values=tuple(values))


def date(name: str, *, nullable: bool = False) -> Column:
    return Column(name, Kind.DATE, nullable=nullable)


def boolean(name: str) -> Column:
    return Column(name, Kind.BOOL)


def later(column: Column, default: object = None, since: int = 2) -> Column:
    """A column added to an existing file in format version `since` (see Column.since)."""
    return replace(column, since=since, default=default)


def _table(
    name: str,
    model: type[Base],
    *columns: Column,
    derived: tuple[Derived, ...] = (),
    erasure: str | None = None,
    since: int = 1,
) -> TableSpec:
    """id first, the record's own columns, then the sync columns every row has."""
    sync = (
        Column("created_at", Kind.TIMESTAMP),
        Column("updated_at", Kind.TIMESTAMP),
        Column("deleted", Kind.BOOL),
    )
    return TableSpec(name, model, (Column("id", Kind.ID), *columns, *sync), derived=derived, erasure=erasure, since=since)


TABLES: tuple[TableSpec, ...] = (
    _table(
        "units",
        Unit,
        text(Unit, "name", required=True),
        enum("service_line", SERVICE_LINES),
        enum("age_group", AGE_GROUPS),
        text(Unit, "municipality"),
        personal(Unit, "supervisor_name"),
        personal(Unit, "supervisor_email"),
        integer("professionals", PEOPLE_MAX, nullable=True),
        boolean("active"),
        note("notes", NOTES_MAX),
        derived=(Derived("name_key", "name", "fold"),),
    ),
    _table(
        "methods",
        Method,
        text(Method, "key", nullable=True, unique=True),
        text(Method, "name_fi", required=True),
        text(Method, "name_sv"),
        text(Method, "name_en"),
        enum("target_group", TARGET_GROUPS),
        note("description", DESCRIPTION_MAX),
        boolean("retired"),
    ),
    _table(
        "deployments",
        Deployment,
        ref("unit_id", "units"),
        ref("method_id", "methods"),
        enum("phase", PHASES),
        date("phase_since"),
        integer("professionals_trained", PEOPLE_MAX),
        date("pilot_start", nullable=True),
        date("pilot_end", nullable=True),
        note("notes", NOTES_MAX),
    ),
    _table(
        "deployment_phases",
        PhaseChange,
        ref("deployment_id", "deployments"),
        enum("phase", PHASES),
        date("changed_on"),
        later(enum("reason", ("", *STOP_REASONS)), ""),
        later(note("reason_text", REASON_TEXT_MAX), ""),
    ),
    _table(
        "events",
        Event,
        enum("type", EVENT_TYPES),
        text(Event, "title", required=True),
        text(Event, "theme"),
        date("date"),
        Column("start_time", Kind.TIME, nullable=True),
        integer("duration_minutes", EVENT_MINUTES_MAX, minimum=1),
        text(Event, "place"),
        boolean("remote"),
        enum("status", EVENT_STATUSES),
        Column("series_id", Kind.UUID, nullable=True),
        integer("feedback_avg_centi", 500, minimum=100, nullable=True),
        integer("feedback_count", ANSWERS_MAX, nullable=True),
        note("notes", NOTES_MAX),
    ),
    _table(
        "event_attendance",
        EventUnit,
        ref("event_id", "events"),
        ref("unit_id", "units"),
        integer("professionals", PEOPLE_MAX, nullable=True),
        integer("supervisors", PEOPLE_MAX, nullable=True),
        integer("others", PEOPLE_MAX, nullable=True),
    ),
    _table(
        "event_methods",
        EventMethod,
        ref("event_id", "events"),
        ref("method_id", "methods"),
    ),
    _table(
        "trainees",
        Trainee,
        personal(Trainee, "name"),
        personal(Trainee, "email"),
        text(Trainee, "profession"),
        ref("unit_id", "units", nullable=True),
        ref("method_id", "methods"),
        text(Trainee, "cohort"),
        date("start_date", nullable=True),
        date("end_date", nullable=True),
        Column("erased_at", Kind.TIMESTAMP, nullable=True),
        derived=(Derived("name_key", "name", "fold"),),
        erasure="erased_at",
    ),
    _table(
        "guidance_sessions",
        GuidanceSession,
        date("date"),
        ref("method_id", "methods"),
        enum("kind", SESSION_KINDS),
        integer("duration_minutes", GUIDANCE_MINUTES_MAX, minimum=1),
        enum("mode", SESSION_MODES),
        integer("cases_discussed", CASES_MAX),
        note("topics", TOPICS_MAX),
        note("notes", NOTES_MAX),
        ref("event_id", "events", nullable=True),
    ),
    _table(
        "guidance_attendance",
        SessionTrainee,
        ref("session_id", "guidance_sessions"),
        ref("trainee_id", "trainees"),
    ),
    # -- version 2: indicators (before goals, which refer to them) and their monthly figures
    _table(
        "indicators",
        Indicator,
        text(Indicator, "key", nullable=True, unique=True),
        text(Indicator, "name_fi", required=True),
        text(Indicator, "name_sv"),
        text(Indicator, "name_en"),
        enum("measure", MEASURES),
        enum("direction", DIRECTIONS),
        boolean("additive"),
        boolean("per_method"),
        boolean("takes_days"),
        note("description", DESCRIPTION_MAX),
        boolean("retired"),
        since=2,
    ),
    _table(
        "monthly_figures",
        MonthlyFigure,
        ref("indicator_id", "indicators"),
        ref("unit_id", "units"),
        ref("method_id", "methods", nullable=True),
        date("month"),
        integer("days", DAYS_PARAMETER_MAX, minimum=1, nullable=True),
        integer("value_milli", FIGURE_MILLI_MAX),
        integer("n", FIGURE_BASE_MAX, nullable=True),
        since=2,
    ),
    _table(
        "goals",
        Goal,
        text(Goal, "title", required=True),
        ref("unit_id", "units", nullable=True),
        ref("method_id", "methods", nullable=True),
        text(Goal, "metric"),
        integer("target_value", GOAL_VALUE_MAX, minimum=1),
        date("target_date", nullable=True),
        enum("status", GOAL_STATUSES),
        note("notes", NOTES_MAX),
        later(ref("indicator_id", "indicators", nullable=True)),
        later(enum("direction", DIRECTIONS), "higher"),
        later(integer("days", DAYS_PARAMETER_MAX, minimum=1, nullable=True)),
        later(date("counted_from", nullable=True)),
    ),
    _table(
        "goal_updates",
        GoalUpdate,
        ref("goal_id", "goals"),
        date("date"),
        integer("value", GOAL_VALUE_MAX),
        note("note", UPDATE_NOTE_MAX),
    ),
    # -- version 2: follow-up surveys (counts per answer option per item; never individual answers)
    _table(
        "instruments",
        Instrument,
        text(Instrument, "key", nullable=True, unique=True),
        enum("kind", INSTRUMENT_KINDS),
        text(Instrument, "name_fi", required=True),
        text(Instrument, "name_sv"),
        text(Instrument, "name_en"),
        note("description", DESCRIPTION_MAX),
        boolean("retired"),
        since=2,
    ),
    _table(
        "instrument_items",
        InstrumentItem,
        ref("instrument_id", "instruments"),
        text(InstrumentItem, "code", required=True),
        integer("position", ITEMS_MAX),
        text(InstrumentItem, "group_key"),
        enum("scale", SCALES),
        integer("points", POINTS_MAX, minimum=POINTS_MIN),
        boolean("reversed"),
        boolean("not_applicable"),
        text(InstrumentItem, "label_fi", required=True),
        text(InstrumentItem, "label_sv"),
        text(InstrumentItem, "label_en"),
        note("wording", WORDING_MAX),
        since=2,
    ),
    _table(
        "survey_rounds",
        SurveyRound,
        ref("instrument_id", "instruments"),
        ref("method_id", "methods", nullable=True),
        date("date"),
        integer("invited", PEOPLE_MAX, nullable=True),
        integer("answered", PEOPLE_MAX),
        enum("tool", TOOLS),
        boolean("means_only"),
        boolean("share_small"),
        note("notes", NOTES_MAX),
        since=2,
    ),
    _table(
        "survey_round_units",
        SurveyRoundUnit,
        ref("round_id", "survey_rounds"),
        ref("unit_id", "units"),
        since=2,
    ),
    _table(
        "survey_counts",
        SurveyCount,
        ref("round_id", "survey_rounds"),
        ref("item_id", "instrument_items"),
        text(SurveyCount, "option", required=True),
        integer("count", PEOPLE_MAX),
        since=2,
    ),
    _table(
        "survey_means",
        SurveyMean,
        ref("round_id", "survey_rounds"),
        ref("item_id", "instrument_items"),
        integer("mean_milli", MEAN_MILLI_MAX),
        integer("n", PEOPLE_MAX),
        since=2,
    ),
    _table(
        "survey_skips",
        SurveySkip,
        ref("deployment_id", "deployments"),
        text(SurveySkip, "due_key", required=True),
        note("reason", NOTES_MAX),
        since=2,
    ),
)
TABLE_BY_NAME = {t.name: t for t in TABLES}
TABLE_BY_FILE = {t.file_name: t for t in TABLES}
FILE_NAMES = tuple(t.file_name for t in TABLES)


def file_names(version: int) -> tuple[str, ...]:
    """The files an export of schema `version` holds."""
    return tuple(t.file_name for t in TABLES if t.since <= version)


# -- cells ---------------------------------------------------------------------------------

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIMESTAMP_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")
TIME_RE = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
INT_RE = re.compile(r"-?[0-9]{1,12}")
UTC = dt.UTC


# Why a cell's text is not a value of its column (Problem codes; app/exchange/problems.py words them).
class Cell(StrEnum):
    NOT_UUID = "not_uuid"
    NOT_DATE = "not_date"
    NOT_TIMESTAMP = "not_timestamp"
    NOT_TIME = "not_time"
    NOT_BOOL = "not_bool"
    NOT_INT = "not_int"
    OUT_OF_RANGE = "out_of_range"
    NOT_ALLOWED = "not_allowed"
    TOO_LONG = "too_long"
    REQUIRED = "required"


NOT_UUID = Cell.NOT_UUID
NOT_DATE = Cell.NOT_DATE
NOT_TIMESTAMP = Cell.NOT_TIMESTAMP
NOT_TIME = Cell.NOT_TIME
NOT_BOOL = Cell.NOT_BOOL
NOT_INT = Cell.NOT_INT
OUT_OF_RANGE = Cell.OUT_OF_RANGE
NOT_ALLOWED = Cell.NOT_ALLOWED
TOO_LONG = Cell.TOO_LONG
REQUIRED = Cell.REQUIRED

# A cell parsed: (value, None), or (None, one of the codes above).
Parsed = tuple[object, str | None]
CellParser = Callable[[str], Parsed]


def timestamp(value: dt.datetime) -> str:
    """UTC, whole seconds, Z: what every timestamp cell and the manifest hold."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> dt.datetime | None:
    """The UTC datetime of a timestamp cell, or None when it is not exactly that form."""
    if not TIMESTAMP_RE.fullmatch(text):
        return None
    try:
        return dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    except ValueError:
        return None


def to_cell(column: Column, value: object) -> str:
    """A stored value as its cell text (before the formula guard, which the CSV writer applies)."""
    # value is what a database row holds for the column's kind: cast, not checked, for every cell.
    if value is None:
        return ""
    kind = column.kind
    if kind is Kind.BOOL:
        return "1" if value else "0"
    if kind is Kind.INT:
        return str(int(cast(int, value)))
    if kind is Kind.DATE:
        return cast(dt.date, value).isoformat()
    if kind is Kind.TIMESTAMP:
        return timestamp(cast(dt.datetime, value))
    if kind is Kind.TIME:
        time = cast(dt.time, value)
        return time.strftime("%H:%M:%S" if time.second else "%H:%M")
    return str(value)


def parse_cell(column: Column, text: str) -> Parsed:
    """(value, None) or (None, problem code). text is the cell after restore()."""
    return cell_parser(column)(text)


def cell_parser(column: Column) -> CellParser:
    """parse_cell for one column, with the column's kind looked at once (a file has many rows)."""
    kind = column.kind
    nullable = column.nullable
    if column.is_text:
        required, max_length = column.required, column.max_length

        def parse_text(text: str) -> Parsed:
            if text == "" and nullable:
                return None, None
            if required and not text.strip():
                return None, REQUIRED
            if max_length is not None and len(text) > max_length:
                return None, TOO_LONG
            return text, None

        return parse_text
    parse = _TYPED[kind](column)

    empty: Parsed = (None, None) if nullable else ("", None) if kind is Kind.ENUM and "" in column.values else (None, REQUIRED)

    def parse_typed(text: str) -> Parsed:
        if text == "":
            return empty
        return parse(text)

    return parse_typed


def _uuid(column: Column) -> CellParser:
    match = UUID_RE.fullmatch
    return lambda text: (text, None) if match(text) else (None, NOT_UUID)


def _bool(column: Column) -> CellParser:
    values: dict[str, Parsed] = {"0": (False, None), "1": (True, None)}
    return lambda text: values.get(text, (None, NOT_BOOL))


def _int(column: Column) -> CellParser:
    match, low, high = INT_RE.fullmatch, column.minimum, column.maximum
    assert low is not None and high is not None  # integer() sets both

    def parse(text: str) -> Parsed:
        if not match(text):
            return None, NOT_INT
        value = int(text)
        return (value, None) if low <= value <= high else (None, OUT_OF_RANGE)

    return parse


def _enum(column: Column) -> CellParser:
    allowed = frozenset(column.values)
    return lambda text: (text, None) if text in allowed else (None, NOT_ALLOWED)


def _date(column: Column) -> CellParser:
    match = DATE_RE.fullmatch

    def parse(text: str) -> Parsed:
        if match(text):
            try:
                return dt.date.fromisoformat(text), None
            except ValueError:
                pass
        return None, NOT_DATE

    return parse


def _timestamp(column: Column) -> CellParser:
    seen: dict[str, Parsed] = {}  # rows saved in one go share their stamps: parse each text once

    def parse(text: str) -> Parsed:
        result = seen.get(text)
        if result is None:
            value = parse_timestamp(text)
            result = (value, None) if value is not None else (None, NOT_TIMESTAMP)
            if len(seen) < 100_000:
                seen[text] = result
        return result

    return parse


def _time(column: Column) -> CellParser:
    def parse(text: str) -> Parsed:
        m = TIME_RE.fullmatch(text)
        if m and m.group(3) != "00":  # HH:MM:00 is written HH:MM: one text per time
            try:
                return dt.time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)), None
            except ValueError:
                pass
        return None, NOT_TIME

    return parse


_TYPED = {
    Kind.ID: _uuid,
    Kind.REF: _uuid,
    Kind.UUID: _uuid,
    Kind.BOOL: _bool,
    Kind.INT: _int,
    Kind.ENUM: _enum,
    Kind.DATE: _date,
    Kind.TIMESTAMP: _timestamp,
    Kind.TIME: _time,
}


def describe_type(column: Column) -> str:
    """The column's type as the data dictionary writes it (tests compare the two)."""
    kind = column.kind
    if kind is Kind.REF:
        base = f"reference → {column.ref}.csv"
    elif kind is Kind.ENUM:
        base = "one of " + ", ".join(f"`{v}`" if v else "empty" for v in column.values)
    elif kind is Kind.INT:
        base = f"whole number {column.minimum}–{column.maximum}"
    elif column.is_text:
        base = f"{kind.value} ≤ {column.max_length}"
    else:
        base = kind.value
    flags = [f for f, on in (("required", column.required), ("optional", column.nullable), ("unique", column.unique)) if on]
    return base + (f" ({', '.join(flags)})" if flags else "")
