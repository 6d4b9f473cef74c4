"""One file's rows against the central database: which to insert, which to update, and writing them.

The rules are the importer's (app/sync/importer.py), made independent of the order
files arrive in, because the central office merges 50+ files in whatever order email
brings them:

- a row's version is (updated_at, the file's exported_at, export_id, file name): the
  newer updated_at wins, and on equal times the later file, so any order of the same
  files leaves the same row (and the same provenance) in the database;
- notes and names are merged by their own version (notes_version, names_version): the
  newest version of the row that carried them. A file that left them out, or a merge
  not asked to keep them (--include-notes / --include-names), never overwrites a stored
  value, and a new row gets empty text there;
- an erasure always wins: once any version of a trainee is erased, the row stays
  erased (at the earliest erased_at seen) and its names are blank, whatever the times say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import add, attrgetter, itemgetter, le, methodcaller
from typing import overload

from sqlalchemy import Boolean, Connection, DateTime, func, select

from app.central.schema import DATA, NAMES_VERSION, NOTES_VERSION
from app.exchange import format as fmt
from app.exchange.bind import each_once
from app.exchange.reader import Manifest, Row

CHUNK = 500  # ids per IN (...): well under SQLite's and PostgreSQL's parameter limits
SCAN_FROM = 2_000  # more ids than this: read the coordinator's rows of the table once instead
BATCH = 5_000  # rows per executemany


@dataclass
class TableCounts:
    file: str  # units.csv
    rows: int = 0
    created: int = 0
    updated: int = 0  # stored rows the file changes (deletions included)
    unchanged: int = 0
    deleted: int = 0  # of the updated: live rows the file deletes (a newer tombstone)


@dataclass
class Source:
    """Whose file it is and how it was asked to be merged."""

    manifest: Manifest
    file_name: str
    merged_at: dt.datetime  # naive UTC
    keep_notes: bool  # the file carries notes and the merge was asked to keep them
    keep_names: bool
    # table -> columns the file lacks (an older format: Column.since): never written over a stored value
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self):
        self.coordinator_id = self.manifest.coordinator.id
        self.exported_at = naive(self.manifest.exported_at)
        self._tail = (self.exported_at, self.manifest.export_id, self.file_name)
        self._version_tail = f"|{self.exported_at:%Y-%m-%dT%H:%M:%S}|{self.manifest.export_id}"

    def key(self, updated_at: dt.datetime) -> tuple:
        return (updated_at, *self._tail)

    def version(self, updated_at: dt.datetime) -> str:
        """The version text notes_version / names_version hold; it sorts as key() does."""
        if updated_at.year >= 1000:  # isoformat is strftime's text then, and many times faster
            return updated_at.isoformat("T", "seconds") + self._version_tail
        return f"{updated_at:%Y-%m-%dT%H:%M:%S}{self._version_tail}"


@overload
def naive(value: dt.datetime) -> dt.datetime: ...
@overload
def naive(value: None) -> None: ...
def naive(value: dt.datetime | None) -> dt.datetime | None:
    """UTC without tzinfo: what both SQLite and PostgreSQL's timestamp columns give back."""
    if value is None or value.tzinfo is None:
        return value
    if value.tzinfo is dt.UTC:  # what the reader gives: no conversion needed
        return value.replace(tzinfo=None)
    return value.astimezone(dt.UTC).replace(tzinfo=None)


@dataclass
class TablePlan:
    spec: fmt.TableSpec
    counts: TableCounts
    # The file's values (as read) of the rows to insert: _insert_columns() makes the stored rows.
    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)  # "_cid", "_rid" and the columns to set
    source: Source | None = None


class _Groups:
    """The columns of one table by how they merge."""

    def __init__(self, spec: fmt.TableSpec, absent: tuple[str, ...] = ()):
        self.timestamps = [c.name for c in spec.columns if c.kind is fmt.Kind.TIMESTAMP]
        self.notes = [c.name for c in spec.columns if c.kind is fmt.Kind.NOTE]
        self.names = [c.name for c in spec.columns if c.kind is fmt.Kind.PERSONAL]
        self.main = [c.name for c in spec.columns if c.name != "id" and c.kind not in (fmt.Kind.NOTE, fmt.Kind.PERSONAL)]
        self.erasure = spec.erasure
        # Not in the file (an older format): a new row gets the default, a stored row keeps its value.
        self.absent = frozenset(absent)


def _stored(
    conn: Connection, spec: fmt.TableSpec, groups: _Groups, coordinator_id: str, ids: list[str], whole: bool = False
) -> dict:
    """id -> the stored row as the driver gives it: (id, updated_at, exported_at, export_id,
    source_file) and, `whole`, (deleted, erasure, notes_version, names_version), the last three
    None where the table has no such column. Timestamps are SQLite's text (see _Stamps) or
    PostgreSQL's datetimes."""
    q = partial(_quoted, conn)
    columns = ["id", "updated_at", "exported_at", "export_id", "source_file"]
    optional = []
    if whole:
        columns.append("deleted")
        optional = [groups.erasure, NOTES_VERSION if groups.notes else None, NAMES_VERSION if groups.names else None]
    select_list = ", ".join([*map(q, columns), *(q(name) if name else "NULL" for name in optional)])
    sql = f"SELECT {select_list} FROM {q(spec.name)} WHERE coordinator_id = {_markers(conn, 1)}"
    if len(ids) > SCAN_FROM:
        wanted: set[str] | None = set(ids)
        queries: list[tuple[str, tuple[str, ...]]] = [(sql, (coordinator_id,))]
    else:
        wanted = None
        queries = [
            (f"{sql} AND id IN ({_markers(conn, len(chunk))})", (coordinator_id, *chunk))
            for chunk in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK))
        ]
    # Straight from the driver's cursor, in this transaction, the rows kept as they come: a national
    # merge compares 700 000 stored rows, and SQLAlchemy's rows and its conversion of every value
    # cost twice the reading itself.
    found = {}
    cursor = conn.connection.cursor()
    try:
        for statement, params in queries:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
            got = dict(zip(map(_FIRST, rows), rows))  # in C: a national merge reads 700 000 rows here
            if wanted is not None and not got.keys() <= wanted:
                got = {key: got[key] for key in got.keys() & wanted}
            found.update(got)
    finally:
        cursor.close()
    return found


class _Stamps:
    """Stored timestamps as _stored() gives them. SQLite keeps SQLAlchemy's fixed-width text
    ("2026-12-01 12:05:03.000000", what isoformat(" ") writes), which sorts as the times do: a
    stored version is compared with a file's as text, without parsing it. PostgreSQL gives datetimes."""

    WIDTH = 26

    def __init__(self, conn: Connection):
        self.text = conn.dialect.name == "sqlite"

    def of(self, value: dt.datetime) -> dt.datetime | str:
        """A file's (naive UTC) timestamp in the stored form."""
        return value.isoformat(" ", "microseconds") if self.text else value

    def parse(self, stored) -> dt.datetime | None:
        if stored is None or stored.__class__ is dt.datetime:
            return stored
        return dt.datetime.fromisoformat(stored)


def plan_table(conn: Connection, spec: fmt.TableSpec, rows: list[Row], source: Source, sole_content: bool = False) -> TablePlan:
    """sole_content: this very file (its checksum) is the only content the merge log holds for its
    export id, exported_at and file name (merge.py's _sole_content)."""
    groups = _Groups(spec, source.absent.get(spec.name, ()))
    counts = TableCounts(spec.file_name, len(rows))
    plan = TablePlan(spec, counts, source=source)
    if sole_content and rows and _all_stored_from_file(conn, spec, groups, source, len(rows)):
        counts.unchanged = len(rows)
        return plan
    ids = list(map(_ID, map(_VALUES, rows)))
    stored = _stored(conn, spec, groups, source.coordinator_id, ids)
    provenance = _provenance(source)
    # A stored row that is as new as the file's, with no notes, names or erasure to merge, is
    # unchanged whatever else: _change() would return nothing. Such rows (every row of a file
    # merged again) are counted without copying their values.
    stamps = _Stamps(conn)
    erasure = groups.erasure
    olds = list(map(stored.get, ids))
    if stored and not (groups.notes and source.keep_notes) and not (groups.names and source.keep_names):
        same = _not_newer(rows, olds, stamps, source, erasure)
        if all(same):  # a file merged again: nothing to plan
            counts.unchanged = len(rows)
            return plan
    else:
        same = [False] * len(rows)
    # The stored rows the file may change, read whole (the first read took only their versions).
    others = [rid for rid, old, unchanged in zip(ids, olds, same) if old is not None and not unchanged]
    if others:
        whole = _stored(conn, spec, groups, source.coordinator_id, others, whole=True)
        olds = [whole.get(row.values["id"], old) for row, old in zip(rows, olds)]
    for row, old, unchanged in zip(rows, olds, same):
        if unchanged:
            counts.unchanged += 1
            continue
        if old is None:
            plan.inserts.append(row.values)
            counts.created += 1
            continue
        values = dict(row.values)
        for name in groups.timestamps:
            values[name] = naive(values[name])
        stored_row = {
            "updated_at": stamps.parse(old[1]),
            "exported_at": stamps.parse(old[2]),
            "export_id": old[3],
            "source_file": old[4],
            NOTES_VERSION: old[7],
            NAMES_VERSION: old[8],
        }
        if erasure:
            stored_row[erasure] = stamps.parse(old[6])
        change = _change(values, stored_row, groups, source, provenance)
        if not change:
            counts.unchanged += 1
            continue
        change["merged_at"] = source.merged_at
        change["_cid"] = source.coordinator_id
        change["_rid"] = values["id"]
        plan.updates.append(change)
        if "deleted" in change and values["deleted"] and not old[5]:
            counts.deleted += 1
        counts.updated += 1
    return plan


def _all_stored_from_file(conn: Connection, spec: fmt.TableSpec, groups: _Groups, source: Source, count: int) -> bool:
    """True when merging the file again changes nothing in this table, proven without reading a
    stored row: every one of its `count` rows is still stored with this file as its source.

    A stored row's source (export id, exported_at, file name) is the file its main columns came
    from; with only this file's content ever merged under that source (sole_content), those rows
    were written from this file's rows, ids and updated_at included, and nothing but a newer
    version (which sets another source) writes them again. Such rows are as new as the file's:
    unchanged. An erasure stays (the stored one is the earliest seen, no later than the file's),
    and its names are only written when the merge keeps names. So the only cases left to compare
    row by row: the merge keeps notes or names (an earlier merge may not have), or fewer rows
    than the file's carry its source (a later file overwrote some, or they are gone)."""
    if (groups.notes and source.keep_notes) or (groups.names and source.keep_names):
        return False
    table = DATA[spec.name]
    query = select(func.count()).where(
        table.c.coordinator_id == source.coordinator_id,
        table.c.export_id == source.manifest.export_id,
        table.c.source_file == source.file_name,
        table.c.exported_at == source.exported_at,
    )
    return conn.execute(query).scalar_one() == count


def _not_newer(rows: list[Row], olds: list, stamps: _Stamps, source: Source, erasure: str | None) -> list[bool]:
    """For each row: stored, and the file's version of it no newer than the stored one (and no
    erasure in it). In one pass with no call per row: a file merged again is all such rows."""
    exported, export_id, file_name = stamps.of(source.exported_at), source.manifest.export_id, source.file_name
    updated = list(map(_UPDATED_AT, map(_VALUES, rows)))
    utc = set(map(_ZONE, updated)) <= {dt.UTC}  # the reader's: naive() is dropping the zone
    width = _Stamps.WIDTH
    if stamps.text and utc and erasure is None and None not in olds:
        same = _not_newer_utc(updated, olds, (exported, export_id, file_name))
        if same is not None:
            return same
    if stamps.text:
        updated = list(map(_STORED_TEXT, map(_WITHOUT_ZONE, updated))) if utc else [stamps.of(naive(u)) for u in updated]
    else:
        updated = list(map(_WITHOUT_ZONE, updated)) if utc else [naive(u) for u in updated]
    # Every row stored (as SQLAlchemy's text) and no erasure column: the comparison below, in C.
    if erasure is None and None not in olds and (not stamps.text or set(map(len, map(_SECOND, olds))) == {width}):
        return list(map(le, zip(updated, repeat(exported), repeat(export_id), repeat(file_name)), map(_VERSION, olds)))
    if stamps.text:
        return [
            old is not None
            and len(old[1]) == width  # SQLAlchemy's text, as expected
            and (u, exported, export_id, file_name) <= old[1:5]
            and (erasure is None or row.values[erasure] is None)
            for row, old, u in zip(rows, olds, updated)
        ]
    return [
        old is not None and (u, exported, export_id, file_name) <= old[1:5] and (erasure is None or row.values[erasure] is None)
        for row, old, u in zip(rows, olds, updated)
    ]


def _not_newer_utc(updated: list[dt.datetime], olds: list[tuple], tail: tuple) -> list[bool] | None:
    """_not_newer() of rows all stored, with UTC times in the file, in C: each stored time read
    as a UTC datetime (fromisoformat is many times faster than isoformat, the other way round).
    Only for SQLAlchemy's text, where comparing the times is comparing the text; else None."""
    texts = list(map(_SECOND, olds))
    if set(map(len, texts)) != {_Stamps.WIDTH} or set(map(_AT_10, texts)) != {" "} or set(map(_AT_19, texts)) != {"."}:
        return None
    try:
        stored = list(map(dt.datetime.fromisoformat, map(add, texts, repeat("+00:00"))))
    except ValueError:
        return None
    mine = zip(updated, *map(repeat, tail))
    return list(map(le, mine, zip(stored, map(_THIRD, olds), map(_FOURTH, olds), map(_FIFTH, olds))))


def _provenance(source: Source) -> dict:
    return {
        "county": source.manifest.coordinator.county,
        "export_id": source.manifest.export_id,
        "exported_at": source.exported_at,
        "source_file": source.file_name,
    }


def _insert_columns(rows: list[dict], groups: _Groups, source: Source, keep_utc: bool = False) -> dict[str, list]:
    """_new_row() of every row, a column at a time (the stored table's column -> its values, in
    row order): one loop per column instead of a dict per row, for the 700 000 rows of a
    national merge. `rows` are the file's values as read. keep_utc: a column of the reader's UTC
    times is left as it is (SQLite's converter writes their text without making them naive first)."""
    n = len(rows)
    out: dict[str, list] = {"coordinator_id": [source.coordinator_id] * n, "id": list(map(_ID, rows))}
    out.update({name: [value] * n for name, value in _provenance(source).items()})
    out["merged_at"] = [source.merged_at] * n
    timestamps = set(groups.timestamps)
    main = groups.main
    # Every main column in one C-level pass over the rows (a tuple of the row's values, transposed).
    columns = list(map(list, zip(*map(itemgetter(*main), rows)))) if rows and len(main) > 1 else None
    for i, name in enumerate(main):
        column = columns[i] if columns is not None else [v[name] for v in rows]
        if name in timestamps and not (keep_utc and _all_utc(column)):
            column = _naive_all(column)
        out[name] = column
    keep = {NOTES_VERSION: source.keep_notes and bool(groups.notes), NAMES_VERSION: source.keep_names and bool(groups.names)}
    versions = [source.version(u) for u in _naive_all([v["updated_at"] for v in rows])] if any(keep.values()) else []
    for version_column, names in ((NOTES_VERSION, groups.notes), (NAMES_VERSION, groups.names)):
        if names:
            for name in names:
                out[name] = [v[name] for v in rows] if keep[version_column] else [""] * n
            out[version_column] = versions if keep[version_column] else [None] * n
    return out


def _all_utc(values: list) -> bool:
    return set(map(type, values)) <= {dt.datetime} and set(map(_ZONE, values)) <= {dt.UTC}


def _naive_all(values: list) -> list:
    """naive() of each value; the reader's UTC datetimes in one C-level pass."""
    if set(map(type, values)) <= {dt.datetime} and set(map(_ZONE, values)) <= {dt.UTC}:
        return list(map(_WITHOUT_ZONE, values))
    return [naive(v) for v in values]


_WITHOUT_ZONE = methodcaller("replace", tzinfo=None)
_ZONE = attrgetter("tzinfo")
_STORED_TEXT = methodcaller("isoformat", " ", "microseconds")  # _Stamps.of()
_VALUES = attrgetter("values")
_ID, _UPDATED_AT = itemgetter("id"), itemgetter("updated_at")
_FIRST, _SECOND, _VERSION = itemgetter(0), itemgetter(1), itemgetter(slice(1, 5))  # of a _stored() row
_THIRD, _FOURTH, _FIFTH = itemgetter(2), itemgetter(3), itemgetter(4)
_AT_10, _AT_19 = itemgetter(10), itemgetter(19)  # "2026-12-01 12:05:03.000007"


def _new_row(values: dict, groups: _Groups, source: Source, provenance: dict) -> dict:
    row = {"coordinator_id": source.coordinator_id, "id": values["id"], **provenance, "merged_at": source.merged_at}
    row.update({name: values[name] for name in groups.main})
    version = source.version(values["updated_at"])
    if groups.notes:
        row.update({name: values[name] if source.keep_notes else "" for name in groups.notes})
        row[NOTES_VERSION] = version if source.keep_notes else None
    if groups.names:
        row.update({name: values[name] if source.keep_names else "" for name in groups.names})
        row[NAMES_VERSION] = version if source.keep_names else None
    return row


def _change(values: dict, old, groups: _Groups, source: Source, provenance: dict) -> dict:
    """The columns to set on a stored row; empty when the file changes nothing."""
    change: dict = {}
    old_key = (old["updated_at"], old["exported_at"], old["export_id"], old["source_file"])
    newer = source.key(values["updated_at"]) > old_key
    if newer:
        change.update({name: values[name] for name in groups.main if name not in groups.absent})
        change.update(provenance)
    version = source.version(values["updated_at"]) if (groups.notes or groups.names) else ""
    if groups.notes and source.keep_notes and (old[NOTES_VERSION] is None or version > old[NOTES_VERSION]):
        change.update({name: values[name] for name in groups.notes if name not in groups.absent})
        change[NOTES_VERSION] = version
    if groups.names and source.keep_names and (old[NAMES_VERSION] is None or version > old[NAMES_VERSION]):
        change.update({name: values[name] for name in groups.names})
        change[NAMES_VERSION] = version
    if groups.erasure:
        was, now = old[groups.erasure], values[groups.erasure]
        erased = min((t for t in (was, now) if t is not None), default=None)
        if erased is not None:
            if erased != was or newer:
                change[groups.erasure] = erased
            for name in groups.names:  # an erased person's name is never stored again
                if was is None or name in change:
                    change[name] = ""
    return change


def write_plan(conn: Connection, plan: TablePlan, progress=None) -> None:
    """Inserts, then updates grouped by the columns they set, in executemany batches straight to
    the driver: each value converted once by its column's type, as SQLAlchemy would bind it, but
    without SQLAlchemy's per-row handling of a dict (most of the time a large merge took)."""
    table = DATA[plan.spec.name]
    names = list(table.c.keys())
    sql = f"INSERT INTO {_quoted(conn, table.name)} ({', '.join(_quoted(conn, n) for n in names)}) VALUES ({_markers(conn, len(names))})"
    convert = _converters(conn, table, names)
    for i in range(0, len(plan.inserts), BATCH):
        assert plan.source is not None  # plan_table's
        groups = _Groups(plan.spec, plan.source.absent.get(plan.spec.name, ()))
        made = _insert_columns(plan.inserts[i : i + BATCH], groups, plan.source, keep_utc=conn.dialect.name == "sqlite")
        batch = list(zip(*(_converted(made[n], c, n in _ONE_VALUE) for n, c in zip(names, convert))))
        conn.exec_driver_sql(sql, batch)
        if progress is not None:
            progress(len(batch))
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for change in plan.updates:
        by_columns.setdefault(tuple(sorted(k for k in change if not k.startswith("_"))), []).append(change)
    for columns, changes in by_columns.items():
        marker = _markers(conn, 1)
        sets = ", ".join(f"{_quoted(conn, n)} = {marker}" for n in columns)
        sql = f"UPDATE {_quoted(conn, table.name)} SET {sets} WHERE coordinator_id = {marker} AND id = {marker}"
        convert = _converters(conn, table, list(columns))
        for i in range(0, len(changes), BATCH):
            chunk = changes[i : i + BATCH]
            cells = [[c[n] for c in chunk] for n in columns]
            cells = [conv(column) if conv else column for column, conv in zip(cells, convert, strict=True)]
            params = [(*values, c["_cid"], c["_rid"]) for values, c in zip(zip(*cells), chunk, strict=True)]
            conn.exec_driver_sql(sql, params)
            if progress is not None:
                progress(len(params))


_ONE_VALUE = ("coordinator_id", "county", "export_id", "exported_at", "source_file", "merged_at")  # the file's


def _converted(values: list, convert, one_value: bool) -> list:
    if convert is None:
        return values
    if one_value and values:  # the same for every row of the file: converted once
        return convert(values[:1]) * len(values)
    return convert(values)


def _quoted(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _markers(conn: Connection, count: int) -> str:
    return ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * count)


def _converters(conn: Connection, table, names: list[str]) -> list:
    """Each column's conversion of a column of values (None: the driver takes them as they are)."""
    dialect = conn.dialect
    out: list = []
    for name in names:
        impl = table.c[name].type.dialect_impl(dialect)
        process = impl.bind_processor(dialect)
        if process is None:
            out.append(None)
        elif isinstance(impl, Boolean):
            out.append(_bool_converter(process))
        else:
            out.append(_column_converter(process, _iso_form(dialect, impl, process)))
    return out


def _bool_converter(process):
    """A column of flags: the three values each converted once (SQLAlchemy checks and converts
    every cell, a call each, for the million flags of a national merge)."""
    known = {True: process(True), False: process(False), None: None}

    def convert(values: list) -> list:
        if set(map(type, values)) <= {bool, type(None)}:
            return list(map(known.__getitem__, values))
        return list(map(process, values))

    return convert


# SQLite keeps dates and times as text. SQLAlchemy writes them by formatting a dict of their
# fields, value by value; isoformat writes the same text in C (checked on a sample, for each type).
_ISO_SAMPLES: tuple[tuple[type, object, tuple], ...] = (
    (dt.datetime, dt.datetime(2026, 12, 1, 12, 5, 3, 7), (" ", "microseconds")),
    (dt.date, dt.date(2026, 12, 1), ()),
    (dt.time, dt.time(12, 5, 3, 7), ("microseconds",)),
)


def _iso_form(dialect, impl, process) -> tuple[type, methodcaller] | None:
    """(the Python type, its isoformat call) when SQLAlchemy stores exactly that text, else None."""
    if dialect.name != "sqlite":
        return None
    for kind, sample, args in _ISO_SAMPLES:
        python_type = getattr(impl, "python_type", None) if not isinstance(impl, DateTime) else dt.datetime
        if python_type is kind and process(sample) == methodcaller("isoformat", *args)(sample):
            return kind, methodcaller("isoformat", *args)
    return None


def _column_converter(process, iso: tuple[type, methodcaller] | None):
    def convert(values: list) -> list:
        # A column of naive values of the one type: isoformat over all of it (dates are never aware).
        if iso is not None and set(map(type, values)) == {iso[0]} and (iso[0] is dt.date or set(map(_ZONE, values)) == {None}):
            return each_once(iso[1], values)
        # The reader's UTC times (keep_utc): the same text is the first 26 characters of theirs.
        if iso is not None and iso[0] is dt.datetime and values and _all_utc(values):
            return each_once(lambda v: v.isoformat(" ", "microseconds")[: _Stamps.WIDTH], values)
        return list(map(process, values))

    return convert
