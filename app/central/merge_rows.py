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
from typing import overload

from sqlalchemy import Connection, DateTime, String, null, select, type_coerce

from app.central.schema import DATA, NAMES_VERSION, NOTES_VERSION
from app.exchange import format as fmt
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
    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)  # "_cid", "_rid" and the columns to set


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


def _stored(conn: Connection, spec: fmt.TableSpec, groups: _Groups, coordinator_id: str, ids: list[str]) -> dict:
    """id -> the stored row's (updated_at, exported_at, export_id, source_file, deleted, erasure,
    notes_version, names_version); the last three None where the table has no such column."""
    table = DATA[spec.name]
    # Timestamps as the database gives them back without SQLAlchemy's per-value conversion (SQLite's
    # text is parsed by datetime.fromisoformat below, many times faster; PostgreSQL's driver makes them).
    stamps = [type_coerce(table.c[name], String) for name in ("updated_at", "exported_at")]
    erasure = type_coerce(table.c[groups.erasure], String) if groups.erasure else null()
    cols = [table.c.id, *stamps, table.c.export_id, table.c.source_file, table.c.deleted, erasure]
    cols += [table.c[NOTES_VERSION] if groups.notes else null(), table.c[NAMES_VERSION] if groups.names else null()]
    mine = table.c.coordinator_id == coordinator_id
    if len(ids) > SCAN_FROM:
        wanted = set(ids)
        queries = [select(*cols).where(mine)]
    else:
        wanted = None
        queries = [select(*cols).where(mine, table.c.id.in_(ids[i : i + CHUNK])) for i in range(0, len(ids), CHUNK)]
    found = {}
    for query in queries:
        for rid, updated, exported, export_id, source_file, deleted, erased, notes, names in conn.execute(query):
            if wanted is None or rid in wanted:
                found[rid] = (
                    _stamp(updated),
                    _stamp(exported),
                    export_id,
                    source_file,
                    bool(deleted),
                    _stamp(erased),
                    notes,
                    names,
                )
    return found


_STORED = ("updated_at", "exported_at", "export_id", "source_file", "deleted")


def _stamp(value) -> dt.datetime | None:
    """A stored timestamp: a naive datetime (PostgreSQL), or SQLite's text of one."""
    if value is None or value.__class__ is dt.datetime:
        return value
    return dt.datetime.fromisoformat(value)


def plan_table(conn: Connection, spec: fmt.TableSpec, rows: list[Row], source: Source) -> TablePlan:
    groups = _Groups(spec, source.absent.get(spec.name, ()))
    counts = TableCounts(spec.file_name, len(rows))
    plan = TablePlan(spec, counts)
    stored = _stored(conn, spec, groups, source.coordinator_id, [row.values["id"] for row in rows])
    provenance = {
        "county": source.manifest.coordinator.county,
        "export_id": source.manifest.export_id,
        "exported_at": source.exported_at,
        "source_file": source.file_name,
    }
    # A stored row that is as new as the file's, with no notes, names or erasure to merge, is
    # unchanged whatever else: _change() would return nothing. Such rows (every row of a file
    # merged again) are counted without copying their values.
    tail = source.key(dt.datetime.min)[1:]
    quick = not (groups.notes and source.keep_notes) and not (groups.names and source.keep_names)
    erasure = groups.erasure
    for row in rows:
        found = row.values
        old = stored.get(found["id"])
        if old is not None and quick and (naive(found["updated_at"]), *tail) <= old[:4]:
            if erasure is None or found[erasure] is None:
                counts.unchanged += 1
                continue
        values = dict(found)
        for name in groups.timestamps:
            values[name] = naive(values[name])
        if old is None:
            plan.inserts.append(_new_row(values, groups, source, provenance))
            counts.created += 1
            continue
        stored_row = dict(zip(_STORED, old), **{NOTES_VERSION: old[6], NAMES_VERSION: old[7]})
        if erasure:
            stored_row[erasure] = old[5]
        change = _change(values, stored_row, groups, source, provenance)
        if not change:
            counts.unchanged += 1
            continue
        change["merged_at"] = source.merged_at
        change["_cid"] = source.coordinator_id
        change["_rid"] = values["id"]
        plan.updates.append(change)
        if "deleted" in change and values["deleted"] and not old[4]:
            counts.deleted += 1
        counts.updated += 1
    return plan


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
        batch = plan.inserts[i : i + BATCH]
        conn.exec_driver_sql(sql, [tuple([c(row.get(n)) if c else row.get(n) for n, c in zip(names, convert)]) for row in batch])
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
            params = [
                (*[conv(c[n]) if conv else c[n] for n, conv in zip(columns, convert, strict=True)], c["_cid"], c["_rid"])
                for c in changes[i : i + BATCH]
            ]
            conn.exec_driver_sql(sql, params)
            if progress is not None:
                progress(len(params))


def _quoted(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _markers(conn: Connection, count: int) -> str:
    return ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * count)


def _converters(conn: Connection, table, names: list[str]) -> list:
    """Each column's bind processor (None: the driver takes the value as it is)."""
    dialect = conn.dialect
    out = []
    for name in names:
        impl = table.c[name].type.dialect_impl(dialect)
        process = impl.bind_processor(dialect)
        if process is not None and dialect.name == "sqlite" and isinstance(impl, DateTime) and _stored_as_iso(process):
            process = _sqlite_stamp(process)
        out.append(process)
    return out


_SAMPLE = dt.datetime(2026, 12, 1, 12, 5, 3, 7)


def _stored_as_iso(process) -> bool:
    """Does SQLAlchemy's SQLite DateTime store what datetime.isoformat(" ") writes?"""
    return process(_SAMPLE) == _SAMPLE.isoformat(" ", "microseconds")


def _sqlite_stamp(process):
    """SQLite's DateTime text of a naive datetime from isoformat (a C call) instead of
    SQLAlchemy's formatting of a dict of its fields: 600 000 of them in a national merge."""

    def stamp(value):
        if value.__class__ is dt.datetime and value.tzinfo is None and value.year >= 1000:
            return value.isoformat(" ", "microseconds")
        return process(value)

    return stamp
